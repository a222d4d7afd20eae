"""How a page writes a person's name, per language: script, order, reading and honorifics, in
one place.

- **Script and order.** Japanese pages show the name in Japanese script when the person has one
  (``Person.native_name``: 岸本忠三, フランツ・ヨーゼフ・プシーラー), as entered, in its own order;
  otherwise the Latin name in the person's own order (Franz Josef Pschierer, Kishimoto
  Tadamitsu), never reordered. Every other language shows the Latin name, given name first
  (``Person.display_name`` / ``Person.latin_name``).
- **Reading.** A reading (furigana, ``Person.native_name_reading``) is shown above the Japanese
  name on Japanese pages as ``<ruby>`` with ``<rt>``, and ``<rp>`` brackets for a browser that
  shows no ruby; a reading split by spaces as the name is goes over each part.
- **Honorifics.** English, German and French write the person's title before the name, in the
  page's language ("Prof. Dr. Horst Domdey", "Pr Horst Domdey"): a title, never dropped.
  Japanese writes no title before a name; where the portal writes *about* a person in running
  text (signed by, in the presence of, a quote's attribution: ``about=True``) it adds 氏 after
  the name — 岸本忠三氏 — and where it *addresses* a person (the greeting of an e-mail) 様, which
  the e-mails take from the translated greeting "Hello %(name)s," (「%(name)s 様」). The
  notifications name a fellow manager who acted (approved, commented) with さん, as Japanese
  software writes about its users (in the catalogue: 「%(actor)s さんが…」): colleagues at
  work, not people written about in public. Labels (contact cards, lists, search results, the
  admin) and data (API, open data, vCards) carry no Japanese honorific.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core import typography

if TYPE_CHECKING:
    from organizations.models import Person

# After a name where a Japanese page writes about a person. (様, addressing a person, is in the
# e-mails' translated greeting.)
ABOUT_SUFFIX = {"ja": "氏"}


def ruby(text: str, reading: str) -> SafeString:
    """``text`` with its ``reading`` above it: ``<ruby>岸本<rp>（</rp><rt>きしもと</rt><rp>）
    </rp></ruby>``. When both split into as many parts by spaces, each part gets its own
    reading ("岸本 忠三" / "きしもと ただみつ"); otherwise the whole reading goes over the whole
    text. No reading: the text, escaped."""
    if not reading.strip():
        return format_html("{}", text)
    parts, readings = text.split(), reading.split()
    if len(parts) != len(readings) or len(parts) < 2:
        parts, readings = [text.strip()], [" ".join(readings)]
    return format_html_join(
        " ",
        "<ruby>{}<rp>（</rp><rt>{}</rt><rp>）</rp></ruby>",
        zip(parts, readings, strict=True),
    )


def person_name(
    person: Person,
    language: str | None = None,
    *,
    about_person: bool = False,
    beside: bool = False,
) -> SafeString:
    """The person's name as HTML on a page in ``language`` (default: the active one).

    ``about_person``: running text about the person (adds 氏 on Japanese pages).
    ``beside``: the name in the other script beside it where the reader may need both (a
    contact card): the Latin name after the Japanese one on Japanese pages, the Japanese name
    (``lang="ja"``) after the Latin one elsewhere."""
    code = _code(language)
    if code == "ja" and person.native_name:
        name = ruby(person.native_name, person.native_name_reading)
        other = format_html("{}", person.latin_name(code)) if beside else None
    else:
        name = format_html("{}", person.display_name(code))
        other = (
            format_html('<span lang="ja">{}</span>', person.native_name)
            if beside and person.native_name
            else None
        )
    if about_person:
        name = format_html("{}{}", name, ABOUT_SUFFIX.get(code, ""))
    if other is not None:
        space, bracketed = typography.aside_parts(other, code)
        # Both parts escaped above; the brackets are the typography's own characters.
        name = mark_safe(f"{name}{space}{bracketed}")  # noqa: S308
    return name


def _code(language: str | None) -> str:
    return (language or get_language() or "en")[:2]
