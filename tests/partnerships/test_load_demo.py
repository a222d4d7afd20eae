"""``manage.py load_demo``: every fact of the 2015 press release, and nothing else.

The demo is loaded once for the module inside a transaction that is rolled back at the end, so
each test reads the same data (and may change it: its own ``db`` transaction is a savepoint).
"""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction

from organizations.models import Affiliation, FocusArea, Organization, Person, Region, Visibility
from partnerships import demo, rules
from partnerships.models import (
    Agreement,
    AgreementContact,
    Attendance,
    Document,
    Event,
    Signature,
    SigningEvent,
    Statement,
)

RENEWAL = "biom-osaka-bio-headquarters-cooperation-agreement-2015"
EARLIER = "biom-osaka-bio-headquarters-cooperation-agreement"


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", countries="DE,JP", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def first_run_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(first_run_output, db):
    return first_run_output


def renewal() -> Agreement:
    return Agreement.objects.get(slug=RENEWAL)


def signing_event() -> SigningEvent:
    return renewal().signing_events.get()


def model_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in ("core", "organizations", "partnerships")
        for model in apps.get_app_config(app).get_models()
    } | {
        f"{model._meta.label}.{field.name}": field.remote_field.through.objects.count()
        for app in ("core", "organizations", "partnerships")
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.many_to_many
    }


# --- Idempotence -----------------------------------------------------------------------------


def test_load_demo_reports_what_it_created(loaded):
    assert "created organisation: BioM Biotech Cluster Development GmbH" in loaded
    assert "agreement: 2 created" in loaded


def test_load_demo_twice_leaves_the_same_number_of_rows_in_every_table(loaded):
    before = model_counts()

    output = load_demo()

    assert model_counts() == before
    assert " created" not in output.split("Demo data", 1)[1]
    assert " updated" not in output.split("Demo data", 1)[1]


def test_load_demo_restores_a_fact_edited_in_the_database(loaded):
    Organization.objects.filter(slug="biom").update(postal_code="00000")

    output = load_demo()

    assert Organization.objects.get(slug="biom").postal_code == "82152"
    assert "updated organisation: BioM Biotech Cluster Development GmbH" in output


# --- Map positions ---------------------------------------------------------------------------


def test_biom_is_placed_in_munich_from_its_locality(loaded):
    biom = Organization.objects.get(slug="biom")  # "82152 Martinsried/Munich"
    assert biom.location_source == Organization.LocationSource.LOCALITY
    assert (biom.latitude, biom.longitude) == (Decimal("48.137430"), Decimal("11.575490"))


def test_organisations_without_a_locality_are_placed_at_their_regions_centre(loaded):
    osaka = Organization.objects.get(slug="osaka-bio-headquarters")  # region: Osaka prefecture
    assert osaka.location_source == Organization.LocationSource.REGION
    assert 34 < osaka.latitude < 35.2 and 135 < osaka.longitude < 136
    assert not Organization.objects.filter(location_source="").exists()


# --- Regions and strengths -------------------------------------------------------------------


def test_munich_is_a_city_in_upper_bavaria_in_bavaria(loaded):
    munich = Region.objects.get(slug="munich")
    assert munich.kind == Region.Kind.CITY
    chain = Region.objects.breadcrumb(munich)[:-1]  # the regions above Munich
    assert [r.slug for r in chain] == ["de", "de-by", "upper-bavaria"]
    assert (munich.name_en, munich.name_de, munich.name_ja) == ("Munich", "München", "ミュンヘン")
    assert munich.aliases == "München, Munchen, Muenchen, Munich"


def test_martinsried_lies_in_upper_bavaria(loaded):
    assert Region.objects.get(slug="martinsried").parent.slug == "upper-bavaria"


def test_osaka_city_lies_in_osaka_prefecture(loaded):
    osaka = Region.objects.get(slug="osaka-city")
    assert osaka.parent.iso_code == "JP-27"
    assert osaka.name_ja == "大阪市"


def test_kansai_is_a_macro_region_of_japan_with_its_six_prefectures(loaded):
    kansai = Region.objects.get(slug="kansai")
    assert kansai.kind == Region.Kind.MACRO_REGION
    assert kansai.parent.iso_code == "JP"
    assert kansai.name_ja == "関西"
    assert sorted(kansai.members.values_list("iso_code", flat=True)) == [
        "JP-25",
        "JP-26",
        "JP-27",
        "JP-28",
        "JP-29",
        "JP-30",
    ]


def test_munich_is_strong_in_personalised_medicine(loaded):
    strengths = Region.objects.get(slug="munich").strengths.values_list("slug", flat=True)
    assert list(strengths) == ["personalised-medicine"]


def test_osaka_kansai_is_strong_in_neuroscience_cancer_therapy_and_regenerative_medicine(loaded):
    strengths = Region.objects.get(slug="kansai").strengths.values_list("slug", flat=True)
    assert sorted(strengths) == ["cancer-therapy", "neuroscience", "regenerative-medicine"]


def test_focus_areas_are_named_in_english_german_and_japanese(loaded):
    area = FocusArea.objects.get(slug="personalised-medicine")
    assert (area.name_en, area.name_de, area.name_ja) == (
        "Personalised medicine",
        "Personalisierte Medizin",
        "個別化医療",
    )


# --- Organisations ---------------------------------------------------------------------------


def test_biom_is_recorded_with_the_address_and_numbers_of_the_contact_block(loaded):
    biom = Organization.objects.get(slug="biom")
    assert (biom.name, biom.short_name, biom.kind) == (
        "BioM Biotech Cluster Development GmbH",
        "BioM",
        Organization.Kind.CLUSTER,
    )
    assert biom.region.slug == "martinsried"
    assert (biom.street_address, biom.postal_code, biom.locality) == (
        "Am Klopferspitz 19 a",
        "82152",
        "Martinsried/Munich",
    )
    assert biom.website == "https://www.bio-m.org"
    assert biom.phone.as_e164 == "+49898996790"
    assert biom.email == ""


def test_osaka_bio_headquarters_is_a_cluster_in_osaka_part_of_the_senri_foundation(loaded):
    obhq = Organization.objects.get(slug="osaka-bio-headquarters")
    assert obhq.kind == Organization.Kind.CLUSTER
    assert obhq.region.iso_code == "JP-27"
    assert obhq.parent.slug == "senri-life-science-foundation"
    assert obhq.parent.kind == Organization.Kind.FOUNDATION


def test_the_senri_foundation_keeps_the_spelling_of_the_release(loaded):
    senri = Organization.objects.get(slug="senri-life-science-foundation")
    assert "Senri Life Sciences Foundation" in senri.description_en
    assert "Senri Life Sciences Foundation" in senri.description_de


def test_the_bavarian_ministry_is_a_government_body_in_bavaria(loaded):
    ministry = Organization.objects.get(slug="bavarian-state-ministry-of-economic-affairs")
    assert ministry.kind == Organization.Kind.GOVERNMENT
    assert ministry.region.iso_code == "DE-BY"


def test_cluster_organisations_focus_on_their_regions_strengths(loaded):
    def focus(slug: str) -> list[str]:
        return sorted(
            Organization.objects.get(slug=slug).focus_areas.values_list("slug", flat=True)
        )

    assert focus("biom") == ["personalised-medicine"]
    assert focus("osaka-bio-headquarters") == [
        "cancer-therapy",
        "neuroscience",
        "regenerative-medicine",
    ]


# --- People ----------------------------------------------------------------------------------


def test_kishimoto_is_named_family_name_first_in_japanese_without_an_invented_kanji_name(loaded):
    kishimoto = Person.objects.get(slug="tadamitsu-kishimoto")
    assert kishimoto.native_name == ""
    assert kishimoto.native_name_order == Person.NameOrder.FAMILY_FIRST
    assert kishimoto.display_name("ja") == "Kishimoto Tadamitsu"
    assert kishimoto.display_name("en") == "Dr. Tadamitsu Kishimoto"


@pytest.mark.parametrize(
    ("person", "organization", "position"),
    [
        ("tadamitsu-kishimoto", "osaka-bio-headquarters", "President"),
        ("horst-domdey", "biom", "CEO"),
        (
            "franz-josef-pschierer",
            "bavarian-state-ministry-of-economic-affairs",
            "State Secretary for Economic Affairs",
        ),
        ("stephanie-wehnelt", "biom", "Head of International Affairs & Training"),
    ],
)
def test_positions_stated_in_the_release_are_public(loaded, person, organization, position):
    affiliation = Affiliation.objects.get(person__slug=person, organization__slug=organization)
    assert affiliation.position_en == position
    assert affiliation.visibility == Visibility.PUBLIC


def test_only_the_published_contact_has_an_e_mail_and_phone(loaded):
    with_contact_data = Affiliation.objects.exclude(email="", phone="")
    assert [a.person.slug for a in with_contact_data] == ["stephanie-wehnelt"]
    wehnelt = with_contact_data.get()
    assert wehnelt.email == "wehnelt@bio-m.org"
    assert wehnelt.phone.as_e164 == "+49898996790"


def test_the_demo_has_exactly_the_four_people_of_the_release(loaded):
    assert sorted(Person.objects.values_list("slug", flat=True)) == [
        "franz-josef-pschierer",
        "horst-domdey",
        "stephanie-wehnelt",
        "tadamitsu-kishimoto",
    ]


# --- The agreements --------------------------------------------------------------------------


def test_the_renewal_is_between_biom_and_osaka_bio_headquarters(loaded):
    parties = renewal().parties.values_list("organization__slug", flat=True)
    assert list(parties) == ["biom", "osaka-bio-headquarters"]


def test_the_renewal_renews_the_earlier_agreement(loaded):
    agreement = renewal()
    assert agreement.previous.slug == EARLIER
    assert agreement.lineage == Agreement.Lineage.RENEWS
    assert agreement.signed_on == datetime.date(2015, 11, 2)
    assert agreement.state == Agreement.State.CONCLUDED


def test_the_earlier_agreement_has_no_known_date_or_term(loaded):
    earlier = Agreement.objects.get(slug=EARLIER)
    assert earlier.state == Agreement.State.CONCLUDED
    assert earlier.signed_on is None
    assert earlier.term == Agreement.Term.UNSTATED
    assert earlier.valid_until is None
    parties = earlier.parties.values_list("organization__slug", flat=True)
    assert list(parties) == ["biom", "osaka-bio-headquarters"]


def test_both_agreements_are_published(loaded):
    assert set(Agreement.objects.published().values_list("slug", flat=True)) == {RENEWAL, EARLIER}


def test_the_renewal_has_a_title_and_summary_in_english_german_and_japanese(loaded):
    agreement = renewal()
    for language in ("en", "de", "ja"):
        assert getattr(agreement, f"title_{language}")
        assert getattr(agreement, f"summary_{language}")


def test_the_renewal_lists_the_five_commitments_of_its_scope(loaded):
    areas = list(renewal().cooperation_areas.values_list("description_en", flat=True))
    assert len(areas) == 5
    assert "technological, industrial and academic developments" in areas[0]
    assert "technology transfer" in areas[1]
    assert "SMEs" in areas[2]
    assert "industry–academia" in areas[3]
    assert "entry portals" in areas[4]


def test_the_renewal_focuses_on_both_regions_strengths(loaded):
    assert sorted(renewal().focus_areas.values_list("slug", flat=True)) == [
        "cancer-therapy",
        "neuroscience",
        "personalised-medicine",
        "regenerative-medicine",
    ]


# --- The signing -----------------------------------------------------------------------------


def test_the_renewal_was_signed_in_munich_at_bio_europe_2015(loaded):
    event = signing_event()
    assert event.signed_on == datetime.date(2015, 11, 2)
    assert event.place.slug == "munich"
    assert event.occasion.name == "BIO-Europe 2015"


def test_bio_europe_2015_ran_in_munich_from_2_to_4_november_with_no_organiser_named(loaded):
    event = Event.objects.get(slug="bio-europe-2015")
    assert (event.starts_on, event.ends_on) == (
        datetime.date(2015, 11, 2),
        datetime.date(2015, 11, 4),
    )
    assert event.region.slug == "munich"
    assert event.organizer is None
    assert "largest partnering conference" in event.description_en
    assert "größte Partnering-Konferenz" in event.description_de


def test_pschierer_attended_the_signing_as_a_dignitary(loaded):
    attendance = Attendance.objects.get(signing_event=signing_event())
    assert attendance.person.slug == "franz-josef-pschierer"
    assert attendance.is_dignitary
    assert attendance.capacity_en == "Bavarian State Secretary for Economic Affairs"
    assert attendance.capacity_de == "Bayerischer Wirtschaftsstaatssekretär"


def test_no_signatories_are_recorded_because_the_release_names_none(loaded):
    assert not Signature.objects.exists()


# --- Quotes, contact, source -----------------------------------------------------------------


def test_both_quotes_are_statements_in_german_with_english_and_japanese_translations(loaded):
    statements = list(renewal().statements.all())
    assert [s.person.slug for s in statements] == ["tadamitsu-kishimoto", "horst-domdey"]
    for statement in statements:
        assert statement.original_language == "de"
        assert statement.text_en and statement.text_ja


def test_the_german_quotes_are_the_words_of_the_release(loaded):
    release = demo.press_release_text()
    for statement in Statement.objects.all():
        for paragraph in statement.text_de.split("\n\n"):
            for sentence in paragraph.split(". "):
                assert sentence.rstrip(".") in release


def test_stephanie_wehnelt_is_the_public_contact_for_biom(loaded):
    contact = AgreementContact.objects.get(agreement=renewal())
    assert contact.party.organization.slug == "biom"
    assert contact.affiliation.person.slug == "stephanie-wehnelt"
    assert contact.affiliation.visibility == Visibility.PUBLIC


def test_the_press_release_is_kept_verbatim_as_a_german_document(loaded):
    document = Document.objects.get(agreement=renewal())
    assert document.kind == Document.Kind.PRESS_RELEASE
    assert document.language == "de"
    assert document.published_on == datetime.date(2015, 11, 4)
    assert document.text == demo.PRESS_RELEASE_PATH.read_text(encoding="utf-8")
    assert document.text.startswith("Auf der BIO-Europe, Europas größter Partnering-Konferenz")
    assert document.text.endswith("Web: www.bio-m.org")


def test_every_position_is_dated_as_of_the_press_release_not_today(loaded):
    from organizations.models import Affiliation

    assert set(Affiliation.objects.values_list("stated_on", flat=True)) == {
        datetime.date(2015, 11, 4)
    }


# --- The demo goes through the shared rules and the publish service -------------------------


def test_load_demo_republishes_a_withdrawn_agreement_through_the_publish_rule(loaded, monkeypatch):
    Agreement.objects.filter(slug=RENEWAL).update(publication="draft")
    checked = []
    monkeypatch.setattr(rules, "check_publishable", lambda **kwargs: checked.append(kwargs))

    output = load_demo()

    assert "published agreement:" in output
    assert checked == [{"concluded": True, "party_count": 2}]
    assert renewal().is_public


def test_load_demo_stops_and_writes_nothing_when_the_party_rule_refuses(loaded, monkeypatch):
    Agreement.objects.filter(slug=RENEWAL).update(publication="draft")
    before = model_counts()

    def refuse(**kwargs):
        raise ValidationError(rules.TOO_FEW_PARTIES)

    monkeypatch.setattr(rules, "check_parties", refuse)

    with pytest.raises(ValidationError):
        load_demo()

    assert model_counts() == before
    assert not renewal().is_public


def test_the_2015_scope_items_are_commitments_with_no_activity(loaded):
    from partnerships.models import Activity, Commitment

    renewal = Agreement.objects.get(slug=demo.RENEWAL["slug"])
    commitments = Commitment.objects.filter(agreement=renewal)

    assert commitments.count() == 5
    assert all(c.cooperation_area.agreement_id == renewal.pk for c in commitments)
    assert commitments.filter(
        text_de__startswith="Austausch zu Best Practices im Technologie"
    ).exists()
    assert not Activity.objects.filter(agreement=renewal).exists()  # the release records none
