"""Generate a synthetic data set for benchmarks and load tests.

    manage.py generate_fake_data --organizations 100000
    manage.py generate_fake_data --delete

Every record is clearly fake: names start with "Fake"/"Fiktiv"/"架空", slugs with "fake-".
Organisations are spread over a generated region tree (fake countries → states → cities, and
fake macro-regions) and over any real regions already in the database, so that region filters
such as DE-BY find generated organisations too. Names and descriptions mix English, German
(with umlauts) and Japanese; about 60 % of names contain "Cluster", on purpose: a broad term.

Runs are additive (slugs continue from the last generated one) and reproducible with --seed.
Rows are inserted with bulk_create in batches; the search columns are filled by the database
triggers of migration organizations/0002_search as the rows arrive.

Why not the write services: at 100,000 organisations one ``full_clean()`` and ``save()`` per row
(plus the uniqueness queries ``full_clean()`` makes) would turn seconds into many minutes. The
rows built here are valid by construction for the single-row rules (the database constraints
still guard them), and the rules that span rows — two distinct parties for a concluded
agreement, only a concluded agreement with two parties is published — are checked for every
agreement with the very functions the services and the admin call (``partnerships/rules.py``),
before its batch is written. They take plain ids and cost no query.
"""

from __future__ import annotations

import datetime
import math
import random
import time
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, models, transaction

from core.history import untracked
from organizations.geocoding import regions_fill_centres
from organizations.models import (
    Affiliation,
    FocusArea,
    Organization,
    Person,
    Region,
    SearchWord,
    Visibility,
)

PREFIX = "fake-"
# Languages a generated team speaks besides English (ISO 639-1; issue 22).
FAKE_LANGUAGES = ["de", "ja", "fr", "zh", "ko", "es", "it", "sv"]

SYLLABLES = [
    "zor", "vex", "qua", "lin", "tra", "mir", "kel", "dor", "nua", "pex", "sul", "bri", "ton",
    "gal", "rho", "fen", "vip", "lum", "kra", "sel", "mox", "tav", "zen", "quo", "ari", "bex",
]  # fmt: skip
KANA = [
    "ゾ", "ル", "ヴェ", "ク", "ス", "ト", "ラ", "ミ", "ケ", "ド", "ヌ", "ア", "ペ", "リ", "ン",
    "ガ", "ロ", "フェ", "ル", "ム", "セ", "モ", "タ", "ゼ", "バ", "キ",
]  # fmt: skip
TOPICS = [
    ("Neuro", "Neuro", "ニューロ"),
    ("Onco", "Onko", "オンコ"),
    ("Cardio", "Kardio", "カーディオ"),
    ("Immuno", "Immun", "イムノ"),
    ("Genome", "Genom", "ゲノム"),
    ("Regenerative", "Regenerative", "再生"),
    ("Nano", "Nano", "ナノ"),
    ("Agri", "Agrar", "アグリ"),
    ("Marine", "Meeres", "海洋"),
    ("Robotics", "Robotik", "ロボティクス"),
    ("Photonics", "Photonik", "フォトニクス"),
    ("Medtech", "Medizintechnik", "医療機器"),
]
FOCUS_ACTIVITIES = [
    ("modelling", "Modellierung", "モデリング"),
    ("screening", "Prüfverfahren", "スクリーニング"),
    ("therapy testing", "Therapieprüfung", "治療試験"),
]
KIND_WORDS: dict[str, tuple[str, str, str]] = {
    Organization.Kind.CLUSTER: ("Cluster", "Cluster", "クラスター"),
    Organization.Kind.COMPANY: ("Labs", "Labor GmbH", "ラボ株式会社"),
    Organization.Kind.RESEARCH: ("Institute", "Institut", "研究所"),
    Organization.Kind.FOUNDATION: ("Foundation", "Stiftung", "財団"),
    Organization.Kind.GOVERNMENT: ("Agency", "Behörde", "庁"),
    Organization.Kind.ASSOCIATION: ("Network", "Netzwerk", "ネットワーク"),
}
GIVEN = ["Alex", "Sam", "Kim", "Mika", "Jona", "Rin", "Toni", "Yuki", "Lou", "Noa", "Kai", "Ren"]
FAMILY_KANJI = ["架空", "試験", "仮名", "見本", "模擬", "例示"]
WORDS_EN = [
    "synthetic", "benchmark", "partnering", "translational", "platform", "startups", "clinical",
    "pipeline", "incubator", "diagnostics", "bioprocess", "data", "imaging", "biobank", "network",
]  # fmt: skip
WORDS_DE = ["Forschung", "Gründer", "Förderung", "Netzwerk", "Wirkstoffe", "Überblick", "Prüfung"]
WORDS_JA = ["架空の", "研究", "連携", "創薬", "支援", "拠点", "試験用", "データ"]


def pseudo_word(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def pseudo_kana(rng: random.Random, parts: int = 3) -> str:
    return "".join(rng.choice(KANA) for _ in range(parts))


# Synthetic centres of the fake region tree: the 12 countries along a band from the Atlantic to
# the Pacific (longitude -5° to 132.5°, latitude 42°-52°), states on a ring of about 3° around
# their country, cities on a ring of 0.7° around their state. Clearly made up, but on the
# continent's scale, so that a map of 100,000 generated organisations looks like a real one.
GOLDEN = Decimal("0.6180339887")
PLASTIC = Decimal("0.7548776662")


def _fraction(value: Decimal) -> Decimal:
    """``value``'s fractional part moved to [-0.5, 0.5)."""
    return value % 1 - Decimal("0.5")


def synthetic_centre(slug: str) -> dict[str, Decimal]:
    """Latitude and longitude of a fake region from the numbers in its slug
    (``fake-country-03``, ``fake-state-03-5``, ``fake-city-03-5-2``); {} for other slugs."""
    kind, _, numbers = slug.removeprefix(PREFIX).partition("-")
    parts = [int(p) for p in numbers.split("-") if p.isdigit()]
    if kind not in ("country", "state", "city") or not parts:
        return {}
    c = parts[0]
    lat, lon = 42.0 + 5 * ((c * 5) % 3), -5 + (c - 1) * 12.5
    for level, radius in ((1, 3.0), (2, 0.7)):
        if len(parts) > level:
            angle = math.radians(parts[level] * (45 if level == 1 else 60))
            lat, lon = lat + radius * math.sin(angle), lon + radius * 1.4 * math.cos(angle)
    places = Decimal("0.000001")
    return {
        "latitude": Decimal(str(lat)).quantize(places),
        "longitude": Decimal(str(lon)).quantize(places),
    }


class Command(BaseCommand):
    help = "Generate clearly fake organisations, regions, people and agreements (benchmarks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organizations", type=int, default=1000, help="How many to add.")
        parser.add_argument("--people-per-organization", type=float, default=0.5)
        parser.add_argument("--agreements-per-organization", type=float, default=0.2)
        parser.add_argument(
            "--activities-per-year",
            type=float,
            default=0,
            help="Synthetic activities per agreement and year (issue 21), over its last "
            "--activity-years years.",
        )
        parser.add_argument("--activity-years", type=int, default=5)
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=2015)
        parser.add_argument(
            "--delete", action="store_true", help="Delete all generated data and stop."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Generated data records no history: it is nobody's work, the history triggers would
        # slow the bulk inserts (2,000 organisations: ~20 s → ~30 s), and deleting it must not
        # be refused because an agreement's history names a generated organisation.
        with untracked():
            self.generate(**options)

    def generate(self, **options: Any) -> None:
        self.started = time.monotonic()
        if options["delete"]:
            self.delete_generated()
            return
        rng = random.Random(  # noqa: S311 - synthetic demo data from a seeded generator, not a secret
            options["seed"] + Organization.objects.filter(slug__startswith=PREFIX).count()
        )
        batch = options["batch_size"]
        regions = self.ensure_regions(rng)
        focus_areas = self.ensure_focus_areas()
        organizations = self.create_organizations(
            rng, options["organizations"], regions, focus_areas, batch
        )
        people = round(len(organizations) * options["people_per_organization"])
        contact_points = self.create_people(rng, organizations, people, batch)
        agreements = round(len(organizations) * options["agreements_per_organization"])
        events = self.create_events(rng, regions, max(1, agreements // 100))
        self.create_agreements(rng, organizations, agreements, batch, events, contact_points)
        if options["activities_per_year"] > 0:
            self.create_activities(
                rng, options["activities_per_year"], options["activity_years"], batch
            )
        self.log(
            f"done: {Organization.objects.count()} organisations, "
            f"{Region.objects.count()} regions, {Person.objects.count()} people in the database"
        )

    def log(self, message: str) -> None:
        self.stdout.write(f"[{time.monotonic() - self.started:7.1f} s] {message}")
        self.stdout.flush()

    # --- regions and focus areas --------------------------------------------------------------

    def ensure_regions(self, rng: random.Random) -> list[Region]:
        """A fake tree (created once): 12 countries × 8 states × 6 cities, 3 macro-regions."""
        if not Region.objects.filter(slug__startswith=PREFIX).exists():
            self.log("creating the fake region tree")
            with transaction.atomic():
                self.create_region_tree(rng)
        self.place_regions()
        regions = list(Region.objects.exclude(kind=Region.Kind.MACRO_REGION).only("pk", "kind"))
        return regions

    def place_regions(self) -> None:
        """Centres for the map: synthetic ones for a fake tree made before regions had them,
        the gazetteer's for real countries and subdivisions (organizations.services), and for
        each region the centre of the nearest region above it that has one."""
        old_tree = list(Region.objects.filter(slug__startswith=PREFIX, latitude__isnull=True))
        for region in old_tree:
            for field, value in synthetic_centre(region.slug).items():
                setattr(region, field, value)
        Region.objects.bulk_update(old_tree, ["latitude", "longitude"])
        filled = regions_fill_centres()
        self.log(f"region centres: {len(old_tree)} synthetic, {filled} from the gazetteer")
        rows = list(Region.objects.values_list("pk", "parent_id", "latitude", "longitude"))
        parents = {pk: parent for pk, parent, _, _ in rows}
        own = {pk: (lat, lon) for pk, _, lat, lon in rows if lat is not None and lon is not None}
        self.centres: dict[int, tuple[Decimal, Decimal]] = {}
        for pk in parents:
            node: int | None = pk
            seen = set()
            while node is not None and node not in own and node not in seen:
                seen.add(node)
                node = parents.get(node)
            if node is not None and node in own:
                self.centres[pk] = own[node]

    def create_region_tree(self, rng: random.Random) -> None:
        countries = Region.objects.bulk_create(
            Region(
                slug=f"{PREFIX}country-{c:02d}",
                name_en=f"Fakeland {pseudo_word(rng)} {c:02d}",
                name_de=f"Fiktivland {pseudo_word(rng)} {c:02d}",
                name_ja=f"架空国{pseudo_kana(rng)}{c:02d}",
                kind=Region.Kind.COUNTRY,
                **synthetic_centre(f"{PREFIX}country-{c:02d}"),
            )
            for c in range(1, 13)
        )
        states = Region.objects.bulk_create(
            Region(
                slug=f"{PREFIX}state-{c:02d}-{s}",
                name_en=f"Fake State {pseudo_word(rng)}",
                name_de=f"Fiktives Land {pseudo_word(rng)}",
                name_ja=f"架空州{pseudo_kana(rng)}",
                kind=Region.Kind.SUBDIVISION,
                parent=country,
                aliases=f"{pseudo_word(rng, 3)}",
                **synthetic_centre(f"{PREFIX}state-{c:02d}-{s}"),
            )
            for c, country in enumerate(countries, 1)
            for s in range(1, 9)
        )
        Region.objects.bulk_create(
            Region(
                slug=f"{PREFIX}city-{state.slug.removeprefix(PREFIX + 'state-')}-{t}",
                name_en=f"Fake City {pseudo_word(rng, 3)}",
                name_de=f"Fiktivstadt {pseudo_word(rng, 3)}ü",
                name_ja=f"架空市{pseudo_kana(rng, 4)}",
                kind=Region.Kind.CITY,
                parent=state,
                **synthetic_centre(
                    f"{PREFIX}city-{state.slug.removeprefix(PREFIX + 'state-')}-{t}"
                ),
            )
            for state in states
            for t in range(1, 7)
        )
        for m in range(1, 4):
            macro = Region.objects.create(
                slug=f"{PREFIX}macro-{m}",
                name_en=f"Fake Macro-Region {pseudo_word(rng)}",
                name_de=f"Fiktive Großregion {pseudo_word(rng)}",
                name_ja=f"架空地方{pseudo_kana(rng)}",
                kind=Region.Kind.MACRO_REGION,
                parent=countries[m - 1],
            )
            macro.members.set(rng.sample(states[(m - 1) * 8 : m * 8], 3))

    def ensure_focus_areas(self) -> list[FocusArea]:
        existing = {f.slug: f for f in FocusArea.objects.filter(slug__startswith=PREFIX)}
        missing = []
        for topic in TOPICS:
            for activity in FOCUS_ACTIVITIES:
                slug = f"{PREFIX}{topic[0]}-{activity[0]}".lower().replace(" ", "-")
                if slug not in existing:
                    missing.append(
                        FocusArea(
                            slug=slug,
                            name_en=f"Fake {topic[0]} {activity[0]}",
                            name_de=f"Fiktive {topic[1]}-{activity[1]}",
                            name_ja=f"架空{topic[2]}{activity[2]}",
                        )
                    )
        FocusArea.objects.bulk_create(missing)
        return list(FocusArea.objects.filter(slug__startswith=PREFIX))

    # --- organisations ------------------------------------------------------------------------

    def create_organizations(
        self,
        rng: random.Random,
        count: int,
        regions: list[Region],
        focus_areas: list[FocusArea],
        batch: int,
    ) -> list[int]:
        first = Organization.objects.filter(slug__startswith=PREFIX).count() + 1
        kinds = list(KIND_WORDS)
        weights = [60, 12, 10, 6, 4, 8]  # clusters dominate: "cluster" is a broad term
        link_model = Organization.focus_areas.through
        target_model = Organization.target_regions.through
        countries = [r for r in regions if r.kind == Region.Kind.COUNTRY]
        created: list[int] = []
        for offset in range(0, count, batch):
            numbers = range(first + offset, first + min(offset + batch, count))
            rows = [
                self.organization(rng, n, rng.choices(kinds, weights)[0], regions) for n in numbers
            ]
            with transaction.atomic():
                # Ids first, then the focus-area links, then the rows: the search trigger finds
                # the links as each row arrives, instead of every row being written twice (the
                # links' trigger recomputes the search columns of organisations already there).
                # The foreign keys are checked at commit (Django declares them DEFERRABLE).
                for row, pk in zip(rows, self.next_ids(Organization, len(rows)), strict=True):
                    row.pk = row.id = pk
                links = [
                    link_model(organization_id=o.pk, focusarea_id=area.pk)
                    for o in rows
                    for area in rng.sample(focus_areas, rng.randint(1, 3))
                ]
                link_model.objects.bulk_create(links)
                rows = Organization.objects.bulk_create(rows)
                target_model.objects.bulk_create(
                    target_model(organization_id=o.pk, region_id=region.pk)
                    for o in rows
                    for region in self.target_regions(o, countries)
                )
            created += [o.pk for o in rows]
            self.log(f"organisations {offset + len(rows)}/{count}")
        return created

    @staticmethod
    def next_ids(model: type[models.Model], count: int) -> list[int]:
        """``count`` fresh primary keys from the table's own sequence."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]

    def organization(
        self, rng: random.Random, n: int, kind: str, regions: list[Region]
    ) -> Organization:
        word = pseudo_word(rng, rng.randint(2, 3))
        topic = rng.choice(TOPICS)
        en_kind, de_kind, ja_kind = KIND_WORDS[kind]
        name_en = f"Fake {word} {topic[0]} {en_kind} {n}"
        has_de, has_ja = rng.random() < 0.3, rng.random() < 0.3
        description_en = (
            f"Fake {' '.join(rng.sample(WORDS_EN, 6))} organisation {n} for {topic[0].lower()} "
            f"{' '.join(rng.sample(WORDS_EN, 4))}."
        )
        region_id = rng.choice(regions).pk
        return Organization(
            slug=f"{PREFIX}org-{n}",
            region_id=region_id,
            **self.position(n, region_id),
            **self.profile(n),
            name_en=name_en,
            name_de=f"Fiktiv {word} {topic[1]}-{de_kind} {n}" if has_de else None,
            name_ja=f"架空{pseudo_kana(rng)}{topic[2]}{ja_kind}{n}" if has_ja else None,
            short_name=f"F{word[:3].upper()}{n}" if rng.random() < 0.5 else "",
            kind=kind,
            description_en=description_en,
            description_de=(
                f"Fiktive Organisation {n}: {' '.join(rng.sample(WORDS_DE, 4))}."
                if has_de
                else None
            ),
            description_ja=(
                f"{''.join(rng.sample(WORDS_JA, 4))}（架空の組織{n}）" if has_ja else None
            ),
        )

    @staticmethod
    def _profile_rng(n: int) -> random.Random:
        """The partner profile's own random stream (issue 22), one per organisation: the names'
        stream stays as it was, so earlier data sets are made again unchanged otherwise."""
        return random.Random(f"fake-profile-{n}")  # noqa: S311 - synthetic demo data

    def profile(self, n: int) -> dict[str, Any]:
        """A partner profile for about half the organisations: members and SMEs, languages, and
        short synthetic texts for some (issue 22)."""
        rng = self._profile_rng(n)
        if rng.random() < 0.5:
            return {}
        members = rng.randint(5, 600)
        languages = ["en", *rng.sample(FAKE_LANGUAGES, rng.randint(0, 3))]
        texts = rng.random() < 0.5
        return {
            "member_count": members,
            "sme_count": rng.randint(0, members),
            "languages": languages,
            "offers_en": f"Fake matchmaking and pilot lines of organisation {n}." if texts else "",
            "seeks_en": f"Fake partners for joint projects of organisation {n}." if texts else "",
        }

    def target_regions(self, organization: Organization, countries: list[Region]) -> list[Region]:
        """The countries an organisation with a profile looks for partners in: one to three."""
        if organization.member_count is None or not countries:
            return []
        rng = self._profile_rng(int(organization.slug.rsplit("-", 1)[1]) + 1_000_000)
        return rng.sample(countries, min(len(countries), rng.randint(1, 3)))

    def position(self, n: int, region_id: int) -> dict[str, Any]:
        """Its region's centre, spread by up to ±0.15° (a deterministic low-discrepancy
        sequence of ``n``, so that the random stream of the names stays as it was): the map
        has distinct points to cluster. Approximate, like any position from a region's centre."""
        centre = self.centres.get(region_id)
        if centre is None:
            return {}
        spread = Decimal("0.3")
        return {
            "latitude": min(max(centre[0] + spread * _fraction(n * GOLDEN), -90), 90),
            "longitude": min(max(centre[1] + spread * _fraction(n * PLASTIC), -180), 180),
            "location_source": Organization.LocationSource.REGION,
        }

    # --- people and agreements ----------------------------------------------------------------

    def create_people(
        self, rng: random.Random, organizations: list[int], count: int, batch: int
    ) -> dict[int, int]:
        """People with one contact point (affiliation) each; returns the public contact point
        of each organisation that has one (organisation id → affiliation id)."""
        contact_points: dict[int, int] = {}
        first = Person.objects.filter(slug__startswith=PREFIX).count() + 1
        visibilities = [Visibility.PUBLIC, Visibility.HIDDEN]
        for offset in range(0, count, batch):
            numbers = range(first + offset, first + min(offset + batch, count))
            people = []
            for n in numbers:
                japanese = rng.random() < 0.3
                family = f"Fakename{pseudo_word(rng).lower()}"
                people.append(
                    Person(
                        slug=f"{PREFIX}person-{n}",
                        given_name=rng.choice(GIVEN),
                        family_name=family.capitalize(),
                        native_name=f"{rng.choice(FAMILY_KANJI)}{pseudo_kana(rng, 2)}"
                        if japanese
                        else "",
                        native_name_order=Person.NameOrder.FAMILY_FIRST
                        if japanese
                        else Person.NameOrder.GIVEN_FIRST,
                    )
                )
            with transaction.atomic():
                people = Person.objects.bulk_create(people)
                affiliations = Affiliation.objects.bulk_create(
                    Affiliation(
                        person_id=p.pk,
                        organization_id=rng.choice(organizations),
                        position_en="Fake position",
                        visibility=rng.choice(visibilities),
                    )
                    for p in people
                )
            for affiliation in affiliations:
                if affiliation.visibility == Visibility.PUBLIC:
                    contact_points.setdefault(affiliation.organization_id, affiliation.pk)
            self.log(f"people {offset + len(people)}/{count}")
        return contact_points

    def create_events(self, rng: random.Random, regions: list[Region], count: int) -> list[Any]:
        """Fake trade fairs and delegation visits: the occasions of some signings."""
        from partnerships.models import Event

        first = Event.objects.filter(slug__startswith=PREFIX).count() + 1
        events = []
        for n in range(first, first + count):
            starts_on = datetime.date(2010, 1, 1) + datetime.timedelta(days=rng.randint(0, 5000))
            events.append(
                Event(
                    slug=f"{PREFIX}event-{n}",
                    name=f"Fake {rng.choice(TOPICS)[0]} Partnering Days {n}",
                    description=f"Fake event {n}: {' '.join(rng.sample(WORDS_EN, 5))}.",
                    region_id=rng.choice(regions).pk,
                    starts_on=starts_on,
                    ends_on=starts_on + datetime.timedelta(days=rng.randint(0, 3)),
                )
            )
        events = Event.objects.bulk_create(events)
        self.log(f"events {len(events)}")
        return events

    def create_agreements(
        self,
        rng: random.Random,
        organizations: list[int],
        count: int,
        batch: int,
        events: list[Any],
        contact_points: dict[int, int],
    ) -> None:
        """Agreements between two organisations; a third is signed at an event (a signing
        event on one of its days), and a party with a public contact point has it as the
        agreement's contact."""
        from partnerships import rules
        from partnerships.models import (
            Agreement,
            AgreementContact,
            AgreementParty,
            Event,
            SigningEvent,
        )

        if len(organizations) < 2:
            return
        first = Agreement.objects.filter(slug__startswith=PREFIX).count() + 1
        unpublished = [p for p in Agreement.Publication if p != Agreement.Publication.PUBLISHED]
        for offset in range(0, count, batch):
            numbers = range(first + offset, first + min(offset + batch, count))
            agreements: list[Agreement] = []
            occasions: list[tuple[Event | None, datetime.date]] = []
            for n in numbers:
                signed_on = datetime.date(2010, 1, 1) + datetime.timedelta(
                    days=rng.randint(0, 5000)
                )
                occasion = rng.choice(events) if events and rng.random() < 0.33 else None
                if occasion is not None:
                    signed_on = occasion.starts_on + datetime.timedelta(
                        days=rng.randint(0, (occasion.ends_on - occasion.starts_on).days)
                    )
                occasions.append((occasion, signed_on))
                agreements.append(
                    Agreement(
                        slug=f"{PREFIX}agreement-{n}",
                        code=f"FAKE-{n}",
                        title_en=(
                            f"Fake cooperation agreement {n} on {rng.choice(TOPICS)[0].lower()}"
                        ),
                        title_ja=f"架空の協力協定{n}" if rng.random() < 0.4 else None,
                        summary_en=f"Fake summary {n}: {' '.join(rng.sample(WORDS_EN, 5))}.",
                        kind=Agreement.Kind.COOPERATION,
                        state=Agreement.State.CONCLUDED,
                        signed_on=signed_on,
                        term=Agreement.Term.OPEN_ENDED,
                        publication=Agreement.Publication.PUBLISHED
                        if rng.random() < 0.9
                        else rng.choice(unpublished),
                    )
                )
            parties = [rng.sample(organizations, 2) for _ in agreements]
            for agreement, organization_ids in zip(agreements, parties, strict=True):
                concluded = agreement.state == Agreement.State.CONCLUDED
                rules.check_parties(concluded=concluded, organization_ids=organization_ids)
                if agreement.is_public:
                    rules.check_publishable(concluded=concluded, party_count=len(organization_ids))
            for agreement, (occasion, _day) in zip(agreements, occasions, strict=True):
                if occasion is not None:
                    concluded = agreement.state == Agreement.State.CONCLUDED
                    rules.check_signing_allowed(concluded=concluded)
            with transaction.atomic():
                agreements = Agreement.objects.bulk_create(agreements)
                party_rows = AgreementParty.objects.bulk_create(
                    AgreementParty(agreement_id=a.pk, organization_id=o, position=i)
                    for a, organization_ids in zip(agreements, parties, strict=True)
                    for i, o in enumerate(organization_ids)
                )
                SigningEvent.objects.bulk_create(
                    SigningEvent(
                        agreement_id=a.pk,
                        signed_on=occasion_day,
                        occasion_id=occasion.pk,
                        place_id=occasion.region_id,
                    )
                    for a, (occasion, occasion_day) in zip(agreements, occasions, strict=True)
                    if occasion is not None
                )
                AgreementContact.objects.bulk_create(
                    AgreementContact(
                        agreement_id=party.agreement_id,
                        party_id=party.pk,
                        affiliation_id=contact_points[party.organization_id],
                    )
                    for party in party_rows
                    if party.organization_id in contact_points
                )
            self.log(f"agreements {offset + len(agreements)}/{count}")

    # --- activities (issue 21) -----------------------------------------------------------------

    def create_activities(
        self, rng: random.Random, per_year: float, years: int, batch: int
    ) -> None:
        """About ``per_year`` activities a year for every generated concluded agreement without
        any yet, over its last ``years`` years (from its signing): synthetic kinds, dates,
        results and descriptions ("Fake activity"), four in five public."""
        from partnerships.models import Activity, Agreement

        today = datetime.date.today()
        kinds = list(Activity.Kind.values)
        todo = (
            Agreement.objects.filter(
                slug__startswith=PREFIX,
                state=Agreement.State.CONCLUDED,
                signed_on__isnull=False,
            )
            .exclude(activities__isnull=False)
            .values_list("pk", "signed_on")
            .order_by("pk")
        )
        rows: list[Any] = []
        created = 0
        for agreement_id, signed_on in todo.iterator(chunk_size=batch):
            if signed_on is None:  # excluded above; for the type checker
                continue
            first = max(signed_on, today - datetime.timedelta(days=365 * years))
            span = max(1, (today - first).days)
            count = int(per_year * span / 365 + rng.random())
            for _ in range(count):
                day = first + datetime.timedelta(days=rng.randrange(span))
                n = created + len(rows)
                rows.append(
                    Activity(
                        agreement_id=agreement_id,
                        kind=rng.choice(kinds),
                        starts_on=day,
                        place=f"Fake place {n % 97}",
                        description_en=f"Fake activity {n} (synthetic)",
                        description_de=f"Fiktive Aktivität {n} (synthetisch)",
                        description_ja=f"架空の活動 {n}（合成データ）",
                        description=f"Fake activity {n} (synthetic)",
                        companies=rng.choice((None, rng.randrange(1, 30))),
                        meetings=rng.choice((None, rng.randrange(1, 40))),
                        introductions=rng.choice((None, rng.randrange(0, 10))),
                        projects=rng.choice((None, None, rng.randrange(0, 3))),
                        funding=rng.choice(
                            (None, None, None, Decimal(rng.randrange(0, 200)) * 1000)
                        ),
                        visibility=(
                            Activity.Visibility.PUBLIC
                            if rng.random() < 0.8
                            else Activity.Visibility.PARTNERS
                        ),
                    )
                )
            if len(rows) >= batch:
                Activity.objects.bulk_create(rows)
                created += len(rows)
                rows = []
                self.log(f"activities {created}")
        if rows:
            Activity.objects.bulk_create(rows)
            created += len(rows)
        self.log(f"activities {created}")

    # --- cleanup ------------------------------------------------------------------------------

    def delete_generated(self) -> None:
        from partnerships.models import Agreement, Event

        with transaction.atomic():
            Agreement.objects.filter(slug__startswith=PREFIX).delete()
            Event.objects.filter(slug__startswith=PREFIX).delete()
            Affiliation.objects.filter(person__slug__startswith=PREFIX).delete()
            Person.objects.filter(slug__startswith=PREFIX).delete()
            Organization.objects.filter(slug__startswith=PREFIX).delete()
            FocusArea.objects.filter(slug__startswith=PREFIX).delete()
            fake_regions = Region.objects.filter(slug__startswith=PREFIX)
            Region.members.through.objects.filter(from_region__in=fake_regions).delete()
            for kind in (Region.Kind.CITY, Region.Kind.MACRO_REGION, Region.Kind.SUBDIVISION):
                fake_regions.filter(kind=kind).delete()
            fake_regions.delete()
            SearchWord.objects.filter(word__startswith="fake").delete()
        self.log("deleted all generated data")
