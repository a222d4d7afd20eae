"""Map positions (organizations/geocoding.py): the offline gazetteer, the region's centre as the
approximate fallback, ``manage.py locate_organizations``, the admin override, and where the
position is shown (page, API, JSON-LD).

Personas (tests/personas.py): Anna manages BioM and corrects its position by hand; the
administrator does the same for any organisation.
"""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from organizations import geocoding
from organizations.geocoding import organization_position_before_save, regions_fill_centres
from organizations.models import Organization, Region
from organizations.search.highlight import fold
from tests.admin_post import form_post_data
from tests.organizations.test_search_highlight import TRICKY, database
from tests.personas import build_cast

Source = Organization.LocationSource


@pytest.fixture(scope="module")
def places() -> geocoding.Gazetteer:
    return geocoding.gazetteer()


# --- The gazetteer ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["München", "Munich", "Muenchen", "MÜNCHEN", "ミュンヘン"])
def test_munich_is_found_by_any_of_its_names(places, name):
    place = places.find(name, country="DE", admin1="02")
    assert place is not None
    assert place.name == "Munich"
    assert round(place.latitude, 2) == 48.14


@pytest.mark.parametrize("name", ["大阪", "大阪市", "Osaka", "Ōsaka", "Osaka-shi"])
def test_osaka_is_found_in_japanese_and_in_latin_script(places, name):
    place = places.find(name, country="JP", admin1="32")
    assert place is not None
    assert place.name == "Osaka"


def test_a_name_is_looked_up_in_its_country_only(places):
    assert places.find("Munich", country="JP") is None


def test_the_subdivision_chooses_between_places_of_the_same_name(places):
    assert places.find("Frankfurt", country="DE").name == "Frankfurt am Main"  # most populous
    assert places.find("Frankfurt", country="DE", admin1="11").name == "Frankfurt (Oder)"


@pytest.mark.parametrize(
    ("iso_code", "largest_place"),
    [
        ("DE-BY", "Munich"),
        ("DE-BE", "Berlin"),
        ("DE-NW", "Köln"),
        ("DE-SN", "Dresden"),
        ("JP-27", "Osaka"),
        ("JP-13", "Tokyo"),
        ("JP-01", "Sapporo"),
        ("JP-23", "Nagoya"),
        ("JP-47", "Naha"),
        ("JP-28", "Kobe"),
        ("JP-40", "Fukuoka"),
    ],
)
def test_iso_subdivisions_map_to_the_gazetteers_admin1_codes(places, iso_code, largest_place):
    admin1 = places.admin1_code(iso_code)
    country = iso_code[:2]
    in_it = [p for p in places.places if p.country == country and p.admin1 == admin1]
    assert max(in_it, key=lambda p: p.population).name == largest_place


@pytest.mark.parametrize("country", ["DE", "JP"])
def test_the_curated_table_covers_every_admin1_code_of_germany_and_japan_once(places, country):
    codes = [code for iso, code in geocoding.ADMIN1.items() if iso.startswith(country)]
    assert len(codes) == len(set(codes))
    assert set(codes) == {p.admin1 for p in places.places if p.country == country}


def test_admin1_letters_are_taken_as_they_are_but_digits_are_not(places):
    assert places.admin1_code("US-CA") == "CA"
    # ISO's JP-27 is Osaka; GeoNames' 27 is Nagasaki: digits alone say nothing.
    assert places.admin1_code("XX-27", ["Nowhere"]) == ""


def test_the_centre_of_a_region_is_a_place_inside_it(places):
    bavaria = places.centre(country="DE", admin1="02")
    assert bavaria.admin1 == "02"
    assert 48 < bavaria.latitude < 50 and 10 < bavaria.longitude < 13  # central Bavaria


@pytest.mark.django_db
@pytest.mark.parametrize("text", TRICKY)
def test_the_fast_fold_is_the_search_normaliser(text):
    assert fold(text) == database("organizations_search_normalize", text)


# --- Placing organisations --------------------------------------------------------------------


@pytest.fixture
def bavaria(db):
    germany = Region.objects.create(name="Germany", slug="de", kind="country", iso_code="DE")
    return Region.objects.create(
        name="Bavaria", slug="de-by", kind="subdivision", iso_code="DE-BY", parent=germany
    )


@pytest.fixture
def osaka_prefecture(db):
    japan = Region.objects.create(name="Japan", slug="jp", kind="country", iso_code="JP")
    return Region.objects.create(
        name="Osaka", slug="jp-27", kind="subdivision", iso_code="JP-27", parent=japan
    )


@pytest.fixture
def atlantis(db):
    return Region.objects.create(name="Atlantis", slug="atlantis", kind="country")


def test_an_organisation_is_placed_by_its_locality(bavaria, organization_factory):
    organization = organization_factory(region=bavaria, locality="Martinsried/München")

    position = geocoding.locate_one(organization)

    assert position.source == Source.LOCALITY
    assert position.label == "Munich"
    assert position.latitude == Decimal("48.137430")


def test_an_organisation_in_osaka_is_placed_by_its_japanese_locality(
    osaka_prefecture, organization_factory
):
    organization = organization_factory(region=osaka_prefecture, locality="大阪市")

    position = geocoding.locate_one(organization)

    assert (position.source, position.label) == (Source.LOCALITY, "Osaka")


def test_a_city_region_places_an_organisation_without_a_locality(bavaria, organization_factory):
    munich = Region.objects.create(
        name="München", slug="munich", kind="city", parent=bavaria, aliases="Munich"
    )
    organization = organization_factory(region=munich, locality="")

    assert geocoding.locate_one(organization).label == "Munich"


def test_an_unknown_town_is_placed_at_the_centre_of_its_region(
    bavaria, organization_factory, places
):
    organization = organization_factory(region=bavaria, locality="Nowhereville")

    position = geocoding.locate_one(organization)

    assert position.source == Source.REGION
    assert position.label == "Bavaria"
    centre = places.centre(country="DE", admin1="02")
    assert position.latitude == Decimal(str(centre.latitude)).quantize(Decimal("0.000001"))


def test_a_region_centre_stored_on_the_region_comes_first(bavaria, organization_factory):
    Region.objects.filter(pk=bavaria.pk).update(latitude=Decimal("49"), longitude=Decimal("11"))
    organization = organization_factory(region=bavaria, locality="")

    position = geocoding.locate_one(organization)

    assert (position.latitude, position.longitude) == (Decimal("49"), Decimal("11"))


def test_an_unknown_region_leaves_the_organisation_unplaced(atlantis, organization_factory):
    organization = organization_factory(region=atlantis, locality="Poseidonia")

    assert geocoding.locate_one(organization) is None


def test_region_centres_are_filled_for_countries_and_subdivisions(bavaria, atlantis):
    assert regions_fill_centres() == 2  # Germany and Bavaria; Atlantis has no ISO code

    bavaria.refresh_from_db()
    assert 48 < bavaria.latitude < 50


# --- The position on save ---------------------------------------------------------------------


def test_a_new_organisation_is_placed_when_saved(bavaria, organization_factory):
    organization = organization_factory.build(region=bavaria, locality="München")

    organization_position_before_save(organization=organization, changed=[])

    assert organization.location_source == Source.LOCALITY


def test_typed_coordinates_are_kept_as_entered_even_when_the_locality_changes(
    bavaria, organization_factory
):
    organization = organization_factory(region=bavaria, locality="München")
    organization.latitude, organization.longitude = Decimal("48.2"), Decimal("11.6")
    organization_position_before_save(organization=organization, changed=["latitude"])
    assert organization.location_source == Source.ENTERED

    organization.locality = "Augsburg"
    organization_position_before_save(organization=organization, changed=["locality"])

    assert (organization.latitude, organization.location_source) == (
        Decimal("48.2"),
        Source.ENTERED,
    )


def test_a_changed_locality_moves_an_organisation_placed_by_the_gazetteer(
    bavaria, organization_factory
):
    organization = organization_factory(region=bavaria, locality="München")
    organization_position_before_save(organization=organization, changed=[])
    organization.save()

    organization.locality = "Augsburg"
    organization_position_before_save(organization=organization, changed=["locality"])

    assert round(organization.latitude) == 48 and round(organization.longitude) == 11
    assert organization.latitude != Decimal("48.137430")


def test_half_a_position_is_refused_with_a_message_on_the_missing_field(organization_factory):
    organization = organization_factory.build(latitude=Decimal("48.1"))

    with pytest.raises(ValidationError) as raised:
        organization.full_clean(exclude=["region", "slug"])

    assert raised.value.message_dict["longitude"] == [
        "Give both latitude and longitude, or neither."
    ]


def test_a_latitude_beyond_the_pole_is_refused_with_a_message(organization_factory):
    organization = organization_factory.build(latitude=Decimal("91"), longitude=Decimal("0"))

    with pytest.raises(ValidationError) as raised:
        organization.clean()

    assert "between -90 and 90" in raised.value.message_dict["latitude"][0]


def test_the_database_refuses_coordinates_without_their_source(organization_factory):
    organization = organization_factory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=organization.pk).update(
            latitude=Decimal("1"), longitude=Decimal("1")
        )


# --- The admin: a manager's or administrator's override ---------------------------------------


@pytest.fixture
def cast(db):
    return build_cast()


@pytest.mark.parametrize("persona", ["anna_biom_manager", "admin_administrator"])
def test_typed_coordinates_are_saved_as_entered_by_hand(client, cast, persona):
    biom = cast.records["organizations"]["biom"]
    client.force_login(cast.users[persona])
    url = reverse("admin:organizations_organization_change", args=[biom.pk])
    data = form_post_data(client.get(url))
    data.update(latitude="48.1100", longitude="11.4600")

    response = client.post(url, data)

    assert response.status_code == 302
    biom.refresh_from_db()
    assert (biom.latitude, biom.longitude) == (Decimal("48.11"), Decimal("11.46"))
    assert biom.location_source == Source.ENTERED
    page = client.get(url).content.decode()
    assert "entered by hand" in page


def test_clearing_the_coordinates_lets_the_gazetteer_place_it_again(client, cast, bavaria):
    biom = cast.records["organizations"]["biom"]
    Organization.objects.filter(pk=biom.pk).update(
        region=bavaria,
        locality="München",
        latitude=Decimal("1"),
        longitude=Decimal("1"),
        location_source=Source.ENTERED,
    )
    client.force_login(cast.users["anna_biom_manager"])
    url = reverse("admin:organizations_organization_change", args=[biom.pk])
    data = form_post_data(client.get(url))
    data.update(latitude="", longitude="")

    assert client.post(url, data).status_code == 302

    biom.refresh_from_db()
    assert biom.location_source == Source.LOCALITY
    assert biom.latitude == Decimal("48.137430")


def test_the_change_form_says_a_region_centre_is_approximate(client, cast, bavaria):
    biom = cast.records["organizations"]["biom"]
    Organization.objects.filter(pk=biom.pk).update(
        region=bavaria,
        latitude=Decimal("48.8"),
        longitude=Decimal("11.4"),
        location_source=Source.REGION,
    )
    client.force_login(cast.users["admin_administrator"])

    page = client.get(reverse("admin:organizations_organization_change", args=[biom.pk]))

    assert "approximate: centre of Bavaria" in page.content.decode()


def test_half_a_position_in_the_admin_is_refused_and_nothing_is_saved(client, cast):
    biom = cast.records["organizations"]["biom"]
    client.force_login(cast.users["anna_biom_manager"])
    url = reverse("admin:organizations_organization_change", args=[biom.pk])
    data = form_post_data(client.get(url))
    data.update(latitude="48.1", longitude="")

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["longitude"] == [
        "Give both latitude and longitude, or neither."
    ]
    biom.refresh_from_db()
    assert biom.latitude is None


# --- manage.py locate_organizations -----------------------------------------------------------


def locate_organizations(*args: str) -> str:
    out = StringIO()
    call_command("locate_organizations", *args, stdout=out)
    return out.getvalue()


def test_the_command_places_what_it_can_and_lists_what_it_cannot(
    bavaria, atlantis, organization_factory
):
    munich = organization_factory(name="Munich Cluster", region=bavaria, locality="München")
    village = organization_factory(name="Village Cluster", region=bavaria, locality="Nowhere")
    organization_factory(name="Lost Cluster", region=atlantis, locality="Poseidonia")

    output = locate_organizations()

    assert "Placed by locality: 1\n" in output
    assert "Placed at the centre of their region (approximate): 1\n" in output
    assert "Not placed: 1\n  - Lost Cluster\n" in output
    assert "Region centres filled from the gazetteer: 1" in output  # Bavaria
    munich.refresh_from_db()
    village.refresh_from_db()
    assert munich.location_source == Source.LOCALITY
    assert village.location_source == Source.REGION


def test_the_command_run_twice_writes_nothing_the_second_time(bavaria, organization_factory):
    organization_factory(region=bavaria, locality="München")
    locate_organizations()

    assert "0 positions written" in locate_organizations("--all")
    assert "Placed by locality: 0\n" in locate_organizations()  # nothing left to place


def test_the_command_with_all_keeps_positions_entered_by_hand(bavaria, organization_factory):
    entered = organization_factory(
        region=bavaria,
        locality="München",
        latitude=Decimal("48"),
        longitude=Decimal("11"),
        location_source=Source.ENTERED,
    )

    locate_organizations("--all")

    entered.refresh_from_db()
    assert (entered.latitude, entered.location_source) == (Decimal("48"), Source.ENTERED)


# --- Where the position is shown --------------------------------------------------------------


@pytest.fixture
def placed(bavaria, organization_factory):
    organization = organization_factory(region=bavaria, locality="München", slug="placed")
    organization_position_before_save(organization=organization, changed=[])
    organization.save()
    return organization


def test_the_organisation_page_shows_the_position_and_where_it_comes_from(client, placed):
    page = client.get(placed.get_absolute_url()).content.decode()

    assert "48.1374, 11.5755" in page
    assert "from its locality" in page


def test_the_organisation_page_says_when_the_position_is_approximate(
    client, bavaria, organization_factory
):
    organization = organization_factory(region=bavaria, locality="")
    organization_position_before_save(organization=organization, changed=[])
    organization.save()

    page = client.get(organization.get_absolute_url()).content.decode()

    assert "approximate: centre of Bavaria" in page


def test_json_ld_gives_the_organisations_geo_coordinates(client, placed):
    from portal.jsonld import organization_jsonld

    request = client.get("/").wsgi_request
    data = organization_jsonld(placed, request=request)

    assert data["location"]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 48.13743,
        "longitude": 11.57549,
    }


def test_the_api_gives_latitude_longitude_and_their_source(client, placed):
    data = client.get(f"/api/v1/organizations/{placed.pk}/").json()

    assert (data["latitude"], data["longitude"]) == (48.13743, 11.57549)
    assert data["location_source"] == "locality"
