"""Every admin page a manager or an administrator works in takes a fixed number of queries.

The world holds many more rows than a page shows: BioM (Anna's organisation, tests/personas.py)
is party to ``AGREEMENTS`` agreements, each with three parties, two signings, six signatories,
four documents, statements and contacts; ``ORGANIZATIONS`` further organisations and ``PEOPLE``
people with affiliations. A page that reads something per row (an N+1) exceeds its budget several
times over. Each budget is given once for both personas — **anna_biom_manager** (a cluster
manager, whose lists are scoped to BioM's records by core/access.py) and **admin_administrator**
(every record) — and names its queries.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import Affiliation, Organization, Person
from partnerships.models import Activity, Agreement, AgreementParty
from tests import factories
from tests.personas import build_cast

AGREEMENTS = 30
ACTIVITIES = 40
ORGANIZATIONS = 40
PEOPLE = 40
PERSONAS = ("anna_biom_manager", "admin_administrator")


@pytest.fixture
def world(db) -> dict[str, Any]:
    cast = build_cast()
    biom = cast.records["organizations"]["biom"]
    osaka = cast.records["organizations"]["osaka"]
    region = biom.region
    organizations = Organization.objects.bulk_create(
        Organization(
            name=f"Crowd Cluster {i}", slug=f"crowd-cluster-{i}", kind="cluster", region=region
        )
        for i in range(ORGANIZATIONS)
    )
    people = Person.objects.bulk_create(
        Person(given_name=f"Given{i}", family_name=f"Family{i}", slug=f"crowd-person-{i}")
        for i in range(PEOPLE)
    )
    Affiliation.objects.bulk_create(
        Affiliation(person=person, organization=organizations[i % ORGANIZATIONS], position="Lead")
        for i, person in enumerate(people)
    )
    Affiliation.objects.bulk_create(
        Affiliation(person=person, organization=biom, position="Partner") for person in people[:6]
    )
    event = factories.EventFactory(name="Crowd partnering day", organizer=biom)
    agreements = Agreement.objects.bulk_create(
        Agreement(
            title=f"Crowd agreement {i}",
            slug=f"crowd-agreement-{i}",
            kind=Agreement.Kind.COOPERATION,
            state=Agreement.State.CONCLUDED,
            signed_on=datetime.date(2015 + i % 8, 1 + i % 12, 1),
            term=Agreement.Term.OPEN_ENDED,
            publication=Agreement.Publication.PUBLISHED,
        )
        for i in range(AGREEMENTS)
    )
    for i, agreement in enumerate(agreements):
        AgreementParty.objects.bulk_create(
            AgreementParty(agreement=agreement, organization=organization)
            for organization in (biom, osaka, organizations[i % ORGANIZATIONS])
        )
    realistic = agreements[0]
    parties = list(realistic.parties.order_by("pk"))
    for number, signed_on in enumerate((datetime.date(2015, 1, 1), datetime.date(2015, 2, 1))):
        signing = factories.SigningEventFactory(
            agreement=realistic, signed_on=signed_on, occasion=event if number == 0 else None
        )
        for person in people[number * 3 : number * 3 + 3]:
            factories.SignatureFactory(
                signing_event=signing, person=person, party=parties[number % len(parties)]
            )
        factories.AttendanceFactory(signing_event=signing, person=people[10 + number])
    for number in range(4):
        factories.DocumentFactory(agreement=realistic, title=f"Press release {number}")
    factories.CooperationAreaFactory(agreement=realistic)
    factories.StatementFactory(agreement=realistic, person=people[0], organization=biom)
    for affiliation in Affiliation.objects.filter(organization=biom, person__in=people[:2]):
        factories.AgreementContactFactory(
            agreement=realistic, party=parties[0], affiliation=affiliation
        )
    realistic.focus_areas.set([factories.FocusAreaFactory(), factories.FocusAreaFactory()])
    # Issue 21: commitments and more activities than any page lists, linked to parties and
    # commitments; the other agreements dormant (nothing recorded).
    commitments = [factories.CommitmentFactory(agreement=realistic) for _ in range(3)]
    activities = Activity.objects.bulk_create(
        Activity(
            agreement=realistic,
            kind=Activity.Kind.WEBINAR,
            starts_on=datetime.date(2020 + i % 6, 1 + i % 12, 1),
            description=f"Crowd webinar {i}",
            visibility=Activity.Visibility.PUBLIC if i % 2 else Activity.Visibility.PARTNERS,
        )
        for i in range(ACTIVITIES)
    )
    for activity in activities:
        activity.parties.set(parties[: 1 + activity.pk % 2])
        activity.commitments.set(commitments[: 1 + activity.pk % 3])
    return {
        "cast": cast,
        "agreement": realistic,
        "biom": biom,
        "person": people[0],
        "activity": activities[0],
    }


def pages(world: dict[str, Any]) -> dict[str, tuple[str, dict[str, str]]]:
    agreement = world["agreement"]

    def autocomplete(app: str, model: str, field: str, term: str) -> tuple[str, dict[str, str]]:
        return reverse("admin:autocomplete"), {
            "app_label": app,
            "model_name": model,
            "field_name": field,
            "term": term,
        }

    return {
        "dashboard": (reverse("admin:index"), {}),
        "agreement changelist": (reverse("admin:partnerships_agreement_changelist"), {}),
        "agreement changelist, searched": (
            reverse("admin:partnerships_agreement_changelist"),
            {"q": "Crowd"},
        ),
        "organisation changelist": (reverse("admin:organizations_organization_changelist"), {}),
        "organisation changelist, searched": (
            reverse("admin:organizations_organization_changelist"),
            {"q": "Crowd"},
        ),
        "people changelist": (reverse("admin:organizations_person_changelist"), {}),
        # The translation status (issue 23): the lists filtered "missing in Japanese", and the
        # "Needs translation" queue.
        "event changelist, missing in Japanese": (
            reverse("admin:partnerships_event_changelist"),
            {"missing": "ja"},
        ),
        "quote changelist, missing in Japanese": (
            reverse("admin:partnerships_statement_changelist"),
            {"missing": "ja"},
        ),
        "activity changelist, missing in Japanese": (
            reverse("admin:partnerships_activity_changelist"),
            {"missing": "ja"},
        ),
        "needs translation": (reverse("admin:translation_queue"), {}),
        "people changelist, searched": (
            reverse("admin:organizations_person_changelist"),
            {"q": "Family"},
        ),
        "agreement change page": (
            reverse("admin:partnerships_agreement_change", args=[agreement.pk]),
            {},
        ),
        "agreement history": (
            reverse("admin:partnerships_agreement_history", args=[agreement.pk]),
            {},
        ),
        "organisation history": (
            reverse("admin:organizations_organization_history", args=[world["biom"].pk]),
            {},
        ),
        "dormant report": (reverse("admin:partnerships_activity_dormant"), {}),
        "dormant report, mine, CSV": (
            reverse("admin:partnerships_activity_dormant"),
            {"mine": "on", "format": "csv"},
        ),
        "activity changelist": (reverse("admin:partnerships_activity_changelist"), {}),
        "add activity": (
            reverse("admin:partnerships_activity_add"),
            {"agreement": str(agreement.pk)},
        ),
        "activity change page": (
            reverse("admin:partnerships_activity_change", args=[world["activity"].pk]),
            {},
        ),
        "autocomplete, party organisation": autocomplete(
            "partnerships", "agreementparty", "organization", "Crowd"
        ),
        "autocomplete, signatory": autocomplete("partnerships", "signature", "person", "Given"),
        "autocomplete, previous agreement": autocomplete(
            "partnerships", "agreement", "previous", "Crowd"
        ),
    }


# Page → (budget as anna_biom_manager, as admin_administrator). Every request starts with the
# same 3 (the session, the user, the user's confirmed second-factor devices, portal/two_factor.py)
# and ends with the session's renewal (SESSION_SAVE_EVERY_REQUEST: a savepoint, the UPDATE, its
# release: 3 here inside the test's transaction); a manager's pages also read which
# organisations they manage (1) and the group check "administrator?" (1). None is per row.
BUDGETS: dict[str, tuple[int, int]] = {
    # + the dashboard's managed organisations and four counts/lists (partnerships/dashboard.py),
    # the permissions (2), the admin log; an administrator has no dashboard.
    # + 1 for the manager (issue 21): the agreements' health (dormant, last activity).
    "dashboard": (16, 11),
    # + the region and year filters' choices (2), the counts (2), the page with its derived
    # status, its parties and their organisations (3), the date hierarchy (2), the permissions.
    "agreement changelist": (19, 19),
    "agreement changelist, searched": (19, 19),
    # + the region filter, the focus areas filter, the counts (2), the page, the permissions (2).
    # + 1 (issue 24): the focus areas in use are a cached summary (here, with the summary cache
    # off, its query; in production the content generation's one-row read), then the choices —
    # instead of a query through every organisation's focus areas (0.15–0.2 s at 100,000).
    "organisation changelist": (16, 15),
    # Raised by one (issue 24): the search goes through the site search's indexes, whose
    # query is normalised by the database first (organizations_search_normalize, 1 statement).
    "organisation changelist, searched": (17, 16),
    # + the organisation filter, the counts (2), the page and its affiliations' organisations
    # (prefetch, 2), the permissions (2).
    "people changelist": (15, 14),
    # + the search's normalised terms (1) and the people of the organisations named so, read
    # first as a list (1; organizations/admin.py PersonAdmin.get_search_results, issue 24).
    "people changelist, searched": (17, 16),
    # Issue 23: the lists filtered "missing in Japanese" — the filter is a condition on the
    # page's own query (core/admin/translations.py missing_in), the "translations" column reads
    # the row's own columns: no query of their own. Event: + the region and organiser filters'
    # choices (2), the counts (2), the page, the date hierarchy (2), the permissions (2).
    "event changelist, missing in Japanese": (17, 16),
    # Quotes: + the counts (2), the page, the permissions (2).
    "quote changelist, missing in Japanese": (14, 13),
    # Activities: + the counts (2), the page, the date hierarchy (2), the permissions (2).
    "activity changelist, missing in Japanese": (15, 14),
    # "Needs translation": + the permissions (2), the administrator check, then one query per
    # model with a translation status (14: a count per language in each), whatever the data;
    # then "next to translate" into the language missing most: one query per kind of record
    # with a record missing it (here 9 for the manager, 10 for the administrator; at most 14),
    # each with the rows its records' names read (no query per record).
    "needs translation": (32, 33),
    # The realistic agreement (3 parties, 2 signings with 3 signatories and an attendee each,
    # 4 documents, a statement, 2 contacts, 2 focus areas): the agreement and its publication
    # panel (parties, approvals, key-terms digest), each inline's rows and the rows the user
    # may edit (2 per inline, 7 inlines, ×2 nested inlines per signing), each signing's party
    # choices (2), then the chosen values of every autocomplete field of the page read once per
    # kind (core/admin/widgets.py preload_chosen_rows: 6) instead of once per field and row.
    # Was 96 (manager) and 79 (administrator) before issue 24. + 3 after the merge with issues
    # 19 and 21: the comments between the parties, the agreement's health and activities panel,
    # the user's time zone preference.
    "agreement change page": (65, 47),
    # The versions of the agreement and of every kind of row under it (2–3 queries per kind,
    # 9 kinds), the users, and the rows the labels name, once per kind (core/history.py
    # _labels_of). Was 87 and 68.
    "agreement history": (72, 53),
    # + 1 (issue 19): the viewer's time zone preference for the times shown.
    "organisation history": (16, 13),
    # Issue 21. The dormant report: the rows with their health (subqueries) and their parties,
    # whatever their number (tests/test_life_budgets.py: the same with many more).
    "dormant report": (13, 12),
    "dormant report, mine, CSV": (13, 10),
    # + the kind and visibility filters, the filtered count (no full count, no date
    # hierarchy: both read every activity the user may see), the page with its agreements, the
    # permissions.
    "activity changelist": (12, 11),
    # The agreement's parties and commitments as check boxes (one query each), the agreement.
    "add activity": (13, 12),
    # + the activity, its chosen parties and commitments, the rows the manager may edit.
    "activity change page": (18, 15),
    # + the model admin's permission checks (2) and the search with its page (2).
    "autocomplete, party organisation": (12, 11),
    # The person autocomplete: the people of the organisations named so read first (+1), the
    # people's affiliations no longer prefetched for a list of names (-1; issue 24).
    "autocomplete, signatory": (13, 12),
    "autocomplete, previous agreement": (13, 12),
}


def test_every_page_has_a_budget(world):
    assert set(pages(world)) == set(BUDGETS)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_admin_page_stays_within_its_query_budget(client, world, persona, page):
    client.force_login(world["cast"].users[persona])
    url, data = pages(world)[page]
    client.get(url, data)  # warm: content types, the user's devices
    budget = BUDGETS[page][PERSONAS.index(persona)]

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)

    assert response.status_code == 200
    assert len(queries) <= budget, "\n".join(q["sql"][:200] for q in queries.captured_queries)


def test_the_people_list_offers_only_my_organisations_as_a_filter(client, world):
    """Not every organisation anyone works at (40,000 links at the bench's size)."""
    client.force_login(world["cast"].users["anna_biom_manager"])

    response = client.get(reverse("admin:organizations_person_changelist"))

    spec = next(f for f in response.context["cl"].filter_specs if f.title == "organisation")
    assert [label for _value, label in spec.lookup_choices] == [str(world["biom"])]
    other = Organization.objects.get(slug="crowd-cluster-1")
    assert f"affiliations__organization__id__exact={other.pk}" not in response.content.decode()


def test_autocomplete_pages_without_counting(admin_client, world, django_assert_max_num_queries):
    url = reverse("admin:autocomplete")
    data = {
        "app_label": "partnerships",
        "model_name": "agreementparty",
        "field_name": "organization",
        "term": "Crowd",
    }

    first = admin_client.get(url, data).json()
    second = admin_client.get(url, {**data, "page": "2"}).json()
    with django_assert_max_num_queries(11):  # no COUNT among them
        admin_client.get(url, data)

    assert len(first["results"]) == 20
    assert first["pagination"] == {"more": True}
    assert len(second["results"]) == ORGANIZATIONS - 20
    assert second["pagination"] == {"more": False}
    assert admin_client.get(url, {**data, "page": "x"}).status_code == 404


def test_the_agreement_page_builds_each_models_choice_scope_once(client, world, monkeypatch):
    """A manager's scope of choices (a Q of subqueries, resolved anew for every queryset it
    filters) is built once per model on the page, not for every foreign key of every inline
    (core/admin/access.py ``_scoped_once``, issue 24)."""
    from core import access

    asked: list[str] = []
    choices = access.choices

    def counted(user, qs):
        asked.append(qs.model._meta.label)
        return choices(user, qs)

    monkeypatch.setattr(access, "choices", counted)
    client.force_login(world["cast"].users["anna_biom_manager"])

    response = client.get(
        reverse("admin:partnerships_agreement_change", args=[world["agreement"].pk])
    )

    assert response.status_code == 200
    assert "organizations.Person" in asked
    assert sorted(asked) == sorted(set(asked))


@pytest.mark.parametrize(
    "model_label",
    ["partnerships.AgreementContact", "partnerships.Document", "organizations.Affiliation"],
)
def test_public_rows_are_a_condition_per_row_not_a_list_of_every_public_row(world, model_label):
    """A scope's "public" part is EXISTS for the row, so that the planner may check one
    agreement's few rows one by one; ``IN`` a subquery hashed every public row of the table first
    (the agreement page's contacts: 90 ms at the bench's size, issue 24)."""
    from django.apps import apps

    from core import access

    model = apps.get_model(model_label)
    manager = world["cast"].users["anna_biom_manager"]

    sql = str(access.visible(manager, model.objects.all()).query)

    assert "EXISTS" in sql
    assert f'"{model._meta.db_table}"."id" IN (SELECT' not in sql
