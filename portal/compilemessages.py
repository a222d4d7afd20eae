"""Compile every ``locale/*/LC_MESSAGES/*.po`` into ``.mo`` without GNU gettext.

Django's ``compilemessages`` shells out to ``msgfmt``, which a fresh machine may not have. The
compiled catalogues are committed, so nobody needs this to run the portal; translators run
``make messages`` after editing a ``.po`` file, and a test checks the ``.mo`` files are current.

Usage: ``python -m portal.compilemessages [--check]``
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compiled(po_path: Path) -> bytes:
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=po_path.parent.parent.name)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def stale_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """The ``.mo`` files that are missing or differ from what their ``.po`` compiles to."""
    stale = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.read_bytes() != compiled(po_path):
            stale.append(mo_path)
    return stale


def main(argv: list[str]) -> int:
    if "--check" in argv:
        stale = stale_catalogues()
        for path in stale:
            print(f"out of date: {path} (run `make messages`)")
        return 1 if stale else 0
    for po_path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        po_path.with_suffix(".mo").write_bytes(compiled(po_path))
        print(f"compiled {po_path.relative_to(LOCALE_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
