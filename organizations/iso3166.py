"""The ISO 3166 region loader: countries and subdivisions from pycountry, written in bulk.

``manage.py load_regions`` calls :func:`regions_load_iso`; it creates or updates regions by ISO
code and never deletes one.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import cache

import pycountry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from core.languages import language_codes, language_fields
from organizations.models import Region

# Fields the ISO loader owns on the regions it creates. Curated fields (centroid, members,
# strengths) are never touched; ``aliases`` only ever gains the ISO names.
ISO_FIELDS = ("name", *language_fields("name"), "kind", "iso_type", "parent", "aliases")


def _iso_names(english: str, domain: str, iso_name: str) -> dict[str, str]:
    """A region's name in every language: ``english``, and ISO's name translated by the
    iso-codes catalogue of each other language ("" where it has none)."""
    return {
        code: english if code == "en" else _catalogue(domain, code).gettext(iso_name)
        for code in language_codes()
    }


class _Missing(gettext.NullTranslations):
    """Fallback for a gettext catalogue: an untranslated name comes back as "" (not the msgid)."""

    def gettext(self, message: str) -> str:
        return ""


@cache
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    """pycountry's gettext catalogue ``domain`` (iso3166-1, iso3166-2) for ``language``.

    ``gettext()`` on the result returns "" when the catalogue has no entry, so that a missing
    translation stays empty (and modeltranslation falls back to English) instead of repeating
    the untranslated ISO name.
    """
    catalogue = gettext.translation(
        domain, pycountry.LOCALES_DIR, languages=[language], fallback=True
    )
    catalogue.add_fallback(_Missing())
    return catalogue


@dataclass(frozen=True)
class IsoRegion:
    """One country or subdivision as read from pycountry, before it touches the database."""

    iso_code: str
    kind: str
    names: dict[str, str]  # language -> name ("" when there is no translation)
    iso_type: str = ""
    parent_code: str = ""  # ISO code of the parent region; "" for countries
    aliases: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        return self.iso_code.lower()


def iso_regions(country_codes: Collection[str] | None = None) -> list[IsoRegion]:
    """Countries (ISO 3166-1) and their subdivisions (ISO 3166-2) from pycountry, parents first.

    English names: a country's ``common_name`` where pycountry has one ("South Korea"), else its
    ISO name; a subdivision's ISO name is in the local language ("Bayern"), so the English
    catalogue is used where it has an entry ("Bavaria"), else the ISO name is kept.
    German and Japanese names come from pycountry's catalogues, or stay empty.
    """
    wanted = {code.upper() for code in country_codes} if country_codes else None
    if wanted is not None:
        unknown = sorted(c for c in wanted if pycountry.countries.get(alpha_2=c) is None)
        if unknown:
            raise ValidationError(f"Unknown ISO 3166-1 alpha-2 code(s): {', '.join(unknown)}")

    rows: list[IsoRegion] = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        if wanted is not None and country.alpha_2 not in wanted:
            continue
        english = getattr(country, "common_name", None) or country.name
        aliases = [_alias(a) for a in (country.name, getattr(country, "official_name", None)) if a]
        rows.append(
            IsoRegion(
                iso_code=country.alpha_2,
                kind=Region.Kind.COUNTRY,
                names=_iso_names(english, "iso3166-1", country.name),
                aliases=tuple(dict.fromkeys(a for a in aliases if a and a != english)),
            )
        )

    subdivisions = [s for s in pycountry.subdivisions if wanted is None or s.country_code in wanted]
    by_code = {s.code: s for s in subdivisions}

    def depth(subdivision) -> int:
        level = 0
        while subdivision.parent_code and subdivision.parent_code in by_code:
            subdivision = by_code[subdivision.parent_code]
            level += 1
        return level

    for subdivision in sorted(subdivisions, key=lambda s: (depth(s), s.code)):
        iso_name = subdivision.name
        english = _catalogue("iso3166-2", "en").gettext(iso_name) or iso_name
        rows.append(
            IsoRegion(
                iso_code=subdivision.code,
                kind=Region.Kind.SUBDIVISION,
                names=_iso_names(english, "iso3166-2", iso_name),
                iso_type=subdivision.type or "",
                parent_code=subdivision.parent_code or subdivision.country_code,
                aliases=(_alias(iso_name),) if iso_name != english and _alias(iso_name) else (),
            )
        )
    return rows


@dataclass
class RegionLoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _alias(name: str) -> str:
    """An ISO name as an alias, or "" when it cannot be one.

    Aliases are comma-separated, so ISO's inverted English form is undone ("Korea, Republic of"
    becomes "Republic of Korea"); other names with a comma ("Taiwan, Province of China") are
    left out rather than garbled.
    """
    head, sep, tail = name.partition(", ")
    if not sep:
        return name
    if tail.endswith(" of") and "," not in tail:
        return f"{tail} {head}"
    return ""


def _merged_aliases(existing: str, iso_aliases: tuple[str, ...]) -> str:
    """Existing aliases (curated, kept) followed by any ISO alias not yet in the list."""
    current = [a.strip() for a in existing.split(",") if a.strip()]
    for alias in iso_aliases:
        if alias not in current:
            current.append(alias)
    return ", ".join(current)


def _apply(region: Region, row: IsoRegion, parent_id: int | None) -> bool:
    """Set the ISO-owned fields of ``region`` from ``row``; return whether anything changed."""
    values = {
        **{f"name_{code}": row.names[code] for code in language_codes()},
        "kind": row.kind,
        "iso_type": row.iso_type,
        "parent_id": parent_id,
        "aliases": _merged_aliases(region.aliases or "", row.aliases),
    }
    changed = any(getattr(region, attr) != value for attr, value in values.items())
    for attr, value in values.items():
        setattr(region, attr, value)
    return changed


@transaction.atomic
def regions_load_iso(
    *,
    country_codes: Collection[str] | None = None,
    progress: Callable[[str], None] | None = None,
    batch_size: int = 1000,
) -> RegionLoadResult:
    """Create or update ISO 3166 countries and subdivisions; never deletes anything.

    Regions are matched by ISO code, so running it again updates them in place. New regions get
    the lower-case ISO code as slug (``de``, ``de-by``, ``jp-27``); existing slugs are kept.
    One query reads the existing regions, then one bulk insert and one bulk update per tree
    level (countries, subdivisions, sub-subdivisions) write only what changed.
    Objects are checked with ``clean_fields()`` (lengths, slug format) rather than the full
    ``full_clean()``, whose per-row uniqueness and parent queries would cost ~10,000 queries;
    the database constraints still guard uniqueness and the tree.
    """
    report = progress or (lambda message: None)
    rows = iso_regions(country_codes)
    codes = [row.iso_code for row in rows]
    existing = {r.iso_code: r for r in Region.objects.filter(iso_code__in=codes)}
    new_slugs = [row.slug for row in rows if row.iso_code not in existing]
    taken = sorted(Region.objects.filter(slug__in=new_slugs).values_list("slug", flat=True))
    if taken:
        raise ValidationError(
            f"These slugs are used by regions without the matching ISO code: {', '.join(taken)}."
        )

    pk_by_code = {code: region.pk for code, region in existing.items()}
    result = RegionLoadResult()

    levels: list[list[IsoRegion]] = []
    level_of: dict[str, int] = {}
    for row in rows:  # rows come parents first
        level = level_of[row.parent_code] + 1 if row.parent_code in level_of else 0
        level_of[row.iso_code] = level
        while len(levels) <= level:
            levels.append([])
        levels[level].append(row)

    with translation.override("en"):
        for level, level_rows in enumerate(levels):
            to_create: list[Region] = []
            to_update: list[Region] = []
            for row in level_rows:
                parent_id = pk_by_code.get(row.parent_code) if row.parent_code else None
                if row.parent_code and parent_id is None:
                    # A parent outside the selected countries cannot happen in ISO 3166-2 data;
                    # fail loudly rather than attach a subdivision to the wrong place.
                    raise ValidationError(f"{row.iso_code}: parent {row.parent_code} not loaded.")
                region = existing.get(row.iso_code)
                if region is None:
                    region = Region(iso_code=row.iso_code, slug=row.slug, aliases="")
                    _apply(region, row, parent_id)
                    region.clean_fields(exclude=["parent"])
                    to_create.append(region)
                elif _apply(region, row, parent_id):
                    region.clean_fields(exclude=["parent"])
                    to_update.append(region)
                else:
                    result.unchanged += 1
                result.by_kind[row.kind] = result.by_kind.get(row.kind, 0) + 1

            created = Region.objects.bulk_create(to_create, batch_size=batch_size)
            for region in created:
                pk_by_code[region.iso_code] = region.pk
            # Under English, modeltranslation writes name_en into the untranslated ``name`` column.
            Region.objects.bulk_update(to_update, ISO_FIELDS, batch_size=batch_size)
            result.created += len(created)
            result.updated += len(to_update)
            label = "countries" if level == 0 else f"subdivisions (level {level})"
            report(
                f"{label}: {len(level_rows)} read, {len(created)} created, "
                f"{len(to_update)} updated, "
                f"{len(level_rows) - len(created) - len(to_update)} unchanged"
            )
    return result
