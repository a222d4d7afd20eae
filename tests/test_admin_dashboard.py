"""The admin's start page for a cluster manager (partnerships/dashboard.py), as the personas of
tests/personas.py see it: Anna manages BioM, Kenji Osaka, the stranger an unrelated cluster."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerships import services
from partnerships.dashboard import LIST_LENGTH, manager_dashboard
from partnerships.models import Agreement
from tests import factories
from tests.personas import build_cast

INDEX = reverse("admin:index")


@pytest.fixture
def cast(db):
    return build_cast()


def shared_agreement(cast, **fields) -> Agreement:
    """An agreement between BioM and Osaka."""
    organizations = cast.records["organizations"]
    agreement = factories.AgreementFactory(**fields)
    factories.AgreementPartyFactory(agreement=agreement, organization=organizations["biom"])
    factories.AgreementPartyFactory(agreement=agreement, organization=organizations["osaka"])
    return agreement


def index_as(client, user):
    client.force_login(user)
    response = client.get(INDEX)
    assert response.status_code == 200
    return response


def test_manager_sees_their_organisations_and_their_agreements_by_state(client, cast):
    anna = cast.users["anna_biom_manager"]
    shared_agreement(cast, title="BioM–Osaka published")  # published
    factories.AgreementFactory(title="Someone else's published")  # not BioM's

    response = index_as(client, anna)
    dashboard = response.context["dashboard"]

    biom = cast.records["organizations"]["biom"]
    assert [link.label for link in dashboard.organizations] == [str(biom)]
    assert dashboard.organizations[0].url == reverse(
        "admin:organizations_organization_change", args=[biom.pk]
    )
    counts = {link.label: link.count for link in dashboard.by_publication}
    assert counts == {"Draft": 1, "In review": 0, "Published": 1, "Withdrawn": 0}
    html = response.content.decode()
    assert "My organisations" in html
    assert str(biom) in html

    # The count's link lists exactly those agreements.
    draft_link = dashboard.by_publication[0].url
    assert "party=mine" in draft_link
    assert "publication__exact=draft" in draft_link
    listed = client.get(draft_link)
    assert listed.status_code == 200
    titles = [agreement.title for agreement in listed.context["cl"].result_list]
    assert titles == ["BioM–Osaka draft"]
    published = client.get(dashboard.by_publication[2].url)
    assert [a.title for a in published.context["cl"].result_list] == ["BioM–Osaka published"]


def test_waiting_for_approval_lists_what_each_party_still_has_to_approve(client, cast):
    anna = cast.users["anna_biom_manager"]
    kenji = cast.users["kenji_osaka_manager"]
    agreement = shared_agreement(
        cast, title="BioM–Osaka in review", publication=Agreement.Publication.IN_REVIEW
    )
    biom = cast.records["organizations"]["biom"]

    before = index_as(client, anna).context["dashboard"]
    services.agreement_approve(agreement=agreement, organization=biom, user=anna)
    after = index_as(client, anna).context["dashboard"]
    kenji_response = index_as(client, kenji)

    assert [link.label for link in before.awaiting] == ["BioM–Osaka in review"]
    assert before.awaiting[0].url == reverse(
        "admin:partnerships_agreement_change", args=[agreement.pk]
    )
    assert after.awaiting == []
    assert [link.label for link in kenji_response.context["dashboard"].awaiting] == [
        "BioM–Osaka in review"
    ]
    assert "BioM–Osaka in review" in kenji_response.content.decode()


def test_expiring_lists_their_agreements_ending_within_six_months(client, cast):
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=30)
    shared_agreement(
        cast, title="Ends soon", term=Agreement.Term.FIXED, signed_on=today, valid_until=soon
    )
    shared_agreement(
        cast,
        title="Five years from last spring",  # computed: 5 years after 2021-06-01
        term=Agreement.Term.FIXED,
        signed_on=today - datetime.timedelta(days=5 * 365 - 60),
        term_length=5,
        term_length_unit="years",
    )
    shared_agreement(
        cast,
        title="Ends next year",
        term=Agreement.Term.FIXED,
        signed_on=today,
        valid_until=today + datetime.timedelta(days=200),
    )
    shared_agreement(
        cast,
        title="Ended last month",
        term=Agreement.Term.FIXED,
        signed_on=today - datetime.timedelta(days=400),
        valid_until=today - datetime.timedelta(days=30),
    )
    other = factories.AgreementFactory(
        title="Not theirs", term=Agreement.Term.FIXED, signed_on=today, valid_until=soon
    )
    factories.AgreementPartyFactory(agreement=other)

    dashboard = index_as(client, cast.users["anna_biom_manager"]).context["dashboard"]
    stranger = index_as(client, cast.users["stranger_manager"]).context["dashboard"]

    assert [link.label for link in dashboard.expiring] == [
        "Ends soon",
        "Five years from last spring",
    ]
    assert dashboard.expiring[0].date == soon
    assert stranger.expiring == []


def test_the_stranger_sees_nothing_of_biom_and_an_administrator_gets_no_dashboard(client, cast):
    shared_agreement(cast, title="BioM–Osaka in review", publication="in_review")

    stranger = index_as(client, cast.users["stranger_manager"])
    administrator = index_as(client, cast.users["admin_administrator"])

    dashboard = stranger.context["dashboard"]
    assert [link.label for link in dashboard.organizations] == ["Stranger Cluster"]
    assert {link.count for link in dashboard.by_publication} == {0}
    assert dashboard.awaiting == []
    assert "BioM" not in stranger.content.decode()
    assert administrator.context["dashboard"] is None
    assert "manager-dashboard" not in administrator.content.decode()


def test_the_dashboard_takes_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    anna = cast.users["anna_biom_manager"]
    today = timezone.localdate()

    def add_agreements(count: int) -> None:
        for _ in range(count):
            shared_agreement(cast, publication="in_review")
            shared_agreement(
                cast,
                term=Agreement.Term.FIXED,
                signed_on=today,
                valid_until=today + datetime.timedelta(days=10),
            )

    add_agreements(1)
    client.force_login(anna)
    with CaptureQueriesContext(connection) as few:
        client.get(INDEX)
    add_agreements(LIST_LENGTH + 2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(INDEX)
    user = type(anna).objects.get(pk=anna.pk)
    # The managed organisations, then five: counts, awaiting, expiring, dormant (with health).
    with django_assert_max_num_queries(6):
        dashboard = manager_dashboard(user)

    assert len(many) == len(few)
    assert dashboard is not None
    assert len(dashboard.awaiting) == len(dashboard.expiring) == LIST_LENGTH
    assert dashboard.more_awaiting
    assert dashboard.more_expiring
    assert "All agreements waiting for my approval" in response.content.decode()


def test_the_dashboard_offers_to_record_an_agreement(client, cast):
    response = index_as(client, cast.users["anna_biom_manager"])

    assert f'href="{reverse("admin:partnerships_agreement_add")}"' in response.content.decode()


def test_the_agreement_list_opens_on_my_organisations_agreements(client, cast):
    factories.AgreementFactory(title="Someone else's published")
    client.force_login(cast.users["anna_biom_manager"])

    listed = client.get(reverse("admin:partnerships_agreement_changelist"))

    titles = [agreement.title for agreement in listed.context["cl"].result_list]
    assert titles == ["BioM–Osaka draft"]


def test_the_agreement_list_offers_all_agreements_the_manager_may_see(client, cast):
    factories.AgreementFactory(title="Someone else's published")
    client.force_login(cast.users["anna_biom_manager"])

    listed = client.get(reverse("admin:partnerships_agreement_changelist"), {"party": "all"})

    titles = {agreement.title for agreement in listed.context["cl"].result_list}
    assert titles == {"BioM–Osaka draft", "Someone else's published"}


# --- Dormant agreements and "Add activity" (issue 21) -----------------------------------------


def test_the_dashboard_lists_a_dormant_agreement_with_an_add_activity_link(client, cast):
    agreement = shared_agreement(cast)  # signed 2015, no activity since
    biom_party = agreement.parties.get(organization__short_name="BioM")

    response = index_as(client, cast.users["anna_biom_manager"])

    (link,) = [
        link
        for link in response.context["dashboard"].dormant
        if link.url.endswith(f"/{agreement.pk}/change/")
    ]
    add = link.add_activity_url
    assert add.endswith(f"?agreement={agreement.pk}&parties={biom_party.pk}")
    assert f'href="{add.replace("&", "&amp;")}"' in response.content.decode()


def test_an_agreement_with_a_recent_activity_is_not_dormant_on_the_dashboard(client, cast):
    from tests.factories import ActivityFactory

    agreement = shared_agreement(cast)
    ActivityFactory(agreement=agreement, starts_on=timezone.localdate())

    response = index_as(client, cast.users["anna_biom_manager"])

    urls = [link.url for link in response.context["dashboard"].dormant]
    assert not any(url.endswith(f"/{agreement.pk}/change/") for url in urls)


def test_the_prefilled_add_activity_page_offers_only_the_agreements_parties(client, cast):
    agreement = shared_agreement(cast)
    other = shared_agreement(cast)
    biom_party = agreement.parties.get(organization__short_name="BioM")
    client.force_login(cast.users["anna_biom_manager"])

    response = client.get(
        reverse("admin:partnerships_activity_add")
        + f"?agreement={agreement.pk}&parties={biom_party.pk}"
    )

    form = response.context["adminform"].form
    assert set(form.fields["parties"].queryset) == set(agreement.parties.all())
    assert not set(form.fields["parties"].queryset) & set(other.parties.all())
    assert form.initial["parties"] == [str(biom_party.pk)]
    assert form.initial["agreement"] == str(agreement.pk)


def test_the_agreement_page_shows_its_health_and_add_activity(client, cast):
    agreement = shared_agreement(cast)
    client.force_login(cast.users["anna_biom_manager"])

    response = client.get(reverse("admin:partnerships_agreement_change", args=[agreement.pk]))

    content = response.content.decode()
    assert "No activity recorded" in content
    assert 'id="add-activity"' in content
