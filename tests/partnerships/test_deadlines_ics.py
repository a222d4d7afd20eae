"""The private deadlines calendar: a manager's revocable link to their organisation's deadlines.

Personas (tests/personas.py): Anna manages BioM, Kenji manages Osaka (BioM's partner on an
unpublished agreement), the stranger manages an unrelated cluster.
"""

import datetime

import icalendar
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from organizations.models import ClusterManager
from partnerships import services
from partnerships.models import Agreement, CalendarToken
from tests import factories
from tests.personas import build_cast

D = datetime.date
pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2026, 11, 26, 12, tzinfo=datetime.UTC)
CALENDAR_PAGE = reverse("admin:partnerships_agreement_calendar")


@pytest.fixture
def cast():
    cast = build_cast()
    organizations = cast.records["organizations"]
    agreement = cast.records["partnerships.agreement"]  # BioM and Osaka, unpublished
    Agreement.objects.filter(pk=agreement.pk).update(
        signed_on=D(2015, 11, 2),
        term=Agreement.Term.FIXED,
        term_length=5,
        term_length_unit="years",
        notice_period=3,
        auto_renewal=True,
    )
    # The stranger's own agreement, which BioM's calendar must not show.
    theirs = factories.AgreementFactory(
        title="Stranger secret", term=Agreement.Term.FIXED, valid_until=D(2027, 6, 30)
    )
    factories.AgreementPartyFactory(agreement=theirs, organization=organizations["other"])
    return cast


def feed_url(token):
    return reverse("deadlines_ics", kwargs={"token": token})


def events(response):
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def token_for(cast, persona, organization):
    return services.calendar_token_renew(
        user=cast.users[persona], organization=cast.records["organizations"][organization]
    )


def test_the_feed_lists_the_notice_deadline_and_next_end_of_term_of_unpublished_agreements(
    cast,
):
    token = token_for(cast, "anna_biom_manager", "biom")
    agreement = cast.records["partnerships.agreement"]

    with time_machine.travel(TODAY):
        response = Client().get(feed_url(token))  # no session

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    found = events(response)
    assert set(found) == {
        f"agreement-{agreement.pk}-notice@testserver",
        f"agreement-{agreement.pk}-end@testserver",
    }
    notice = found[f"agreement-{agreement.pk}-notice@testserver"]
    assert notice.decoded("DTSTART") == D(2030, 8, 1)  # all day
    assert str(notice["SUMMARY"]) == "Notice deadline: BioM–Osaka draft"
    assert str(notice["URL"]).endswith(
        reverse("admin:partnerships_agreement_change", args=[agreement.pk])
    )
    assert found[f"agreement-{agreement.pk}-end@testserver"].decoded("DTSTART") == D(2030, 11, 1)
    assert b"Stranger secret" not in response.content


def test_the_partner_sees_the_same_agreement_but_not_the_strangers(cast):
    kenji = Client().get(feed_url(token_for(cast, "kenji_osaka_manager", "osaka")))
    stranger = Client().get(feed_url(token_for(cast, "stranger_manager", "other")))

    assert b"BioM" in kenji.content
    assert b"Stranger secret" not in kenji.content
    assert b"BioM" not in stranger.content
    assert b"Stranger secret" in stranger.content


def test_only_a_manager_of_the_organisation_gets_a_link(cast):
    with pytest.raises(ValidationError):
        token_for(cast, "stranger_manager", "biom")

    assert not CalendarToken.objects.exists()


def test_a_revoked_unknown_or_renewed_token_is_not_found(cast):
    old = token_for(cast, "anna_biom_manager", "biom")
    new = token_for(cast, "anna_biom_manager", "biom")  # revokes the old one

    assert Client().get(feed_url(old)).status_code == 404
    assert Client().get(feed_url("not-a-token")).status_code == 404
    assert Client().get(feed_url(new)).status_code == 200

    services.calendar_token_revoke(
        user=cast.users["anna_biom_manager"], organization=cast.records["organizations"]["biom"]
    )
    assert Client().get(feed_url(new)).status_code == 404


def test_the_link_stops_working_when_the_user_no_longer_manages_the_organisation(cast):
    token = token_for(cast, "anna_biom_manager", "biom")
    ClusterManager.objects.filter(user=cast.users["anna_biom_manager"]).delete()

    assert Client().get(feed_url(token)).status_code == 404


def test_only_a_digest_of_the_token_is_stored(cast):
    token = token_for(cast, "anna_biom_manager", "biom")

    stored = CalendarToken.objects.get()
    assert token not in stored.token_digest
    assert stored.token_digest == services.calendar_token_digest(token)


def test_titles_are_in_the_managers_language_if_known_else_english(cast, settings):
    token = token_for(cast, "anna_biom_manager", "biom")

    response = Client().get(feed_url(token), HTTP_ACCEPT_LANGUAGE="de")

    assert b"Notice deadline: " in response.content


def test_the_feed_answers_304_to_its_etag_and_is_private(cast):
    token = token_for(cast, "anna_biom_manager", "biom")
    client = Client()
    first = client.get(feed_url(token))

    again = client.get(feed_url(token), HTTP_IF_NONE_MATCH=first["ETag"])

    assert "private" in first["Cache-Control"]
    assert first["Last-Modified"]
    assert again.status_code == 304


def test_a_change_to_an_unpublished_agreement_shows_at_once_not_from_the_page_cache(cast):
    token = token_for(cast, "anna_biom_manager", "biom")
    agreement = cast.records["partnerships.agreement"]
    Client().get(feed_url(token))

    agreement.refresh_from_db()
    agreement.title = "Renamed draft"
    agreement.save()
    response = Client().get(feed_url(token))

    assert b"Renamed draft" in response.content


def test_the_feed_reads_three_queries_whatever_the_number_of_agreements(
    cast, django_assert_num_queries
):
    token = token_for(cast, "anna_biom_manager", "biom")
    biom = cast.records["organizations"]["biom"]
    for _ in range(5):
        factories.AgreementPartyFactory(
            organization=biom,
            agreement=factories.AgreementFactory(
                term=Agreement.Term.FIXED, valid_until=D(2099, 1, 1), notice_period=1
            ),
        )
    client = Client()

    # 1 the token (with its user, organisation and whether the user still manages it), 2 the
    # validators (last change and number of agreements), 3 the agreements with their status.
    with django_assert_num_queries(3):
        response = client.get(feed_url(token))

    assert len(events(response)) == 2 + 5 * 2


# --- The admin page: copy the link, revoke and make a new one ---------------------------------


def test_a_manager_makes_a_link_sees_it_once_and_can_revoke_it(cast):
    client = Client()
    client.force_login(cast.users["anna_biom_manager"])
    biom = cast.records["organizations"]["biom"]

    page = client.get(CALENDAR_PAGE).content.decode()
    made = client.post(CALENDAR_PAGE, {"organization": biom.pk, "action": "renew"})
    link = made.context["new_link"][1]
    later = client.get(CALENDAR_PAGE).content.decode()

    assert "BioM Test" in page
    assert "Osaka" not in page
    assert "copy this link now" in made.content.decode()
    assert Client().get(link).status_code == 200
    assert link not in later
    assert "Revoke and make a new link" in later

    client.post(CALENDAR_PAGE, {"organization": biom.pk, "action": "revoke"})
    assert Client().get(link).status_code == 404


def test_a_manager_cannot_make_a_link_to_another_organisation(cast):
    client = Client()
    client.force_login(cast.users["stranger_manager"])
    biom = cast.records["organizations"]["biom"]

    response = client.post(CALENDAR_PAGE, {"organization": biom.pk, "action": "renew"})

    assert response.status_code == 404
    assert not CalendarToken.objects.exists()
