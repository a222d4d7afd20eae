"""manage.py generate_fake_data: a synthetic data set for the search benchmark."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from organizations.models import Affiliation, Organization, Person, Region
from partnerships import rules
from partnerships.models import Agreement


def generate(**options) -> str:
    out = StringIO()
    call_command("generate_fake_data", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_it_creates_the_requested_number_of_organisations_with_people_and_agreements():
    generate(organizations=40, batch_size=15)
    assert Organization.objects.filter(slug__startswith="fake-").count() == 40
    assert Person.objects.filter(slug__startswith="fake-").count() == 20
    assert Agreement.objects.filter(slug__startswith="fake-").count() == 8
    assert Affiliation.objects.filter(person__slug__startswith="fake-").count() == 20


@pytest.mark.django_db
def test_every_generated_name_is_clearly_fake():
    generate(organizations=30)
    for organization in Organization.objects.all():
        assert organization.name_en.startswith("Fake ")
        assert not organization.name_de or organization.name_de.startswith("Fiktiv")
        assert not organization.name_ja or organization.name_ja.startswith("架空")
    assert all(p.family_name.startswith("Fakename") for p in Person.objects.all())


@pytest.mark.django_db
def test_it_builds_a_region_tree_several_levels_deep():
    generate(organizations=5)
    city = Region.objects.filter(slug__startswith="fake-city-").first()
    assert city.parent.kind == Region.Kind.SUBDIVISION
    assert city.parent.parent.kind == Region.Kind.COUNTRY
    assert Region.objects.filter(kind=Region.Kind.MACRO_REGION, members__isnull=False).exists()


@pytest.mark.django_db
def test_generated_organisations_are_searchable():
    generate(organizations=20)
    organization = Organization.objects.filter(slug__startswith="fake-").first()
    assert organization.search_document.startswith("fake ")
    assert organization.search_terms


@pytest.mark.django_db
def test_a_second_run_adds_to_the_first():
    generate(organizations=10)
    generate(organizations=10)
    assert Organization.objects.filter(slug__startswith="fake-").count() == 20


@pytest.mark.django_db
def test_it_reports_progress():
    assert "organisations 10/10" in generate(organizations=10)


@pytest.mark.django_db
def test_delete_removes_only_generated_data(organization_factory):
    kept = organization_factory(name="Example Cluster Kept")
    generate(organizations=10)
    generate(delete=True)
    assert list(Organization.objects.all()) == [kept]
    assert not Region.objects.filter(slug__startswith="fake-").exists()
    assert not Agreement.objects.filter(slug__startswith="fake-").exists()


@pytest.mark.django_db
def test_every_generated_agreement_passes_the_shared_party_and_publish_rules(monkeypatch):
    checked = {"parties": 0, "publishable": 0}

    def counting(name, rule):
        def check(**kwargs):
            checked[name] += 1
            rule(**kwargs)

        return check

    monkeypatch.setattr(rules, "check_parties", counting("parties", rules.check_parties))
    monkeypatch.setattr(
        rules, "check_publishable", counting("publishable", rules.check_publishable)
    )

    generate(organizations=40)

    fake = Agreement.objects.filter(slug__startswith="fake-")
    assert checked == {"parties": fake.count(), "publishable": fake.published().count()}


@pytest.mark.django_db
def test_an_agreement_refused_by_the_shared_rules_stops_the_batch_before_it_is_written(
    monkeypatch,
):
    def refuse(**kwargs):
        raise ValidationError(rules.TOO_FEW_PARTIES)

    monkeypatch.setattr(rules, "check_parties", refuse)

    with pytest.raises(ValidationError):
        generate(organizations=40)

    assert not Agreement.objects.filter(slug__startswith="fake-").exists()


@pytest.mark.django_db
def test_it_creates_events_signings_at_them_and_contacts():
    from partnerships.models import AgreementContact, Event, SigningEvent

    generate(organizations=300)
    assert Event.objects.filter(slug__startswith="fake-").exists()
    signing = SigningEvent.objects.select_related("occasion").first()
    assert signing is not None
    assert signing.occasion.starts_on <= signing.signed_on <= signing.occasion.ends_on
    contact = AgreementContact.objects.select_related("party", "affiliation").first()
    assert contact is not None
    assert contact.affiliation.organization_id == contact.party.organization_id
    generate(delete=True)
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_generated_organisations_are_found_by_their_focus_areas():
    """The focus-area links are written before the rows: the search trigger sees them."""
    generate(organizations=5)
    organization = Organization.objects.filter(slug__startswith="fake-").first()
    area = organization.focus_areas.first()
    assert area is not None
    assert area.name_en.lower() in organization.search_document


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data():
    generate(organizations=10)
    first = list(Organization.objects.order_by("slug").values_list("slug", "name_en"))
    generate(delete=True)
    generate(organizations=10)
    assert list(Organization.objects.order_by("slug").values_list("slug", "name_en")) == first


@pytest.mark.django_db
def test_generated_organisations_have_synthetic_positions_at_their_regions_centre():
    generate(organizations=40)
    fake_regions = Region.objects.filter(slug__startswith="fake-").exclude(kind="macro_region")
    assert not fake_regions.filter(latitude__isnull=True).exists()
    in_fake_regions = Organization.objects.filter(region__slug__startswith="fake-")
    assert in_fake_regions.exists()
    for organization in in_fake_regions.select_related("region"):
        assert organization.location_source == Organization.LocationSource.REGION
        assert abs(organization.latitude - organization.region.latitude) <= 0.15
        assert abs(organization.longitude - organization.region.longitude) <= 0.15


@pytest.mark.django_db
def test_it_creates_about_five_synthetic_activities_per_agreement_and_year():
    from partnerships.models import Activity

    generate(organizations=40, activities_per_year=5, activity_years=2)

    concluded = Agreement.objects.filter(slug__startswith="fake-", state="concluded")
    activities = Activity.objects.filter(agreement__in=concluded)
    assert 0 < activities.count() <= concluded.count() * 11
    assert all(
        a.startswith("Fake activity") for a in activities.values_list("description_en", flat=True)
    )
    assert activities.filter(visibility="public").exists()


@pytest.mark.django_db
def test_delete_removes_the_generated_activities():
    from partnerships.models import Activity

    generate(organizations=20, activities_per_year=5)
    generate(delete=True)

    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_about_half_the_organisations_get_a_valid_partner_profile():
    generate(organizations=40)

    profiled = list(Organization.objects.filter(member_count__isnull=False))
    assert 5 < len(profiled) < 35
    for organization in profiled:
        organization.full_clean()  # SMEs within members, ISO 639 languages
        assert "en" in organization.languages
        assert 1 <= organization.target_regions.count() <= 3
