"""``manage.py load_regions``: ISO 3166 countries and subdivisions from pycountry."""

from io import StringIO

import pycountry
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from organizations.models import Region


def load_regions(**options) -> str:
    out = StringIO()
    call_command("load_regions", stdout=out, **options)
    return out.getvalue()


def region(code: str) -> Region:
    return Region.objects.get(iso_code=code)


def test_load_regions_creates_the_requested_countries_only(db):
    load_regions(countries="DE,JP")

    countries = Region.objects.filter(kind=Region.Kind.COUNTRY)
    assert sorted(countries.values_list("iso_code", flat=True)) == ["DE", "JP"]


def test_load_regions_creates_every_subdivision_of_the_requested_countries(db):
    load_regions(countries="DE,JP")

    expected = len(pycountry.subdivisions.get(country_code="DE")) + len(
        pycountry.subdivisions.get(country_code="JP")
    )
    assert Region.objects.filter(kind=Region.Kind.SUBDIVISION).count() == expected == 16 + 47


def test_load_regions_names_countries_in_english_german_and_japanese(db):
    load_regions(countries="DE,JP")

    germany = region("DE")
    assert (germany.name_en, germany.name_de, germany.name_ja) == (
        "Germany",
        "Deutschland",
        "ドイツ",
    )
    assert germany.slug == "de"
    assert germany.parent is None


def test_load_regions_gives_bavaria_its_english_german_and_japanese_names(db):
    load_regions(countries="DE,JP")

    bavaria = region("DE-BY")
    assert (bavaria.name_en, bavaria.name_de, bavaria.name_ja) == (
        "Bavaria",
        "Bayern",
        "バイエルン",
    )
    assert bavaria.name == "Bavaria"
    assert (bavaria.slug, bavaria.kind, bavaria.iso_type) == ("de-by", "subdivision", "Land")
    assert bavaria.parent == region("DE")


def test_load_regions_keeps_the_iso_name_of_bavaria_as_an_alias(db):
    load_regions(countries="DE")

    assert region("DE-BY").aliases == "Bayern"


def test_load_regions_gives_osaka_prefecture_its_japanese_name(db):
    load_regions(countries="DE,JP")

    osaka = region("JP-27")
    assert (osaka.name_en, osaka.name_ja) == ("Osaka", "大阪")
    assert (osaka.slug, osaka.iso_type) == ("jp-27", "Prefecture")
    assert osaka.parent == region("JP")


def test_load_regions_leaves_a_missing_translation_empty_so_english_is_the_fallback(db):
    load_regions(countries="AD")

    # pycountry's Japanese catalogue has Andorra la Vella but not Encamp (AD-03).
    encamp = region("AD-03")
    assert (encamp.name_en, encamp.name_de, encamp.name_ja) == ("Encamp", "Encamp", "")
    with translation.override("ja"):
        assert encamp.name == "Encamp"


def test_load_regions_attaches_subdivisions_to_their_iso_parent(db):
    load_regions(countries="AZ")

    # ISO 3166-2: Babək (AZ-BAB) lies in the Nakhchivan Autonomous Republic (AZ-NX).
    assert region("AZ-BAB").parent == region("AZ-NX")
    assert region("AZ-NX").parent == region("AZ")


def test_load_regions_twice_updates_in_place_without_duplicates(db):
    load_regions(countries="DE,JP")
    first = dict(Region.objects.values_list("iso_code", "pk"))

    output = load_regions(countries="DE,JP")

    assert dict(Region.objects.values_list("iso_code", "pk")) == first
    assert "0 created, 0 updated, 65 unchanged" in output


def test_load_regions_restores_an_iso_name_changed_in_the_database(db):
    load_regions(countries="DE")
    Region.objects.filter(iso_code="DE-BY").update(name_de="Bavaria (typo)")

    load_regions(countries="DE")

    assert region("DE-BY").name_de == "Bayern"


def test_load_regions_keeps_curated_aliases_and_centroid(db):
    load_regions(countries="DE")
    Region.objects.filter(iso_code="DE").update(aliases="BRD", latitude=51, longitude=10)

    load_regions(countries="DE")

    germany = region("DE")
    assert germany.aliases == "BRD, Federal Republic of Germany"
    assert (germany.latitude, germany.longitude) == (51, 10)


def test_load_regions_never_deletes_other_regions(db, region_factory):
    curated = region_factory(name="Testland", slug="testland")

    load_regions(countries="DE")

    assert Region.objects.filter(pk=curated.pk).exists()


def test_load_regions_refuses_an_unknown_country_code(db):
    with pytest.raises(CommandError, match="XX"):
        load_regions(countries="DE,XX")

    assert not Region.objects.exists()


def test_load_regions_refuses_to_take_over_a_slug_used_by_another_region(db, region_factory):
    region_factory(name="Testland", slug="de")

    with pytest.raises(CommandError, match="de"):
        load_regions(countries="DE")

    assert not Region.objects.filter(iso_code="DE").exists()


def test_load_regions_reports_progress_per_level(db):
    output = load_regions(countries="DE,JP")

    assert "countries: 2 read, 2 created" in output
    assert "subdivisions (level 1): 63 read, 63 created" in output


def test_load_regions_writes_in_bulk(db, django_assert_max_num_queries):
    # Read existing regions, check new slugs, then per level one insert; plus savepoints.
    with django_assert_max_num_queries(8):
        load_regions(countries="DE,JP")


def test_load_regions_without_options_loads_every_country_and_subdivision(db):
    load_regions()

    assert Region.objects.count() == len(pycountry.countries) + len(pycountry.subdivisions)


def test_an_upgraded_database_gets_the_french_names_and_a_second_run_changes_nothing(db):
    # A database loaded before French was added: the French columns came empty with the
    # migration (docs/operations.md, "Upgrading": load_regions after migrate).
    load_regions(countries="DE")
    Region.objects.update(name_fr="")

    load_regions(countries="DE")
    again = load_regions(countries="DE")

    assert (region("DE").name_fr, region("DE-BY").name_fr) == ("Allemagne", "Bavière")
    assert " 0 updated" in again
