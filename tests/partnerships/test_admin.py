"""The agreement admin: one agreement, with everything around it, recorded from one page."""

import datetime
import re
from urllib.parse import parse_qsl

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.urls import reverse

from organizations.models import Person, Region
from partnerships import rules
from partnerships.admin import PartyRegionListFilter
from partnerships.models import (
    Agreement,
    AgreementContact,
    AgreementParty,
    Attendance,
    CooperationArea,
    Document,
    Signature,
    SigningEvent,
    Statement,
)

PARTNERSHIP_MODELS = [
    "event",
    "agreement",
    "agreementparty",
    "cooperationarea",
    "signingevent",
    "signature",
    "attendance",
    "statement",
    "agreementcontact",
    "document",
]
ADD_URL = reverse("admin:partnerships_agreement_add")
CHANGELIST_URL = reverse("admin:partnerships_agreement_changelist")
NOTHING_WRITTEN_MODELS = [
    Agreement,
    AgreementParty,
    CooperationArea,
    SigningEvent,
    Signature,
    Attendance,
    Statement,
    AgreementContact,
    Document,
]


@pytest.fixture
def recorded_agreement(signature_factory, attendance_factory, statement_factory, db):
    """An agreement with one of everything, so that every changelist has a row to render."""
    from tests import factories

    signature = signature_factory(signing_event__occasion=factories.EventFactory())
    agreement = signature.signing_event.agreement
    factories.AgreementPartyFactory(agreement=agreement)
    factories.CooperationAreaFactory(agreement=agreement)
    attendance_factory(signing_event=signature.signing_event)
    statement_factory(agreement=agreement)
    factories.AgreementContactFactory(agreement=agreement, party=signature.party)
    factories.DocumentFactory(agreement=agreement)
    return agreement


def management_form(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def translated(name: str, en: str, de: str = "", ja: str = "") -> dict[str, str]:
    return {f"{name}_en": en, f"{name}_de": de, f"{name}_ja": ja}


def agreement_post_data(
    *,
    parties,
    signatory=None,
    on_behalf_of=None,
    attendee=None,
    speaker=None,
    event=None,
    place=None,
    contact=None,
    **overrides,
) -> dict[str, str]:
    """The POST of the agreement add page, with every inline's management form.

    ``parties`` are organisations; a signing event is included when ``signatory`` is given, and
    its signature and attendance rows are nested under the prefix ``signing_events-0-…``.
    """
    data = {
        **translated(
            "title",
            "Example cooperation agreement, renewed",
            "Beispiel-Kooperationsvertrag, erneuert",
            "協力協定の例（更新）",
        ),
        **translated("summary", "Renewal of the example cooperation.", "Erneuerung.", "更新。"),
        **translated("terms", "Exchange of information.", "", ""),
        "slug": "example-cooperation-renewed",
        "code": "EX-2015",
        "kind": Agreement.Kind.RENEWAL,
        "state": Agreement.State.CONCLUDED,
        "signed_on": "2015-11-02",
        "effective_from": "",
        "term": Agreement.Term.OPEN_ENDED,
        "valid_until": "",
        "term_length": "",
        "term_length_unit": "years",
        "notice_period": "",
        "notice_period_unit": "months",
        "terminated_on": "",
        "previous": "",
        "lineage": "",
        "authentic_languages": "en,ja",
        "initial-authentic_languages": "",
        "_save": "Save",
    }
    data.update(management_form("parties", len(parties)))
    for index, organization in enumerate(parties):
        data.update(
            {
                f"parties-{index}-organization": str(organization.pk),
                f"parties-{index}-role": AgreementParty.Role.PARTNER,
                f"parties-{index}-position": str(index),
                **translated(f"parties-{index}-role_description", f"Partner {index}"),
            }
        )
    data.update(management_form("cooperation_areas", 1))
    data.update(
        {
            **translated(
                "cooperation_areas-0-description",
                "Joint test workshops",
                "Gemeinsame Test-Workshops",
                "共同テストワークショップ",
            ),
            "cooperation_areas-0-position": "0",
        }
    )
    data.update(management_form("signing_events", 1 if signatory else 0))
    if signatory:
        data.update(
            {
                "signing_events-0-signed_on": "2015-11-02",
                "signing_events-0-occasion": str(event.pk) if event else "",
                "signing_events-0-place": str(place.pk) if place else "",
                **translated("signing_events-0-venue", "Example Congress Centre"),
                **translated("signing_events-0-description", ""),
            }
        )
        data.update(management_form("signing_events-0-signatures", 1))
        data.update(
            {
                "signing_events-0-signatures-0-person": str(signatory.pk),
                "signing_events-0-signatures-0-on_behalf_of": str(on_behalf_of.pk),
                **translated("signing_events-0-signatures-0-capacity", "CEO", "Geschäftsführer"),
            }
        )
        data.update(management_form("signing_events-0-attendances", 1 if attendee else 0))
        if attendee:
            data.update(
                {
                    "signing_events-0-attendances-0-person": str(attendee.pk),
                    "signing_events-0-attendances-0-organization": "",
                    "signing_events-0-attendances-0-is_dignitary": "on",
                    **translated(
                        "signing_events-0-attendances-0-capacity",
                        "Test State Secretary",
                        "Test-Staatssekretär",
                    ),
                }
            )
    data.update(management_form("statements", 1 if speaker else 0))
    if speaker:
        data.update(
            {
                "statements-0-person": str(speaker.pk),
                "statements-0-organization": str(parties[0].pk),
                "statements-0-original_language": "de",
                "statements-0-position": "0",
                **translated("statements-0-capacity", "CEO"),
                **translated(
                    "statements-0-text",
                    "We look forward to the next years.",
                    "Wir freuen uns auf die nächsten Jahre.",
                    "今後の協力を楽しみにしています。",
                ),
            }
        )
    data.update(management_form("contacts", 1 if contact else 0))
    if contact:
        data.update(
            {
                "contacts-0-on_behalf_of": str(contact.organization_id),
                "contacts-0-affiliation": str(contact.pk),
            }
        )
    data.update(management_form("documents", 0))
    data.update(management_form("reminders", 0))  # read-only: the reminders sent
    data.update(overrides)
    return data


def nothing_was_written() -> bool:
    return all(not model.objects.exists() for model in NOTHING_WRITTEN_MODELS)


@pytest.fixture
def cast(organization_factory, person_factory, affiliation_factory, event_factory):
    """Two organisations, a signatory, a dignitary, a speaker, an occasion and a contact."""
    first = organization_factory(name="Example Cluster Testland")
    second = organization_factory(name="Example Bio Headquarters")
    return {
        "parties": [first, second],
        "signatory": person_factory(),
        "attendee": person_factory(),
        "speaker": person_factory(),
        "event": event_factory(),
        "place": first.region,
        "contact": affiliation_factory(organization=second),
    }


# --- Every page answers ------------------------------------------------------------------------


@pytest.mark.parametrize("model", PARTNERSHIP_MODELS)
def test_changelist_of_every_partnership_model_renders_its_rows(
    admin_client, recorded_agreement, model
):
    response = admin_client.get(reverse(f"admin:partnerships_{model}_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", PARTNERSHIP_MODELS)
def test_add_page_of_every_partnership_model_renders(admin_client, model):
    response = admin_client.get(reverse(f"admin:partnerships_{model}_add"))

    assert response.status_code == 200


def test_agreement_change_page_shows_every_part_of_the_agreement(admin_client, recorded_agreement):
    signature = Signature.objects.get(signing_event__agreement=recorded_agreement)

    response = admin_client.get(
        reverse("admin:partnerships_agreement_change", args=[recorded_agreement.pk])
    )

    assert response.status_code == 200
    content = response.content.decode()
    for prefix in (
        "parties",
        "cooperation_areas",
        "signing_events",
        "signing_events-0-signatures",
        "signing_events-0-attendances",
        "statements",
        "contacts",
        "documents",
    ):
        assert f'name="{prefix}-TOTAL_FORMS"' in content
    assert str(signature.person) in content


def test_signing_event_change_page_renders_its_signatures_and_attendance(
    admin_client, recorded_agreement
):
    signing_event = SigningEvent.objects.get(agreement=recorded_agreement)

    response = admin_client.get(
        reverse("admin:partnerships_signingevent_change", args=[signing_event.pk])
    )

    assert response.status_code == 200
    assert 'name="signatures-TOTAL_FORMS"' in response.content.decode()
    assert 'name="attendances-TOTAL_FORMS"' in response.content.decode()


# --- Static assets: no CDN -----------------------------------------------------------------


def test_agreement_page_loads_no_script_or_stylesheet_from_another_host(admin_client):
    content = admin_client.get(ADD_URL).content.decode()

    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', content)
    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in assets
    assert "/static/modeltranslation/js/tabbed_translation_fields.js" in assets
    assert [url for url in assets if url.startswith(("http:", "https:", "//"))] == []


def test_vendored_jquery_ui_is_found_by_the_static_files_finders():
    assert finders.find("vendor/jquery-ui/jquery-ui.min.js")
    assert finders.find("partnerships/admin/party_choices.js")


# --- Recording an agreement from one page --------------------------------------------------


def test_whole_agreement_is_recorded_from_the_add_page(admin_client, cast):
    first, second = cast["parties"]
    data = agreement_post_data(
        parties=[first, second],
        signatory=cast["signatory"],
        on_behalf_of=first,
        attendee=cast["attendee"],
        speaker=cast["speaker"],
        event=cast["event"],
        place=cast["place"],
        contact=cast["contact"],
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302, response.context and [
        response.context["errors"],
        [fs.formset.errors for fs in response.context["inline_admin_formsets"]],
    ]
    agreement = Agreement.objects.get(slug="example-cooperation-renewed")
    assert agreement.title_de == "Beispiel-Kooperationsvertrag, erneuert"
    assert agreement.authentic_languages == ["en", "ja"]
    assert [p.organization for p in agreement.parties.all()] == [first, second]
    assert agreement.cooperation_areas.get().description_ja == "共同テストワークショップ"
    signing_event = agreement.signing_events.get()
    assert signing_event.occasion == cast["event"]
    signature = signing_event.signatures.get()
    assert signature.person == cast["signatory"]
    assert signature.party == agreement.parties.get(organization=first)
    assert signature.capacity_de == "Geschäftsführer"
    attendance = signing_event.attendances.get()
    assert attendance.person == cast["attendee"]
    assert attendance.capacity_en == "Test State Secretary"
    statement = agreement.statements.get()
    assert statement.person == cast["speaker"]
    assert statement.text_de == "Wir freuen uns auf die nächsten Jahre."
    contact = agreement.contacts.get()
    assert contact.affiliation == cast["contact"]
    assert contact.party == agreement.parties.get(organization=second)


def test_signature_added_on_the_change_page_can_name_a_party_added_at_the_same_time(
    admin_client, agreement_party_factory, organization_factory, person_factory
):
    existing = agreement_party_factory()
    agreement = existing.agreement
    newcomer = organization_factory()
    signatory = person_factory()
    data = agreement_post_data(parties=[], signatory=signatory, on_behalf_of=newcomer)
    data.update(management_form("parties", 2, initial=1))
    data.update(
        {
            "slug": agreement.slug,
            "parties-0-id": str(existing.pk),
            "parties-0-agreement": str(agreement.pk),
            "parties-0-organization": str(existing.organization_id),
            "parties-0-role": existing.role,
            "parties-0-position": "0",
            "parties-1-organization": str(newcomer.pk),
            "parties-1-role": AgreementParty.Role.PARTNER,
            "parties-1-position": "1",
        }
    )

    response = admin_client.post(
        reverse("admin:partnerships_agreement_change", args=[agreement.pk]), data
    )

    assert response.status_code == 302
    signature = Signature.objects.get(person=signatory)
    assert signature.party.organization == newcomer
    assert signature.party.agreement == agreement


def test_signature_choices_on_the_change_page_are_the_agreements_parties(
    admin_client, recorded_agreement, organization_factory
):
    outsider = organization_factory(name="Example Outsider Org")
    party_names = [str(p.organization) for p in recorded_agreement.parties.all()]

    response = admin_client.get(
        reverse("admin:partnerships_agreement_change", args=[recorded_agreement.pk])
    )

    field = response.context["inline_admin_formsets"][2].formset.forms[0].nested_formsets[0]
    choices = [label for _value, label in field.forms[0].fields["on_behalf_of"].choices][1:]
    assert sorted(choices) == sorted(party_names)
    assert str(outsider) not in choices


# --- Bad input: a clear message, nothing written ------------------------------------------


def test_concluded_agreement_with_one_party_is_refused_and_nothing_is_written(admin_client, cast):
    first, _second = cast["parties"]
    data = agreement_post_data(
        parties=[first],
        signatory=cast["signatory"],
        on_behalf_of=first,
        speaker=cast["speaker"],
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert "A concluded agreement needs at least two parties." in response.content.decode()
    assert nothing_was_written()


def test_draft_agreement_may_have_a_single_party(admin_client, cast):
    first, _second = cast["parties"]
    data = agreement_post_data(parties=[first], state=Agreement.State.DRAFT, signed_on="")

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302
    assert Agreement.objects.get().parties.count() == 1


def test_signature_for_another_agreements_party_is_refused_and_nothing_is_written(
    admin_client, cast, agreement_party_factory
):
    other_party = agreement_party_factory()
    counts_before = {model: model.objects.count() for model in NOTHING_WRITTEN_MODELS}
    data = agreement_post_data(
        parties=cast["parties"],
        signatory=cast["signatory"],
        on_behalf_of=other_party.organization,
        speaker=cast["speaker"],
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    signature_form = response.context["inline_admin_formsets"][2].formset.forms[0]
    signature_errors = signature_form.nested_formsets[0].forms[0].errors
    assert signature_errors["on_behalf_of"] == [
        "Choose one of this agreement's parties. If the organisation is missing, "
        "add it as a party first."
    ]
    assert "Choose one of this agreement&#x27;s parties." in response.content.decode()
    assert {model: model.objects.count() for model in NOTHING_WRITTEN_MODELS} == counts_before


def test_a_signature_left_without_a_party_is_for_the_party_the_signatory_works_at(
    admin_client, cast, affiliation_factory
):
    first, second = cast["parties"]
    affiliation_factory(person=cast["signatory"], organization=second, position="Director")
    data = agreement_post_data(
        parties=[first, second], signatory=cast["signatory"], on_behalf_of=first
    )
    data["signing_events-0-signatures-0-on_behalf_of"] = ""

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302
    assert Signature.objects.get().party.organization == second


def test_a_signature_left_without_a_party_whose_signatory_works_at_none_is_refused(
    admin_client, cast
):
    counts_before = {model: model.objects.count() for model in NOTHING_WRITTEN_MODELS}
    data = agreement_post_data(
        parties=cast["parties"], signatory=cast["signatory"], on_behalf_of=cast["parties"][0]
    )
    data["signing_events-0-signatures-0-on_behalf_of"] = ""

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    signature_form = response.context["inline_admin_formsets"][2].formset.forms[0]
    signature_errors = signature_form.nested_formsets[0].forms[0].errors
    assert signature_errors["on_behalf_of"] == ["This field is required."]
    assert {model: model.objects.count() for model in NOTHING_WRITTEN_MODELS} == counts_before


def test_a_contact_left_without_a_party_is_for_its_contact_points_organisation(admin_client, cast):
    first, second = cast["parties"]
    data = agreement_post_data(parties=[first, second], contact=cast["contact"])
    data["contacts-0-on_behalf_of"] = ""

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302
    assert AgreementContact.objects.get().party.organization == second


def quote_only_in_japanese(cast) -> dict[str, str]:
    data = agreement_post_data(parties=cast["parties"], speaker=cast["speaker"])
    data.update(
        {
            "statements-0-organization": "",
            "statements-0-original_language": "en",  # the default, left alone
            **translated("statements-0-text", "", "", "リヨンとの協力を歓迎します。"),
            **translated("statements-0-capacity", ""),
        }
    )
    return data


def test_a_new_quote_given_only_in_japanese_was_said_in_japanese(admin_client, cast):
    response = admin_client.post(ADD_URL, quote_only_in_japanese(cast))

    assert response.status_code == 302
    assert Statement.objects.get().original_language == "ja"


def test_a_new_quote_given_in_english_too_keeps_english_as_its_original_language(
    admin_client, cast
):
    data = quote_only_in_japanese(cast)
    data["statements-0-text_en"] = "We welcome the cooperation with Lyon."

    admin_client.post(ADD_URL, data)

    assert Statement.objects.get().original_language == "en"


def test_a_new_quote_left_without_organisation_is_for_the_speakers_only_one(
    admin_client, cast, affiliation_factory
):
    first, _second = cast["parties"]
    affiliation_factory(person=cast["speaker"], organization=first, position="President")

    admin_client.post(ADD_URL, quote_only_in_japanese(cast))

    quote = Statement.objects.get()
    assert (quote.organization, quote.capacity_en) == (first, "President")


def test_valid_until_before_effective_from_is_refused_and_nothing_is_written(admin_client, cast):
    data = agreement_post_data(
        parties=cast["parties"],
        signatory=cast["signatory"],
        on_behalf_of=cast["parties"][0],
        speaker=cast["speaker"],
        term=Agreement.Term.FIXED,
        effective_from="2016-01-01",
        valid_until="2015-12-31",
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["valid_until"] == [
        "The agreement cannot end before it takes effect."
    ]
    assert "The agreement cannot end before it takes effect." in response.content.decode()
    assert nothing_was_written()


def test_attendee_who_also_signs_at_the_event_is_refused_and_nothing_is_written(admin_client, cast):
    data = agreement_post_data(
        parties=cast["parties"],
        signatory=cast["signatory"],
        on_behalf_of=cast["parties"][0],
        attendee=cast["signatory"],
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    # The message of the shared rule (partnerships/rules.py), as the service reports it.
    assert str(rules.SIGNATORY_ATTENDING) in response.content.decode()
    assert nothing_was_written()


def test_signature_admin_refuses_a_party_of_another_agreement(
    admin_client, signing_event_factory, agreement_party_factory, person_factory
):
    signing_event = signing_event_factory()
    other_party = agreement_party_factory()

    response = admin_client.post(
        reverse("admin:partnerships_signature_add"),
        {
            "signing_event": str(signing_event.pk),
            "person": str(person_factory().pk),
            "party": str(other_party.pk),
            **translated("capacity", "CEO"),
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["party"] == [
        "The signatory must sign on behalf of a party of this agreement."
    ]
    assert not Signature.objects.exists()


# --- Changelist: search, filters, query budget ---------------------------------------------


def result_list(response) -> list:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_agreement_search_finds_a_german_title(admin_client, agreement_factory):
    wanted = agreement_factory(title_de="Testabkommen über Zellforschung")
    agreement_factory()

    response = admin_client.get(CHANGELIST_URL, {"q": "Zellforschung"})

    assert result_list(response) == [wanted]


def test_agreement_search_finds_a_party_by_short_name(
    admin_client, agreement_party_factory, organization_factory
):
    party = agreement_party_factory(organization=organization_factory(short_name="EXCL"))
    agreement_party_factory()

    response = admin_client.get(CHANGELIST_URL, {"q": "EXCL"})

    assert result_list(response) == [party.agreement]


def test_agreement_status_filter_uses_the_derived_status(admin_client, agreement_factory):
    expired = agreement_factory(
        term=Agreement.Term.FIXED,
        signed_on=datetime.date(2010, 1, 1),
        valid_until=datetime.date(2012, 1, 1),
    )
    in_force = agreement_factory(term=Agreement.Term.OPEN_ENDED)

    assert result_list(admin_client.get(CHANGELIST_URL, {"status": "expired"})) == [expired]
    assert result_list(admin_client.get(CHANGELIST_URL, {"status": "in_force"})) == [in_force]


def test_agreement_status_column_sorts_by_the_derived_status(admin_client, agreement_factory):
    agreement_factory(state=Agreement.State.DRAFT, signed_on=None)
    agreement_factory()

    response = admin_client.get(CHANGELIST_URL, {"o": "4"})  # the status column

    assert [a.current_status for a in result_list(response)] == ["draft", "in_force"]


def test_agreement_kind_filter(admin_client, agreement_factory):
    mou = agreement_factory(kind=Agreement.Kind.MOU)
    agreement_factory(kind=Agreement.Kind.COOPERATION)

    assert result_list(admin_client.get(CHANGELIST_URL, {"kind__exact": "mou"})) == [mou]


def test_agreement_state_filter(admin_client, agreement_factory):
    draft = agreement_factory(state=Agreement.State.DRAFT, signed_on=None)
    agreement_factory()

    assert result_list(admin_client.get(CHANGELIST_URL, {"state__exact": "draft"})) == [draft]


def test_agreement_publication_filter(admin_client, agreement_factory):
    hidden = agreement_factory(publication="draft")
    agreement_factory()

    assert result_list(admin_client.get(CHANGELIST_URL, {"publication__exact": "draft"})) == [
        hidden
    ]


def test_agreement_year_filter(admin_client, agreement_factory):
    old = agreement_factory(signed_on=datetime.date(2009, 5, 1))
    agreement_factory(signed_on=datetime.date(2015, 11, 2))

    response = admin_client.get(CHANGELIST_URL, {"year": "2009"})

    assert result_list(response) == [old]


def test_agreement_region_filter_includes_parties_in_subregions(
    admin_client, agreement_party_factory, organization_factory, region_factory
):
    country = region_factory(name="Testland North", slug="testland-north")
    state = region_factory(
        name="North State", slug="north-state", kind=Region.Kind.SUBDIVISION, parent=country
    )
    wanted = agreement_party_factory(organization=organization_factory(region=state)).agreement
    agreement_party_factory()

    response = admin_client.get(CHANGELIST_URL, {"region": str(country.pk)})

    assert result_list(response) == [wanted]
    specs = response.context["cl"].filter_specs
    (region_filter,) = [spec for spec in specs if isinstance(spec, PartyRegionListFilter)]
    lookups = dict(region_filter.lookup_choices)
    assert lookups[state.pk] == "North State (Testland North)"  # Region.choice_label


def test_agreement_date_hierarchy_drills_into_the_signing_year(admin_client, agreement_factory):
    old = agreement_factory(signed_on=datetime.date(2009, 5, 1))
    agreement_factory(signed_on=datetime.date(2015, 11, 2))

    response = admin_client.get(CHANGELIST_URL, {"signed_on__year": "2009"})

    assert result_list(response) == [old]


def test_event_region_filter_and_search(admin_client, event_factory, region_factory):
    city = region_factory(name="Example City", slug="example-city", kind=Region.Kind.CITY)
    wanted = event_factory(name="Example Bio Days", region=city)
    event_factory()
    url = reverse("admin:partnerships_event_changelist")

    assert result_list(admin_client.get(url, {"region": str(city.pk)})) == [wanted]
    assert result_list(admin_client.get(url, {"q": "Bio Days"})) == [wanted]


def test_agreement_changelist_query_count_does_not_grow_with_rows(
    admin_client, agreement_party_factory, django_assert_max_num_queries
):
    for _ in range(30):
        party = agreement_party_factory()
        agreement_party_factory(agreement=party.agreement)
    admin_client.get(CHANGELIST_URL)  # warm the session and content-type caches

    # 1 session, 2 user, 3 the user's second-factor devices (portal/two_factor.py), 4 regions
    # for the region filter (used ones, with their parents), 5 years for the year filter, 6-7
    # counts (filtered and total), 8 the page of agreements with their derived status, 9-10
    # their parties and the parties' organisations (prefetch), 11-12 the date hierarchy
    # (first/last date, then the days), 13-15 the session's renewal (SESSION_SAVE_EVERY_REQUEST:
    # one UPDATE, inside a savepoint here because the test runs in a transaction), 16 the
    # organisations the user manages (whether to offer the "my organisations" filter).
    # None of them is per row.
    with django_assert_max_num_queries(16):
        response = admin_client.get(CHANGELIST_URL)

    assert response.context["cl"].result_count == 30


# --- Creating what is missing without leaving the page -------------------------------------


@pytest.mark.parametrize(
    ("field_id", "add_url"),
    [
        ("parties-__prefix__-organization", "admin:organizations_organization_add"),
        ("signing_events-empty-signatures-__prefix__-person", "admin:organizations_person_add"),
        ("signing_events-empty-attendances-__prefix__-person", "admin:organizations_person_add"),
        ("statements-__prefix__-person", "admin:organizations_person_add"),
        ("signing_events-__prefix__-occasion", "admin:partnerships_event_add"),
        ("contacts-__prefix__-affiliation", "admin:organizations_affiliation_add"),
    ],
)
def test_agreement_page_offers_a_popup_to_create_what_is_missing(admin_client, field_id, add_url):
    content = " ".join(admin_client.get(ADD_URL).content.decode().split())

    link = re.search(rf'<a [^>]*id="add_id_{re.escape(field_id)}"[^>]*>', content)
    assert link is not None
    assert f'href="{reverse(add_url)}?_to_field=id&amp;_popup=1' in link.group(0)


def test_person_created_in_the_popup_is_handed_back_to_the_agreement_page(admin_client):
    response = admin_client.post(
        reverse("admin:organizations_person_add") + "?_to_field=id&_popup=1",
        {
            "_popup": "1",
            "_to_field": "id",
            **translated("honorific", "Dr."),
            "given_name": "Testa",
            "family_name": "Popup",
            "native_name": "",
            "native_name_order": "given_first",
            "slug": "testa-popup",
            "affiliations-TOTAL_FORMS": "0",
            "affiliations-INITIAL_FORMS": "0",
            "affiliations-MIN_NUM_FORMS": "0",
            "affiliations-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 200
    assert "popup_response" in response.content.decode()
    assert Person.objects.filter(slug="testa-popup").exists()


# --- The signing-event page on its own ------------------------------------------------------


def signing_event_post_data(agreement, *, signatory, on_behalf_of, attendee=None) -> dict:
    data = {
        "agreement": str(agreement.pk),
        "signed_on": "2015-11-02",
        "occasion": "",
        "place": "",
        **translated("venue", ""),
        **translated("description", ""),
        **management_form("signatures", 1),
        "signatures-0-person": str(signatory.pk),
        "signatures-0-on_behalf_of": str(on_behalf_of.pk),
        **translated("signatures-0-capacity", "CEO"),
        **management_form("attendances", 1 if attendee else 0),
    }
    if attendee:
        data.update(
            {
                "attendances-0-person": str(attendee.pk),
                "attendances-0-organization": "",
                "attendances-0-is_dignitary": "on",
                **translated("attendances-0-capacity", "Guest"),
            }
        )
    return data


def test_signing_event_page_records_a_signature_for_a_saved_party(
    admin_client, agreement_party_factory, person_factory
):
    party = agreement_party_factory()
    signatory = person_factory()

    response = admin_client.post(
        reverse("admin:partnerships_signingevent_add"),
        signing_event_post_data(
            party.agreement, signatory=signatory, on_behalf_of=party.organization
        ),
    )

    assert response.status_code == 302
    assert Signature.objects.get().party == party


def test_signing_event_page_refuses_an_attendee_who_signs(
    admin_client, agreement_party_factory, person_factory
):
    party = agreement_party_factory()
    signatory = person_factory()

    response = admin_client.post(
        reverse("admin:partnerships_signingevent_add"),
        signing_event_post_data(
            party.agreement,
            signatory=signatory,
            on_behalf_of=party.organization,
            attendee=signatory,
        ),
    )

    assert response.status_code == 200
    assert "record them as a signatory only" in response.content.decode()
    assert not SigningEvent.objects.exists()


# --- The admin applies the rules of partnerships/rules.py, as the services do ------------------


def test_admin_refuses_one_party_with_the_message_of_the_shared_rule(admin_client, cast):
    first, _second = cast["parties"]

    response = admin_client.post(ADD_URL, agreement_post_data(parties=[first]))

    assert response.status_code == 200
    assert str(rules.TOO_FEW_PARTIES) in response.content.decode()
    assert nothing_was_written()


def test_admin_form_cannot_publish_an_agreement_only_the_workflow_does(admin_client, cast):
    data = agreement_post_data(parties=cast["parties"], publication="published")

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302
    assert Agreement.objects.get().publication == Agreement.Publication.DRAFT


def test_admin_refuses_a_signing_event_on_a_draft_with_the_message_of_the_signing_rule(
    admin_client, cast
):
    data = agreement_post_data(
        parties=cast["parties"],
        state=Agreement.State.DRAFT,
        signed_on="",
        signatory=cast["signatory"],
        on_behalf_of=cast["parties"][0],
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert str(rules.SIGNING_NEEDS_CONCLUDED) in response.content.decode()
    assert nothing_was_written()


def test_signing_event_page_refuses_a_draft_agreement(
    admin_client, agreement_party_factory, person_factory
):
    party = agreement_party_factory(
        agreement__state=Agreement.State.DRAFT,
        agreement__signed_on=None,
        agreement__publication="draft",
    )

    response = admin_client.post(
        reverse("admin:partnerships_signingevent_add"),
        signing_event_post_data(
            party.agreement, signatory=person_factory(), on_behalf_of=party.organization
        ),
    )

    assert response.status_code == 200
    assert str(rules.SIGNING_NEEDS_CONCLUDED) in response.content.decode()
    assert not SigningEvent.objects.exists()


# --- Date-only fields: no time-zone warning ------------------------------------------------------


def test_agreement_page_date_fields_carry_no_time_zone_warning(admin_client, recorded_agreement):
    content = admin_client.get(
        reverse("admin:partnerships_agreement_change", args=[recorded_agreement.pk])
    ).content.decode()

    date_inputs = re.findall(r'<input[^>]+class="vDateField"[^>]*>', content)
    assert len(date_inputs) >= 7  # signed, effective, valid until, terminated, signing, document…
    assert all("data-date-only" in tag for tag in date_inputs)
    assert "timezone_warning_helptext" not in content
    assert "timezonewarning" not in content
    scripts = re.findall(r'<script src="([^"]+)"', content)
    shortcuts = scripts.index("/static/admin/js/admin/DateTimeShortcuts.js")
    assert scripts.index("/static/core/admin/date_without_timezone_warning.js") > shortcuts


# --- "Builds on" and deleting a signed agreement -------------------------------------------------


def test_builds_on_autocomplete_of_an_agreement_does_not_offer_the_agreement_itself(
    admin_client, agreement_factory
):
    agreement = agreement_factory(title_en="Example cooperation 2015")
    earlier = agreement_factory(title_en="Example cooperation 2010")
    change_page = admin_client.get(
        reverse("admin:partnerships_agreement_change", args=[agreement.pk])
    ).content.decode()
    autocomplete_url = re.search(
        r'<select name="previous"[^>]*data-ajax--url="([^"]+)"', change_page
    ).group(1)

    path, query = autocomplete_url.split("?")
    # What select2 sends: the widget's URL with the search appended to its query string.
    response = admin_client.get(
        path,
        {
            **dict(parse_qsl(query)),
            "term": "Example cooperation",
            "app_label": "partnerships",
            "model_name": "agreement",
            "field_name": "previous",
        },
    )

    assert autocomplete_url.endswith(f"?exclude={agreement.pk}")
    assert [row["id"] for row in response.json()["results"]] == [str(earlier.pk)]


def test_agreement_cannot_be_saved_as_building_on_itself(admin_client, agreement_factory):
    agreement = agreement_factory()
    url = reverse("admin:partnerships_agreement_change", args=[agreement.pk])
    data = agreement_post_data(
        parties=[party.organization for party in agreement.parties.all()],
        slug=agreement.slug,
        previous=str(agreement.pk),
        lineage=Agreement.Lineage.RENEWS,
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["previous"] == [
        "An agreement cannot renew, amend or supersede itself."
    ]


def test_delete_page_of_a_signed_agreement_says_what_to_do_instead(
    admin_client, recorded_agreement
):
    response = admin_client.get(
        reverse("admin:partnerships_agreement_delete", args=[recorded_agreement.pk])
    )

    content = response.content.decode()
    assert response.context["protected"]  # its signatures protect its parties
    assert 'id="delete-instead"' in content
    assert "withdraw it from publication instead" in content
    assert "delete its signatures first" in content
    assert 'name="post"' not in content  # nothing to confirm


# --- Durations as entered ----------------------------------------------------------------------


def test_agreement_recorded_as_valid_for_five_years_shows_its_counted_end(admin_client, cast):
    data = agreement_post_data(
        parties=cast["parties"],
        term=Agreement.Term.FIXED,
        term_length="5",
        term_length_unit="years",
        notice_period="6",
        notice_period_unit="months",
    )

    response = admin_client.post(ADD_URL, data)
    agreement = Agreement.objects.get(slug="example-cooperation-renewed")
    change_page = admin_client.get(
        reverse("admin:partnerships_agreement_change", args=[agreement.pk])
    ).content.decode()

    assert response.status_code == 302
    assert (agreement.term_length_display, agreement.notice_period_display) == (
        "5 years",
        "6 months",
    )
    assert "1 November 2020 (counted from the term)" in change_page


# --- Capacities from the current position -------------------------------------------------------


def test_signatory_and_speaker_left_without_capacity_get_their_current_position(
    admin_client, cast, affiliation_factory
):
    first, _second = cast["parties"]
    for person in (cast["signatory"], cast["speaker"]):
        affiliation_factory(
            person=person,
            organization=first,
            position_en="Test president",
            position_de="Test-Präsident",
            position_ja="テスト社長",
        )
    data = agreement_post_data(
        parties=cast["parties"],
        signatory=cast["signatory"],
        on_behalf_of=first,
        speaker=cast["speaker"],
        **translated("signing_events-0-signatures-0-capacity", ""),
        **translated("statements-0-capacity", ""),
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302
    signature, statement = Signature.objects.get(), Statement.objects.get()
    for recorded in (signature, statement):
        assert (recorded.capacity_en, recorded.capacity_de, recorded.capacity_ja) == (
            "Test president",
            "Test-Präsident",
            "テスト社長",
        )


def test_on_behalf_of_lists_the_saved_parties_as_a_plain_select(admin_client, recorded_agreement):
    content = admin_client.get(
        reverse("admin:partnerships_agreement_change", args=[recorded_agreement.pk])
    ).content.decode()

    select = re.search(
        r'<select name="signing_events-0-signatures-0-on_behalf_of"[^>]*>(.*?)</select>',
        content,
        re.S,
    )
    options = re.findall(r'<option value="(\d+)"', select.group(1))
    assert "admin-autocomplete" not in select.group(0)
    assert sorted(int(pk) for pk in options) == sorted(
        recorded_agreement.parties.values_list("organization_id", flat=True)
    )


def test_agreement_titled_and_quoted_only_in_japanese_is_recorded(admin_client, cast):
    data = agreement_post_data(
        parties=cast["parties"],
        speaker=cast["speaker"],
        state=Agreement.State.DRAFT,
        signed_on="",
        **translated("title", "", "", "日本語だけの協定"),
        **translated("statements-0-text", "", "", "日本語だけの引用です。"),
        **{"statements-0-original_language": "ja"},
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302, response.context and [
        response.context["errors"],
        [fs.formset.errors for fs in response.context["inline_admin_formsets"]],
    ]
    agreement = Agreement.objects.get(slug="example-cooperation-renewed")
    assert not agreement.title_en
    assert agreement.title_ja == "日本語だけの協定"
    assert str(agreement) == "日本語だけの協定"
    assert agreement.statements.get().text_ja == "日本語だけの引用です。"


def test_agreement_without_a_title_in_any_language_is_refused_on_the_english_title(
    admin_client, cast
):
    data = agreement_post_data(
        parties=cast["parties"],
        state=Agreement.State.DRAFT,
        signed_on="",
        **translated("title", ""),
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title_en"] == [
        "Give the title in at least one language."
    ]
    assert nothing_was_written()


def test_statement_without_a_quote_in_any_language_is_refused_on_the_english_quote(
    admin_client, cast
):
    data = agreement_post_data(
        parties=cast["parties"],
        speaker=cast["speaker"],
        state=Agreement.State.DRAFT,
        signed_on="",
        **translated("statements-0-text", ""),
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    statements = next(
        fs for fs in response.context["inline_admin_formsets"] if fs.formset.prefix == "statements"
    )
    assert statements.formset.errors[0]["text_en"] == ["Give the quote in at least one language."]
    assert nothing_was_written()


def test_admin_calls_the_conference_an_event_and_the_ceremony_a_signing(admin_client):
    index = admin_client.get("/admin/").content.decode()
    assert ">Events<" in index
    assert ">Signings<" in index
    assert "Signing events" not in index

    page = admin_client.get(ADD_URL).content.decode()
    assert "Signings" in page
    assert "Held at (event)" in page  # the label of SigningEvent.occasion
    assert "Occasion" not in page


# --- Renewal deadlines: the change page, the end-of-term column, "term ends within" ----------


def test_agreement_change_page_shows_the_notice_deadline_and_next_end_of_term(
    admin_client, agreement_factory
):
    agreement = agreement_factory(
        signed_on=datetime.date(2015, 11, 2),
        term=Agreement.Term.FIXED,
        term_length=5,
        term_length_unit="years",
        notice_period=3,
        notice_period_unit="months",
        auto_renewal=True,
    )
    url = reverse("admin:partnerships_agreement_change", args=[agreement.pk])

    with time_machine.travel(datetime.datetime(2026, 11, 26, 12, tzinfo=datetime.UTC)):
        page = admin_client.get(url).content.decode()

    assert "Notice deadline: 1 August 2030" in page
    assert "End of term: 1 November 2030" in page
    assert "renews automatically unless notice is given" in page


def test_agreement_changelist_filters_terms_ending_within_months_soonest_first(
    admin_client, agreement_factory
):
    def ending(day, **fields):
        return agreement_factory(
            **{
                "signed_on": datetime.date(2015, 11, 2),
                "term": Agreement.Term.FIXED,
                "valid_until": day,
                **fields,
            }
        )

    later = ending(datetime.date(2027, 3, 1))
    sooner = ending(datetime.date(2027, 1, 15))
    # Yearly from 1 March 2015: the renewed term ends on 28 February 2027.
    renewing = ending(
        datetime.date(2016, 2, 29), signed_on=datetime.date(2015, 3, 1), auto_renewal=True
    )
    ending(datetime.date(2027, 12, 1))  # beyond six months
    ending(datetime.date(2027, 1, 1), terminated_on=datetime.date(2026, 1, 1))
    ending(datetime.date(2026, 11, 1))  # expired

    with time_machine.travel(datetime.datetime(2026, 11, 26, 12, tzinfo=datetime.UTC)):
        six = result_list(admin_client.get(CHANGELIST_URL, {"expiring": "6"}))
        three = result_list(admin_client.get(CHANGELIST_URL, {"expiring": "3"}))
        page = admin_client.get(CHANGELIST_URL, {"expiring": "6"}).content.decode()

    assert six == [sooner, renewing, later]
    assert three == [sooner]  # until 26 February 2027
    assert "28 February 2027" in page  # the end-of-term column: the renewed term's end
    assert "Within 12 months" in page


def test_an_error_in_a_nested_row_is_named_and_linked_above_the_form(admin_client, cast):
    data = agreement_post_data(
        parties=cast["parties"],
        signatory=cast["signatory"],
        on_behalf_of=cast["parties"][1],
    )
    data["signing_events-0-signatures-0-person"] = ""

    response = admin_client.post(ADD_URL, data)

    places = response.context["error_places"]
    assert [(p["label"], p["anchor"]) for p in places] == [
        ("Signing 1, signature 1", "signing_events-0-signatures-0")
    ]
    assert 'href="#signing_events-0-signatures-0"' in response.content.decode()
