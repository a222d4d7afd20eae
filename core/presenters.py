"""What every presenter shares: a row becomes its published dict by a plain function per
resource (``organizations/presenters.py``, ``partnerships/presenters.py``), as healthchecks'
``Check.to_dict()`` does — no framework field machinery on the hot path, one shape for every
output that publishes the resource.

A presenter is ``present(row, how) -> dict``; :class:`Presentation` says how: the language of
translated fields (the active one, with modeltranslation's fallback order), whether every
language is added under ``translations``, and how rows get their URLs (:class:`core.links.Links`).
The values are what DRF's fields answer for the same columns (``iso_date``,
``Presentation.iso_datetime``): the API's JSON stays byte for byte what its declared serializers
give (tests/portal/test_api_speed.py compares the two).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from modeltranslation.utils import resolution_order

from core.languages import language_codes, supported_language
from core.links import Links

Presenter = Callable[[Any, "Presentation"], dict[str, Any]]


@dataclass
class Presentation:
    """How rows are presented: one per request or export."""

    links: Links = field(default_factory=Links)
    all_languages: bool = False
    language: str = field(default_factory=supported_language)  # default: the active one

    def __post_init__(self) -> None:
        self._zone = timezone.get_current_timezone()  # asked once, not for every value
        self._order = tuple(resolution_order(supported_language(self.language)))
        self._languages = language_codes()
        self._columns: dict[str, tuple[str, ...]] = {}

    def text(self, row: Any, name: str) -> Any:
        """The translated field ``name`` as modeltranslation reads it: the presentation
        language's column, else the first fallback language's with a value; without any, what
        modeltranslation answers then (its fallback value or the field's default)."""
        columns = self._columns.get(name)
        if columns is None:
            columns = self._columns[name] = tuple(f"{name}_{code}" for code in self._order)
        for column in columns:
            value = getattr(row, column, None)
            if value:
                return value
        return getattr(row, name)

    def iso_datetime(self, value: datetime.datetime | None) -> str | None:
        """ISO 8601 in the time zone that was current when the presentation began (one per
        request or export), ``Z`` for UTC, as DRF's ``DateTimeField`` writes it."""
        if value is None:
            return None
        text = value.astimezone(self._zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    def translations(self, row: Any, names: tuple[str, ...]) -> dict[str, dict[str, str]] | None:
        """``{"name": {"en": …, "de": …, "ja": …}}`` when every language is asked for, else None."""
        if not self.all_languages:
            return None
        return {
            name: {code: getattr(row, f"{name}_{code}", "") or "" for code in self._languages}
            for name in names
        }


def iso_date(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


def text_or_none(value: Any) -> str | None:
    """``str(value)``, null staying null (a phone number, a choice)."""
    return None if value is None else str(value)
