"""The translatable strings the code and templates use, found the way ``makemessages`` finds
them — without GNU gettext: Python files are read with Babel's extractor, templates are first
turned into gettext calls by Django's own ``templatize`` (what ``makemessages`` does)."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from pathlib import Path

from babel.messages.extract import extract_python
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("core", "organizations", "partnerships", "portal", "templates")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


@dataclasses.dataclass(frozen=True)
class Message:
    singular: str
    plural: str | None
    context: str | None
    where: str


def _messages(source: str, where: str) -> Iterator[Message]:
    for lineno, func, args, _comments in extract_python(
        io.BytesIO(source.encode()), list(KEYWORDS), [], {}
    ):
        args = args if isinstance(args, tuple) else (args,)
        context = None
        if func.startswith(("pgettext", "npgettext")):
            context, args = args[0], args[1:]
        if not args or not args[0]:
            continue  # a variable, not a literal: nothing to check
        plural = args[1] if func.startswith(("ngettext", "npgettext")) and len(args) > 1 else None
        yield Message(args[0], plural, context, f"{where}:{lineno}")


def used_messages() -> Iterator[Message]:
    for directory in SOURCE_DIRS:
        for path in sorted((ROOT / directory).rglob("*")):
            if "migrations" in path.parts or not path.is_file():
                continue
            where = str(path.relative_to(ROOT))
            if path.suffix == ".py":
                yield from _messages(path.read_text(encoding="utf-8"), where)
            elif path.suffix in (".html", ".txt") and "templates" in path.parts:
                python = templatize(path.read_text(encoding="utf-8"), origin=str(path))
                # templatize keeps the template's layout; the extractor needs no indentation.
                flat = "\n".join(line.lstrip() for line in python.splitlines())
                yield from _messages(flat, where)
