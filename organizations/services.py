"""Writes for regions, organisations and people: validate with ``full_clean()``, then save.

A rule about one row lives in its model (a constraint with a matching ``clean()``), so the
admin's own save (a ``ModelForm`` runs ``full_clean()``) and :func:`record_upsert` (the demo
loader, and later the import) apply the same rules; there is no per-model create service that
would only repeat them. Rules that span rows of agreements live in ``partnerships/rules.py``;
the ISO 3166 region loader is in ``organizations/iso3166.py``, the map-position writers in
``organizations/geocoding.py``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

from django.db import models, transaction
from modeltranslation import settings as mt_settings
from modeltranslation.utils import build_localized_fieldname

# A translated text: {"en": "…", "de": "…", "ja": "…"}, or a plain string meaning English.
Translated = Mapping[str, str] | str

Action = Literal["created", "updated", "unchanged"]


def translated_values(field: str, value: Translated) -> dict[str, str]:
    """Keyword arguments for every language of a translated field.

    ``translated_values("title", {"en": "A", "ja": "B"})`` is ``{"title_en": "A", "title_de": "",
    "title_ja": "B"}``: a language left out is written empty (and falls back to English on the
    site), so that writing a record again clears a translation that was dropped. A plain string
    is the default language (English) whatever language is active, so a write during a German
    request still fills the required English field.
    """
    if isinstance(value, str):
        value = {mt_settings.DEFAULT_LANGUAGE: value}
    unknown = set(value) - set(mt_settings.AVAILABLE_LANGUAGES)
    if unknown:
        raise ValueError(f"Unknown language(s) for {field}: {', '.join(sorted(unknown))}")
    return {
        build_localized_fieldname(field, language): value.get(language, "")
        for language in mt_settings.AVAILABLE_LANGUAGES
    }


@transaction.atomic
def record_upsert[M: models.Model](
    model: type[M],
    *,
    lookup: Mapping[str, Any],
    values: Mapping[str, Any],
    m2m: Mapping[str, Iterable[models.Model]] | None = None,
) -> tuple[M, Action]:
    """Create or update the one ``model`` row matching ``lookup`` (a natural key).

    Sets ``values``, validates with ``full_clean()`` and saves only when something changed, then
    sets the many-to-many fields in ``m2m``. Running it twice with the same data writes nothing
    the second time. Returns the row and what was done to it.
    """
    obj = model._default_manager.filter(**lookup).first()
    action: Action = "unchanged"
    if obj is None:
        obj, action = model(**lookup), "created"
    for name, value in values.items():
        if action == "created" or getattr(obj, name) != value:
            setattr(obj, name, value)
            action = "created" if action == "created" else "updated"
    if action != "unchanged":
        obj.full_clean()
        obj.save()
    for name, related in (m2m or {}).items():
        wanted = {r.pk for r in related}
        manager = getattr(obj, name)
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(wanted)
            action = "created" if action == "created" else "updated"
    return obj, action


class UpsertLog:
    """:func:`record_upsert` that counts and logs what it did, per kind of row (for commands)."""

    def __init__(self, log: Callable[[str], None] = lambda line: None) -> None:
        self.log = log
        self.actions: Counter[tuple[str, str]] = Counter()

    def __call__[M: models.Model](
        self,
        model: type[M],
        lookup: Mapping[str, Any],
        values: Mapping[str, Any],
        m2m: Mapping[str, Iterable[models.Model]] | None = None,
    ) -> M:
        obj, action = record_upsert(model, lookup=lookup, values=values, m2m=m2m)
        self.record(model, obj, action)
        return obj

    def record(self, model: type[models.Model], obj: object, action: str) -> None:
        label = str(model._meta.verbose_name)
        self.actions[(label, action)] += 1
        if action != "unchanged":
            self.log(f"  {action} {label}: {obj}")
