"""The public agreement and event pages."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from organizations.models import Person, Visibility
from partnerships.models import Agreement

LIST_URL = "/en/agreements/"


def content(response) -> str:
    return response.content.decode()


@pytest.fixture
def filled_list(agreement_factory, agreement_party_factory):
    """30 published agreements, each with 3 parties: the list pages' query budget."""
    agreements = agreement_factory.create_batch(30)
    for agreement in agreements:
        agreement_party_factory.create_batch(3, agreement=agreement)
    return agreements


# Agreement list -------------------------------------------------------------------------------


def test_agreement_list_shows_published_agreements(client, agreement_factory):
    agreement_factory(title="Visible cooperation")
    assert "Visible cooperation" in content(client.get(LIST_URL))


def test_agreement_list_hides_unpublished_agreements(client, agreement_factory):
    agreement_factory(title="Secret cooperation", publication="draft")
    assert "Secret cooperation" not in content(client.get(LIST_URL))


def test_agreement_list_states_the_number_of_results(client, agreement_factory):
    agreement_factory.create_batch(3)
    agreement_factory(publication="draft")
    assert "3 agreements" in content(client.get(LIST_URL))


def test_agreement_list_filters_by_kind(client, agreement_factory):
    agreement_factory(title="A memorandum", kind=Agreement.Kind.MOU)
    agreement_factory(title="A framework", kind=Agreement.Kind.FRAMEWORK)
    page = content(client.get(LIST_URL, {"kind": "mou"}))
    assert "A memorandum" in page
    assert "A framework" not in page


def test_agreement_list_filters_by_derived_status(client, agreement_factory):
    agreement_factory(title="Still running", term=Agreement.Term.OPEN_ENDED)
    agreement_factory(
        title="Long over",
        signed_on=datetime.date(2001, 1, 1),
        term=Agreement.Term.FIXED,
        valid_until=datetime.date(2004, 1, 1),
    )
    page = content(client.get(LIST_URL, {"status": "expired"}))
    assert "Long over" in page
    assert "Still running" not in page


def test_agreement_list_filters_by_year_signed(client, agreement_factory):
    agreement_factory(title="From 2008", signed_on=datetime.date(2008, 5, 1))
    agreement_factory(title="From 2015", signed_on=datetime.date(2015, 11, 2))
    page = content(client.get(LIST_URL, {"year": "2008"}))
    assert "From 2008" in page
    assert "From 2015" not in page


def test_agreement_list_filters_by_focus_area(client, agreement_factory, focus_area_factory):
    focus = focus_area_factory(slug="neuroscience")
    agreement_factory(title="On the brain").focus_areas.add(focus)
    agreement_factory(title="On something else")
    page = content(client.get(LIST_URL, {"focus": "neuroscience"}))
    assert "On the brain" in page
    assert "On something else" not in page


def test_agreement_list_filters_by_organization(
    client, agreement_factory, agreement_party_factory, organization_factory
):
    org = organization_factory(slug="example-biotech")
    agreement_party_factory(
        agreement=agreement_factory(title="With Example Biotech"), organization=org
    )
    agreement_party_factory(agreement=agreement_factory(title="Without it"))
    page = content(client.get(LIST_URL, {"organization": "example-biotech"}))
    assert "With Example Biotech" in page
    assert "Without it" not in page


def test_agreement_list_region_filter_includes_sub_regions(
    client, agreement_factory, agreement_party_factory, region_factory, subdivision_factory
):
    testland = region_factory(slug="testland")
    city = subdivision_factory(parent=subdivision_factory(parent=testland), kind="city")
    agreement_party_factory(
        agreement=agreement_factory(title="Signed in a Testland city"), organization__region=city
    )
    agreement_party_factory(agreement=agreement_factory(title="Signed elsewhere"))
    page = content(client.get(LIST_URL, {"region": "testland"}))
    assert "Signed in a Testland city" in page
    assert "Signed elsewhere" not in page


def test_agreement_list_region_filter_lists_each_agreement_once(
    client, agreement_factory, agreement_party_factory, region_factory, subdivision_factory
):
    testland = region_factory(slug="testland")
    agreement = agreement_factory()
    agreement_party_factory.create_batch(
        2, agreement=agreement, organization__region=subdivision_factory(parent=testland)
    )
    response = client.get(LIST_URL, {"region": "testland"})
    assert response.context["page_obj"].paginator.count == 1


def test_agreement_list_sorts_by_title(client, agreement_factory):
    agreement_factory(title="Beta agreement", signed_on=datetime.date(2020, 1, 1))
    agreement_factory(title="Alpha agreement", signed_on=datetime.date(2010, 1, 1))
    titles = [a.title for a in client.get(LIST_URL, {"sort": "title"}).context["page_obj"]]
    assert titles == ["Alpha agreement", "Beta agreement"]


def test_agreement_list_shows_newest_first_by_default(client, agreement_factory):
    agreement_factory(title="Older", signed_on=datetime.date(2010, 1, 1))
    agreement_factory(title="Newer", signed_on=datetime.date(2020, 1, 1))
    titles = [a.title for a in client.get(LIST_URL).context["page_obj"]]
    assert titles == ["Newer", "Older"]


def test_agreement_list_says_an_unknown_filter_value_was_ignored(client, agreement_factory):
    agreement_factory(title="Still listed")
    response = client.get(LIST_URL, {"region": "atlantis"})
    assert response.status_code == 200
    assert "ignored" in content(response)
    assert "atlantis" in content(response)
    assert "Still listed" in content(response)


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=99999999999999999999999",
        "kind=treaty",
        "status=draft",
        "sort=random",
        "organization=%00",
        "focus=" + "x" * 500,
    ],
)
def test_agreement_list_ignores_malformed_filter_values(client, agreement_factory, query):
    agreement_factory(title="Still listed")
    response = client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 200
    assert "These filters were ignored" in content(response)
    assert "Still listed" in content(response)


def test_agreement_list_survives_a_malformed_query_string(client, agreement_factory):
    agreement_factory(title="Still listed")
    response = client.get(f"{LIST_URL}?%zz=%&&=&region&year=&page=")
    assert response.status_code == 200
    assert "Still listed" in content(response)


def test_agreement_list_does_not_mention_ignored_filters_for_valid_ones(client, agreement_factory):
    agreement_factory(kind=Agreement.Kind.MOU)
    assert "ignored" not in content(client.get(LIST_URL, {"kind": "mou"}))


def test_agreement_list_page_number_past_the_end_shows_the_last_page(client, agreement_factory):
    agreement_factory.create_batch(21)
    response = client.get(LIST_URL, {"page": "999"})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2


def test_agreement_list_non_numeric_page_shows_the_first_page(client, agreement_factory):
    agreement_factory()
    response = client.get(LIST_URL, {"page": "last'--"})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1


def test_agreement_list_pagination_links_keep_the_filters(client, agreement_factory):
    agreement_factory.create_batch(21, kind=Agreement.Kind.MOU)
    page = content(client.get(LIST_URL, {"kind": "mou"}))
    assert "?kind=mou&amp;page=2" in page


def test_agreement_list_filter_form_keeps_the_chosen_value(client, agreement_factory):
    agreement_factory(kind=Agreement.Kind.MOU)
    page = content(client.get(LIST_URL, {"kind": "mou"}))
    assert '<option value="mou" selected>' in page


def test_agreement_list_offers_only_regions_of_published_agreements(
    client, agreement_factory, agreement_party_factory, region_factory, subdivision_factory
):
    agreement_party_factory(
        agreement=agreement_factory(publication="draft"),
        organization__region=subdivision_factory(name="Hidden State"),
    )
    assert "Hidden State" not in content(client.get(LIST_URL))


def test_agreement_list_runs_a_fixed_number_of_queries(
    client, filled_list, django_assert_max_num_queries
):
    # count, page, parties (1 prefetch); filter choices: organisations, region ids, regions,
    # focus areas, years.
    with django_assert_max_num_queries(8):
        response = client.get(LIST_URL)
    assert len(response.context["page_obj"]) == 20


def test_filtered_agreement_list_runs_a_fixed_number_of_queries(
    client, filled_list, focus_area_factory, django_assert_max_num_queries
):
    focus = focus_area_factory()
    for agreement in filled_list:
        agreement.focus_areas.add(focus)
    organization = filled_list[0].parties.first().organization
    query = {
        "region": organization.region.parent.slug,
        "organization": organization.slug,
        "kind": "cooperation",
        "status": "in_force",
        "focus": focus.slug,
        "year": "2015",
        "sort": "title",
    }
    # + lookups of the region, organisation and focus area, and the region's subtree ids.
    with django_assert_max_num_queries(12):
        response = client.get(LIST_URL, query)
    assert response.context["page_obj"].paginator.count == 1


# Agreement detail -----------------------------------------------------------------------------


def test_agreement_detail_shows_title_and_summary(client, agreement_factory):
    agreement = agreement_factory(title="Example renewal", summary="Exchange of information.")
    page = content(client.get(agreement.get_absolute_url()))
    assert "Example renewal" in page
    assert "Exchange of information." in page


def test_agreement_detail_of_unpublished_agreement_is_not_found(client, agreement_factory):
    agreement = agreement_factory(publication="draft")
    assert client.get(agreement.get_absolute_url()).status_code == 404


def test_agreement_detail_of_unknown_slug_is_not_found(client, db):
    assert client.get("/en/agreements/no-such-agreement/").status_code == 404


def test_agreement_detail_links_the_parties(client, agreement_party_factory):
    party = agreement_party_factory(organization__name="Example Cluster Munich")
    page = content(client.get(party.agreement.get_absolute_url()))
    assert f'href="{party.organization.get_absolute_url()}"' in page
    assert "Example Cluster Munich" in page


def test_agreement_detail_shows_status_and_validity(client, agreement_factory):
    agreement = agreement_factory(
        signed_on=datetime.date(2015, 11, 2),
        term=Agreement.Term.FIXED,
        valid_until=datetime.date(2099, 12, 31),
    )
    page = content(client.get(agreement.get_absolute_url()))
    assert "In force" in page
    assert "31 December 2099" in page


def test_agreement_detail_shows_durations_as_entered_and_the_counted_end(client, agreement_factory):
    agreement = agreement_factory(
        signed_on=datetime.date(2015, 11, 2),
        term=Agreement.Term.FIXED,
        valid_until=None,
        term_length=5,
        term_length_unit="years",
        notice_period=6,
        notice_period_unit="months",
    )

    url = agreement.get_absolute_url()

    page = content(client.get(url))
    german = content(client.get(url.replace("/en/", "/de/", 1)))
    japanese = content(client.get(url.replace("/en/", "/ja/", 1)))

    assert "5 years" in page
    assert "6 months" in page
    assert "183 days" not in page
    assert '<time datetime="2020-11-01">' in page
    assert "(counted from the term)" in page
    assert "5 Jahre" in german
    assert "6 Monate" in german
    assert "5年" in japanese
    assert "6か月" in japanese


def test_agreement_detail_shows_the_notice_deadline_and_the_next_end_of_term(
    client, agreement_factory
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
    url = agreement.get_absolute_url()

    with time_machine.travel(datetime.datetime(2026, 11, 26, 12, tzinfo=datetime.UTC)):
        page = content(client.get(url))
        german = content(client.get(url.replace("/en/", "/de/", 1)))
        japanese = content(client.get(url.replace("/en/", "/ja/", 1)))

    assert "In force" in page  # renewed automatically, not expired
    assert '<time datetime="2030-08-01">1 August 2030</time>' in page
    assert '<time datetime="2030-11-01">1 November 2030</time>' in page
    assert "renews again unless notice is given" in page
    assert "Letzter Kündigungstag" in german
    assert "1. August 2030" in german
    assert "2030年8月1日" in japanese


def test_agreement_detail_of_an_expired_agreement_shows_no_deadlines(client, agreement_factory):
    agreement = agreement_factory(
        term=Agreement.Term.FIXED, valid_until=datetime.date(2016, 11, 1), notice_period=3
    )

    page = content(client.get(agreement.get_absolute_url()))

    assert "Notice deadline" not in page
    assert "End of term" not in page


def test_agreement_detail_shows_the_signing_event_and_occasion(
    client, signing_event_factory, event_factory, subdivision_factory
):
    occasion = event_factory(name="Example Partnering Days 2015")
    signing = signing_event_factory(
        occasion=occasion, place=subdivision_factory(name="Testcity"), venue="Hall A"
    )
    page = content(client.get(signing.agreement.get_absolute_url()))
    assert "Example Partnering Days 2015" in page
    assert occasion.get_absolute_url() in page
    assert "Testcity" in page
    assert "Hall A" in page


def test_agreement_detail_shows_signatories_and_on_whose_behalf(client, signature_factory):
    signature = signature_factory(
        person__given_name="Erika",
        person__family_name="Mustermann",
        party__organization__name="Example Cluster East",
        capacity="Chief Executive",
    )
    page = content(client.get(signature.signing_event.agreement.get_absolute_url()))
    assert "Erika Mustermann" in page
    assert "Chief Executive" in page
    assert "on behalf of Example Cluster East" in page


def test_agreement_detail_shows_the_dignitaries_present(client, attendance_factory):
    attendance = attendance_factory(
        person__given_name="Max", person__family_name="Testminister", capacity="State Secretary"
    )
    page = content(client.get(attendance.signing_event.agreement.get_absolute_url()))
    assert "In the presence of" in page
    assert "Max Testminister" in page
    assert "State Secretary" in page


def test_agreement_detail_lists_the_cooperation_areas(client, cooperation_area_factory):
    area = cooperation_area_factory(description="Exchange of best practice")
    page = content(client.get(area.agreement.get_absolute_url()))
    assert "Exchange of best practice" in page


def test_agreement_detail_shows_what_it_renews(client, agreement_factory):
    earlier = agreement_factory(title="First agreement", signed_on=datetime.date(2008, 1, 1))
    renewal = agreement_factory(previous=earlier, lineage=Agreement.Lineage.RENEWS)
    page = content(client.get(renewal.get_absolute_url()))
    assert "History of this agreement" in page
    assert earlier.get_absolute_url() in page
    assert "Renews “First agreement”" in page


def test_agreement_detail_shows_what_later_renewed_it(client, agreement_factory):
    earlier = agreement_factory(signed_on=datetime.date(2008, 1, 1))
    renewal = agreement_factory(
        title="The renewal", previous=earlier, lineage=Agreement.Lineage.RENEWS
    )
    page = content(client.get(earlier.get_absolute_url()))
    assert renewal.get_absolute_url() in page
    assert "Superseded" in page


def test_agreement_detail_never_names_an_unpublished_agreement_in_the_lineage(
    client, agreement_factory
):
    earlier = agreement_factory(title="Confidential precursor", publication="draft")
    renewal = agreement_factory(previous=earlier, lineage=Agreement.Lineage.RENEWS)
    page = content(client.get(renewal.get_absolute_url()))
    assert "Confidential precursor" not in page
    assert earlier.get_absolute_url() not in page


def test_agreement_detail_shows_statements(client, statement_factory):
    statement = statement_factory(text="A great potential for both regions.")
    page = content(client.get(statement.agreement.get_absolute_url()))
    assert "A great potential for both regions." in page
    assert statement.person.display_name() in page


def test_agreement_detail_shows_public_contacts(client, agreement_contact_factory):
    contact = agreement_contact_factory(affiliation__email="public@example.org")
    page = content(client.get(contact.agreement.get_absolute_url()))
    assert "public@example.org" in page


@pytest.mark.parametrize("visibility", [Visibility.HIDDEN])
def test_agreement_detail_never_shows_non_public_contacts(
    client, agreement_contact_factory, visibility
):
    contact = agreement_contact_factory(
        affiliation__email="private@example.org",
        affiliation__visibility=visibility,
        affiliation__person__family_name="Hiddenperson",
    )
    page = content(client.get(contact.agreement.get_absolute_url()))
    assert "private@example.org" not in page
    assert "Hiddenperson" not in page


def test_agreement_detail_links_public_documents(client, document_factory):
    document = document_factory(url="https://example.org/release-2015")
    page = content(client.get(document.agreement.get_absolute_url()))
    assert "https://example.org/release-2015" in page


def test_agreement_detail_never_shows_non_public_documents(client, document_factory):
    document = document_factory(title="Internal memo", is_public=False)
    page = content(client.get(document.agreement.get_absolute_url()))
    assert "Internal memo" not in page


def test_agreement_detail_shows_a_press_release_text_expandable(client, document_factory):
    document = document_factory(url="", text="Full text of the release.", language="de")
    page = content(client.get(document.agreement.get_absolute_url()))
    assert "<details" in page
    assert '<div lang="de"><p>Full text of the release.</p></div>' in page


def test_agreement_detail_formats_dates_in_german(client, agreement_factory):
    agreement = agreement_factory(signed_on=datetime.date(2015, 11, 2))
    page = content(client.get(f"/de/agreements/{agreement.slug}/"))
    assert "2. November 2015" in page


def test_agreement_detail_formats_dates_in_japanese(client, agreement_factory):
    agreement = agreement_factory(signed_on=datetime.date(2015, 11, 2))
    page = content(client.get(f"/ja/agreements/{agreement.slug}/"))
    assert "2015年11月2日" in page


def test_agreement_detail_formats_dates_in_english(client, agreement_factory):
    agreement = agreement_factory(signed_on=datetime.date(2015, 11, 2))
    assert "2 November 2015" in content(client.get(agreement.get_absolute_url()))


def test_agreement_detail_shows_japanese_names_family_name_first(client, signature_factory):
    signature = signature_factory(
        person__given_name="Taro",
        person__family_name="Yamada",
        person__native_name_order=Person.NameOrder.FAMILY_FIRST,
    )
    page = content(client.get(f"/ja/agreements/{signature.signing_event.agreement.slug}/"))
    assert "Yamada Taro" in page


def test_agreement_detail_marks_a_title_shown_in_english(client, agreement_factory):
    agreement = agreement_factory(title_en="Cooperation in English only", title_de="")
    page = content(client.get(f"/de/agreements/{agreement.slug}/"))
    assert '<span lang="en" data-fallback>Cooperation in English only</span>' in page
    assert "fallback-note" in page


@pytest.mark.parametrize("language", ["en", "de"])
def test_agreement_detail_shows_and_marks_a_title_given_only_in_japanese(
    language, client, agreement_factory
):
    agreement = agreement_factory(title="", title_ja="日本語だけの協定")
    page = content(client.get(f"/{language}/agreements/{agreement.slug}/"))
    expected_note = {"en": "(in Japanese)", "de": "(auf Japanisch)"}[language]
    assert (
        '<span lang="ja" data-fallback>日本語だけの協定</span> '
        f'<small class="fallback-note">{expected_note}</small>' in page
    )
    assert "<title>日本語だけの協定" in page


def test_agreement_detail_in_japanese_does_not_mark_a_japanese_only_title(
    client, agreement_factory
):
    agreement = agreement_factory(title="", title_ja="日本語だけの協定")
    page = content(client.get(f"/ja/agreements/{agreement.slug}/"))
    assert "日本語だけの協定" in page
    assert "fallback-note" not in page


def test_agreement_list_shows_and_marks_a_title_given_only_in_german(client, agreement_factory):
    agreement_factory(title="", title_de="Nur auf Deutsch")
    page = content(client.get("/en/agreements/"))
    assert '<span lang="de" data-fallback>Nur auf Deutsch</span>' in page
    assert "(in German)" in page


def test_agreement_detail_shows_and_marks_a_quote_given_only_in_japanese(client, statement_factory):
    statement = statement_factory(text="", text_ja="日本語だけの引用です。", original_language="ja")
    page = content(client.get(f"/en/agreements/{statement.agreement.slug}/"))
    assert '<blockquote lang="ja" data-original><p>日本語だけの引用です。</p></blockquote>' in page
    assert '<small class="fallback-note">(in Japanese)</small>' in page


def test_agreement_detail_does_not_mark_a_translated_title(client, agreement_factory):
    agreement = agreement_factory(title_en="In English", title_de="Auf Deutsch")
    page = content(client.get(f"/de/agreements/{agreement.slug}/"))
    assert "Auf Deutsch" in page
    assert "fallback-note" not in page


def test_agreement_detail_runs_a_fixed_number_of_queries(
    client,
    agreement_factory,
    agreement_party_factory,
    signature_factory,
    attendance_factory,
    statement_factory,
    agreement_contact_factory,
    document_factory,
    cooperation_area_factory,
    django_assert_max_num_queries,
):
    earlier = agreement_factory(signed_on=datetime.date(2008, 1, 1))
    agreement = agreement_factory(previous=earlier, lineage=Agreement.Lineage.RENEWS)
    agreement_factory(previous=agreement, lineage=Agreement.Lineage.AMENDS)
    parties = agreement_party_factory.create_batch(3, agreement=agreement)
    for party in parties:
        signature = signature_factory(signing_event__agreement=agreement, party=party)
        attendance_factory(signing_event=signature.signing_event)
        statement_factory(agreement=agreement)
        agreement_contact_factory(agreement=agreement, party=party)
        document_factory(agreement=agreement)
        cooperation_area_factory(agreement=agreement)
    # agreement; prefetches: parties, areas, focus areas, signing events, signatures,
    # attendances, statements, contacts, documents; lineage ids; lineage agreements; the
    # activities timeline's results per year (issue 21).
    with django_assert_max_num_queries(13):
        response = client.get(agreement.get_absolute_url())
    assert response.status_code == 200


# Events ---------------------------------------------------------------------------------------


def test_event_list_shows_events_newest_first(client, event_factory):
    event_factory(
        name="Old fair", starts_on=datetime.date(2010, 1, 1), ends_on=datetime.date(2010, 1, 2)
    )
    event_factory(
        name="New fair", starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2020, 1, 2)
    )
    page = content(client.get(reverse("partnerships:event_list")))
    assert page.index("New fair") < page.index("Old fair")


def test_event_list_counts_only_published_agreements(client, signing_event_factory, event_factory):
    event = event_factory()
    signing_event_factory(occasion=event)
    signing_event_factory(occasion=event, agreement__publication="draft")
    assert "1 agreement signed" in content(client.get(reverse("partnerships:event_list")))


def test_event_list_runs_a_fixed_number_of_queries(
    client, event_factory, signing_event_factory, django_assert_max_num_queries
):
    for event in event_factory.create_batch(30):
        signing_event_factory(occasion=event)
    # upcoming events, count, page (with the agreement count), signings without an occasion, the
    # filters' years and the events' regions (their countries: none here; a cached summary
    # outside tests)
    with django_assert_max_num_queries(6):
        client.get(reverse("partnerships:event_list"))


def test_event_detail_shows_agreements_signed_there(client, signing_event_factory, event_factory):
    event = event_factory()
    signing = signing_event_factory(occasion=event, agreement__title="Signed at the fair")
    page = content(client.get(event.get_absolute_url()))
    assert "Signed at the fair" in page
    assert signing.agreement.get_absolute_url() in page


def test_event_detail_hides_unpublished_agreements(client, signing_event_factory, event_factory):
    event = event_factory()
    signing_event_factory(occasion=event, agreement__title="Secret", agreement__publication="draft")
    assert "Secret" not in content(client.get(event.get_absolute_url()))


def test_event_detail_of_unknown_slug_is_not_found(client, db):
    assert client.get("/en/events/no-such-event/").status_code == 404


def test_event_detail_runs_a_fixed_number_of_queries(
    client, event_factory, signature_factory, attendance_factory, django_assert_max_num_queries
):
    event = event_factory()
    for _ in range(10):
        signature = signature_factory(signing_event__occasion=event)
        attendance_factory(signing_event=signature.signing_event)
    # event, signing events, parties, signatures, attendances
    with django_assert_max_num_queries(5):
        client.get(event.get_absolute_url())


def test_event_page_formats_dates_per_language(client, event_factory):
    event = event_factory()
    with translation.override("de"):
        url = event.get_absolute_url()
    assert "2.–4. November 2015" in re.sub(r"<[^>]+>", "", content(client.get(url)))


def test_event_list_shows_signings_without_an_occasion(client, signing_event_factory):
    signing_event_factory(agreement__title="Signed at the town hall")
    signing_event_factory(agreement__title="Signed in secret", agreement__publication="draft")
    page = content(client.get(reverse("partnerships:event_list")))
    assert "Signed at the town hall" in page
    assert "Signed in secret" not in page


def test_agreement_detail_links_the_print_stylesheet(client, agreement_factory):
    page = content(client.get(agreement_factory().get_absolute_url()))
    assert 'href="/static/css/print.css" media="print"' in page


def test_filtered_agreement_list_links_its_feed_and_calendar_with_the_same_filters(
    client, agreement_factory
):
    agreement_factory()

    page = content(client.get(LIST_URL, {"kind": "mou", "page": "1"}))

    assert 'href="/en/agreements/feed.atom?kind=mou"' in page
    assert 'href="/en/signing-events.ics?kind=mou"' in page
    assert 'rel="alternate" type="application/atom+xml" title="These agreements' in page


def test_unfiltered_agreement_list_links_the_whole_feed(client, agreement_factory):
    agreement_factory()

    page = content(client.get(LIST_URL))

    assert 'href="/en/agreements/feed.atom"' in page
    assert "These agreements (Atom feed)" not in page


def test_agreement_card_names_each_partys_region_and_country(
    client, agreement_party_factory, region_factory, subdivision_factory
):
    namibia = region_factory(name="Testnamibia")
    hardap = subdivision_factory(name="Testhardap", parent=namibia)
    agreement_party_factory(organization__region=hardap)

    page = content(client.get(LIST_URL))

    card = page[page.index('<span class="muted">') :]
    assert re.sub(r"<[^>]+>", "", card[: card.index("</li>")]) == "Testhardap, Testnamibia"


def test_organisation_results_carry_their_agreements_and_partner_countries(
    client, agreement_party_factory, region_factory
):
    party = agreement_party_factory(organization__name="Example Signal Cluster")
    agreement_party_factory(
        agreement=party.agreement, organization__region=region_factory(name="Testjapan")
    )

    for url in ("/en/organizations/", "/en/search/"):
        page = content(client.get(url, {"q": "signal"}))
        signal = page[page.index('<p class="result-cooperation">') :]
        signal = re.sub(r"<[^>]+>", "", signal[: signal.index("</p>")])

        assert signal == "1 agreement in force · partners in Testjapan", url


EVENTS_URL = "/en/events/"


@time_machine.travel(datetime.date(2026, 6, 1))
def test_event_list_shows_upcoming_events_soonest_first_then_past_ones(client, event_factory):
    event_factory(name="Later fair", starts_on="2026-10-01", ends_on="2026-10-03")
    event_factory(name="Sooner fair", starts_on="2026-07-01", ends_on="2026-07-02")
    event_factory(name="Past fair", starts_on="2015-11-02", ends_on="2015-11-04")

    response = client.get(EVENTS_URL)
    page = content(response)

    assert [e.name for e in response.context["upcoming"]] == ["Sooner fair", "Later fair"]
    assert [e.name for e in response.context["page_obj"]] == ["Past fair"]
    assert page.index("Upcoming events") < page.index("Sooner fair") < page.index("Past events")


def test_event_list_filters_by_year(client, event_factory):
    event_factory(name="Fair of 2015", starts_on="2015-11-02", ends_on="2015-11-04")
    event_factory(name="Fair of 2016", starts_on="2016-11-02", ends_on="2016-11-04")

    response = client.get(EVENTS_URL, {"year": "2016"})

    assert [e.name for e in response.context["page_obj"]] == ["Fair of 2016"]
    assert '<option value="2015">2015</option>' in content(response)


def test_event_list_filters_by_country(client, event_factory, region_factory, subdivision_factory):
    germany = region_factory(name="Testgermany", iso_code="DE")
    event_factory(name="Munich fair", region=subdivision_factory(parent=germany))
    event_factory(name="Elsewhere fair", region=region_factory(iso_code="JP"))

    response = client.get(EVENTS_URL, {"country": "DE"})

    assert [e.name for e in response.context["page_obj"]] == ["Munich fair"]
    assert '<option value="DE" selected>Testgermany</option>' in content(response)


def test_event_list_ignores_an_unknown_country(client, event_factory):
    event_factory(name="Any fair")

    response = client.get(EVENTS_URL, {"country": "XX"})

    assert [e.name for e in response.context["page_obj"]] == ["Any fair"]


def test_event_list_writes_date_ranges_naturally(client, event_factory):
    event_factory(starts_on="2015-11-02", ends_on="2015-11-04")

    page = re.sub(r"<[^>]+>", "", content(client.get(EVENTS_URL)))

    assert "2–4 November 2015" in page


def osaka_partner_from_bavaria(world, agreement_party_factory, affiliation_factory):
    party = agreement_party_factory(organization=world.biom)
    agreement_party_factory(agreement=party.agreement, organization=world.obhq)
    affiliation_factory(organization=world.biom, email="public.contact@example.org")
    affiliation_factory(
        organization=world.biom, email="hidden.contact@example.org", visibility=Visibility.HIDDEN
    )


def test_region_page_names_the_home_regions_organisations_cooperating_there_with_contacts(
    client, world, agreement_party_factory, affiliation_factory
):
    osaka_partner_from_bavaria(world, agreement_party_factory, affiliation_factory)

    response = client.get("/en/regions/osaka/", {"from": "DE-BY"})
    page = content(response)

    assert [o.slug for o in response.context["cooperating"].organizations] == ["biom"]
    assert "public.contact@example.org" in page
    assert "hidden.contact@example.org" not in page
    assert 'href="/en/regions/bavaria/osaka/"' in page


def test_region_page_leaves_out_home_organisations_without_agreements_there(
    client, world, agreement_party_factory, affiliation_factory
):
    osaka_partner_from_bavaria(world, agreement_party_factory, affiliation_factory)

    response = client.get("/en/regions/osaka/", {"from": "bavaria"})

    assert world.isar not in response.context["cooperating"].organizations


def test_region_page_says_when_no_home_organisation_cooperates_there(client, world):
    page = content(client.get("/en/regions/osaka/", {"from": "testland"}))

    assert "No organisation from Testland has a published agreement in Osaka yet." in page


def test_region_page_without_a_home_region_only_offers_the_question(client, world):
    response = client.get("/en/regions/osaka/")

    assert "Who already cooperates there?" in content(response)
    assert "cooperating" not in response.context


def test_who_cooperates_there_reads_a_fixed_number_of_queries(
    client, world, agreement_party_factory, affiliation_factory, django_assert_max_num_queries
):
    osaka_partner_from_bavaria(world, agreement_party_factory, affiliation_factory)
    client.get("/en/regions/osaka/")  # nothing cached in tests: the page's own queries
    with CaptureQueriesContext(connection) as plain:
        client.get("/en/regions/osaka/")

    # + the home region by its code, its subtree, the pair's agreements, the organisations,
    # their public contacts
    with django_assert_max_num_queries(len(plain.captured_queries) + 5):
        client.get("/en/regions/osaka/", {"from": "DE-BY"})
