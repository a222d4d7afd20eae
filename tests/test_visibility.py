"""What is hidden stays hidden, in every public output.

One world holds public rows and one hidden row of each kind that can be hidden. Every public URL
pattern (walked from the URL resolver, so that a new one cannot be added without an entry in
``OUTPUTS``) is fetched — pages with their JSON-LD blocks, the Atom feed, the ``.ics`` calendars,
the ``.vcf`` cards, the sitemap, robots.txt, site search, organisation search and the region
suggestions — and none may mention a hidden row. The hidden rows' own URLs answer 404. Every
public URL answers HEAD as it answers GET.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from organizations.logos import logo_key, store_logo
from organizations.models import Affiliation, Person, Visibility
from partnerships.models import Agreement, Event
from portal import open_data
from portal.sitemaps import SITEMAPS
from tests import factories, uploads

D = datetime.date


@dataclass
class World:
    public: dict[str, Any]
    hidden: dict[str, Any]
    # Strings of hidden rows that no public output may contain.
    secrets: list[str]
    # URLs of hidden rows, which must answer 404.
    hidden_urls: list[str]


def content(response) -> bytes:
    """The body of a response, streamed (an uploaded document's file) or not."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def document_with_file(**fields):
    return factories.DocumentFactory(
        url="", file=uploads.upload("agreement.pdf", uploads.PDF), **fields
    )


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    country = factories.RegionFactory(name="Vislandia", slug="vislandia")
    state = factories.SubdivisionFactory(name="Visstate", slug="visstate", parent=country)
    other_country = factories.RegionFactory(name="Otherlandia", slug="otherlandia")
    # Placed on the map (partnerships/maps.py), which draws the agreements between them.
    north = factories.OrganizationFactory(
        name="Visible Cluster North",
        region=state,
        latitude=48,
        longitude=11,
        location_source="entered",
    )
    south = factories.OrganizationFactory(
        name="Visible Cluster South",
        region=other_country,
        latitude=35,
        longitude=135,
        location_source="region",
    )
    fair = factories.EventFactory(name="Public Partnering Fair", slug="public-partnering-fair")
    empty_fair = factories.EventFactory(name="Fair Without Signings", slug="fair-no-signings")

    published = factories.AgreementFactory(title="Visible cooperation", slug="visible-coop")
    for position, organization in enumerate((north, south)):
        factories.AgreementPartyFactory(
            agreement=published, organization=organization, position=position
        )
    public_signing = factories.SigningEventFactory(agreement=published, occasion=fair)
    public_contact = factories.AgreementContactFactory(
        agreement=published,
        party=published.parties.get(organization=north),
        affiliation__organization=north,
        affiliation__person__family_name="Shownperson",
    )
    factories.DocumentFactory(agreement=published, title="Visible press release")
    public_file = document_with_file(agreement=published, title="Visible signed text")
    # Issue 21: a public activity with its evidence; a partners-only one and one under the
    # unpublished agreement (below) are hidden.
    public_activity = factories.ActivityFactory(
        agreement=published,
        description="Visible joint webinar",
        evidence_file=uploads.upload("evidence.pdf", uploads.PDF),
    )
    partners_activity = factories.ActivityFactory(
        agreement=published,
        visibility="partners",
        description="Gnu partners-only visit",
        evidence_file=uploads.upload("evidence.pdf", uploads.PDF),
    )

    # Hidden rows, each with words found nowhere else.
    unpublished = factories.AgreementFactory(
        title="Zanzibar secret accord",
        slug="zanzibar-secret-accord",
        summary="Marmoset clauses.",
        code="ZANZ-1",
        publication="draft",
    )
    for position, organization in enumerate((north, south)):
        factories.AgreementPartyFactory(
            agreement=unpublished, organization=organization, position=position
        )
    # Concluded agreements between the same parties that are in review, and withdrawn: as hidden
    # as a draft.
    in_review_and_withdrawn = [
        factories.AgreementFactory(
            title=f"{word} accord",
            slug=f"{word.lower()}-accord",
            code=f"{word[:4].upper()}-1",
            publication=publication,
        )
        for word, publication in (("Jerboa", "in_review"), ("Gharial", "withdrawn"))
    ]
    for agreement in in_review_and_withdrawn:
        for position, organization in enumerate((north, south)):
            factories.AgreementPartyFactory(
                agreement=agreement, organization=organization, position=position
            )
    hidden_event = factories.EventFactory(
        name="Xylophone hidden fair", slug="xylophone-hidden-fair", venue="Capybara hall"
    )
    hidden_signing = factories.SigningEventFactory(
        agreement=unpublished, occasion=hidden_event, description="Quokka signing"
    )
    hidden_signing_at_public_fair = factories.SigningEventFactory(
        agreement=unpublished, occasion=fair, description="Wombat ceremony"
    )
    factories.StatementFactory(
        agreement=unpublished,
        person__family_name="Axolotlspeaker",
        text="Axolotl quote.",
    )
    factories.DocumentFactory(
        agreement=unpublished, title="Pangolin press release", url="https://example.org/pangolin"
    )
    factories.DocumentFactory(
        agreement=published,
        title="Ocelot internal memo",
        url="https://example.org/ocelot-memo",
        is_public=False,
    )

    # Uploaded files: public on an unpublished agreement, and not public on a published one.
    hidden_files = [
        document_with_file(agreement=unpublished, title="Tapir signed text"),
        document_with_file(agreement=published, title="Okapi draft text", is_public=False),
    ]

    def contact(family_name: str, email: str, position: str, **fields) -> Affiliation:
        """A contact point of the published agreement, for its northern party."""
        return factories.AgreementContactFactory(
            agreement=published,
            party=published.parties.get(organization=north),
            affiliation__organization=north,
            affiliation__person__family_name=family_name,
            affiliation__email=email,
            affiliation__position=position,
            **{f"affiliation__{key}": value for key, value in fields.items()},
        ).affiliation

    hidden_contact = contact(
        "Quetzalhidden", "quetzal@example.org", "Secret keeper", visibility=Visibility.HIDDEN
    )
    # North's partner profile names the hidden contact as its international one, which its
    # page must not show; its logo is served (organizations/logos.py).
    north.international_contact = hidden_contact
    north.logo = store_logo(io.BytesIO(uploads.png()), default_storage)
    north.save()
    former_contact = contact(
        "Narwhalformer", "narwhal@example.org", "Former boss", is_current=False
    )
    # A public, current contact point of an unpublished agreement: shown on the organisation
    # page (it is publishable), but the agreement it is a contact for is not named anywhere.
    factories.AgreementContactFactory(
        agreement=unpublished,
        party=unpublished.parties.get(organization=south),
        affiliation__organization=south,
    )

    secrets = [
        "Jerboa",
        "jerboa-accord",
        "JERB-1",
        "Gharial",
        "gharial-accord",
        "GHAR-1",
        "Zanzibar",
        "zanzibar-secret-accord",
        "Marmoset",
        "ZANZ-1",
        "Xylophone",
        "xylophone-hidden-fair",
        "Capybara",
        "Quokka",
        "Wombat",
        "Axolotl",
        "Pangolin",
        "example.org/pangolin",
        "Ocelot",
        "example.org/ocelot-memo",
        f"/signing-events/{hidden_signing.pk}.ics",
        f"/signing-events/{hidden_signing_at_public_fair.pk}.ics",
        f"#signing-{hidden_signing.pk}",
        f"#signing-{hidden_signing_at_public_fair.pk}",
    ]
    for document in hidden_files:
        secrets += [document.file.name, document.get_file_url().removeprefix("/en")]
    secrets += ["Tapir", "Okapi"]
    for affiliation in (hidden_contact, former_contact):
        secrets += [
            affiliation.person.family_name,
            affiliation.email,
            affiliation.position,
            f"/contacts/{affiliation.pk}.vcf",
        ]
    hidden_urls = [
        unpublished.get_absolute_url(),
        *(agreement.get_absolute_url() for agreement in in_review_and_withdrawn),
        hidden_event.get_absolute_url(),
        reverse("partnerships:signing_event_ics", kwargs={"pk": hidden_signing.pk}),
        reverse("partnerships:signing_event_ics", kwargs={"pk": hidden_signing_at_public_fair.pk}),
        *(
            reverse("organizations:contact_vcard", kwargs={"pk": affiliation.pk})
            for affiliation in (hidden_contact, former_contact)
        ),
        *(document.get_file_url() for document in hidden_files),
    ]
    draft_activity = factories.ActivityFactory(
        agreement=unpublished,
        description="Wombat draft activity",
        evidence_file=uploads.upload("evidence.pdf", uploads.PDF),
    )
    for activity in (partners_activity, draft_activity):
        secrets.append(activity.get_evidence_file_url().removeprefix("/en"))
        hidden_urls.append(activity.get_evidence_file_url())
    factories.CommitmentFactory(agreement=unpublished, text="Wombat commitment")
    secrets += ["Gnu partners-only", "Wombat"]
    # The open-data export of this world, which the open-data file URLs serve.
    open_data.export(say=lambda line: None)
    return World(
        public={
            "agreement": published,
            "north": north,
            "south": south,
            "country": country,
            "state": state,
            "other_country": other_country,
            "fair": fair,
            "empty_fair": empty_fair,
            "signing": public_signing,
            "contact": public_contact.affiliation,
            "document": public_file,
            "activity": public_activity,
            "commitment": factories.CommitmentFactory(
                agreement=published, text="Visible commitment"
            ),
        },
        hidden={
            "agreement": unpublished,
            "event": hidden_event,
            "signing": hidden_signing,
            "hidden_contact": hidden_contact,
            "former_contact": former_contact,
        },
        secrets=secrets,
        hidden_urls=hidden_urls,
    )


# Every public URL pattern, by name: the (URL kwargs, query string) pairs to fetch with a world.
# Parts of the hidden words, which would find them, so that the query echoed on the page is not
# itself one of the secrets.
SEARCHES = ["Visible", "Zanzib", "Marmos", "Quetzalhid", "Narwhalfor"]
Requests = list[tuple[dict[str, Any], dict[str, str]]]
OUTPUTS: dict[str, Callable[[World], Requests]] = {
    "sitemap": lambda w: [({}, {})],
    "sitemap_section": lambda w: [({"section": section}, {}) for section in SITEMAPS],
    "robots_txt": lambda w: [({}, {})],
    "home": lambda w: [({}, {})],
    "privacy": lambda w: [({}, {})],
    "agreement_list": lambda w: [
        ({}, {}),
        ({}, {"organization": w.public["north"].slug}),
        ({}, {"region": w.public["country"].slug}),
        ({}, {"expiring": "12"}),
    ],
    "agreement_map": lambda w: [
        ({}, {}),
        ({}, {"organization": w.public["north"].slug}),
        ({}, {"region": w.public["country"].slug}),
    ],
    "agreement_detail": lambda w: [({"slug": w.public["agreement"].slug}, {})],
    "agreement_feed": lambda w: [({}, {})],
    "event_list": lambda w: [({}, {})],
    "event_detail": lambda w: [
        ({"slug": w.public["fair"].slug}, {}),
        ({"slug": w.public["empty_fair"].slug}, {}),
    ],
    "signing_events_ics": lambda w: [({}, {})],
    "signing_event_ics": lambda w: [({"pk": w.public["signing"].pk}, {})],
    "search": lambda w: [({}, {"q": q}) for q in SEARCHES],
    "organization_list": lambda w: [
        ({}, {}),
        *(({}, {"q": q}) for q in SEARCHES),
        # "Who already cooperates there" names a contact of each result (north's international
        # contact is hidden).
        ({}, {"cooperates": w.public["other_country"].slug}),
    ],
    "organization_detail": lambda w: [
        ({"slug": w.public["north"].slug}, {}),
        ({"slug": w.public["south"].slug}, {}),
    ],
    "region_list": lambda w: [({}, {})],
    "region_choropleth": lambda w: [({}, {})],
    "region_suggest": lambda w: [({}, {"q": "Vis"})],
    "organization_suggest": lambda w: [({}, {"q": q}) for q in SEARCHES],
    "region_detail": lambda w: [
        ({"slug": w.public[key].slug}, {}) for key in ("country", "state", "other_country")
    ],
    "region_pair": lambda w: [
        ({"slug": w.public["country"].slug, "other_slug": w.public["other_country"].slug}, {})
    ],
    "widget_partners": lambda w: [
        ({"slug": w.public["north"].slug}, {}),
        ({"slug": w.public["south"].slug}, {}),
    ],
    "widget_region_pair": lambda w: [
        ({"slug": w.public["country"].slug, "other_slug": w.public["other_country"].slug}, {})
    ],
    "contact_vcard": lambda w: [({"pk": w.public["contact"].pk}, {})],
    "organization_logo": lambda w: [
        (
            {
                "slug": w.public["north"].slug,
                "key": logo_key(w.public["north"].logo.name),
                "size": 128,
            },
            {},
        )
    ],
    "document_file": lambda w: [({"pk": w.public["document"].pk}, {})],
    "activity_evidence": lambda w: [({"pk": w.public["activity"].pk}, {})],
    # The funders' reports (issue 21): published agreements and public activities only.
    "organization_report": lambda w: [
        ({"slug": w.public["north"].slug, "period": "2010-2024"}, {})
    ],
    "region_report": lambda w: [({"slug": w.public["country"].slug, "period": "2010-2024"}, {})],
    "region_pair_report": lambda w: [
        (
            {
                "slug": w.public["country"].slug,
                "other_slug": w.public["other_country"].slug,
                "period": "2010-2024",
            },
            {},
        )
    ],
    # The list downloads (core/downloads.py) and the open-data export (portal/open_data).
    "agreement_download_csv": lambda w: [
        ({}, {}),
        ({}, {"region": w.public["country"].slug}),
    ],
    "agreement_download_json": lambda w: [
        ({}, {}),
        ({}, {"organization": w.public["north"].slug}),
    ],
    "organization_download_csv": lambda w: [({}, {}), *(({}, {"q": q}) for q in SEARCHES)],
    "organization_download_json": lambda w: [({}, {})],
    "open_data": lambda w: [({}, {})],
    "open_data_file": lambda w: [
        ({"name": name}, {})
        for name in (
            open_data.JSON_FILE,
            open_data.DATAPACKAGE,
            *(table.path for table in open_data.tables("")),
        )
    ],
    # The API (portal/api); tests/portal/test_api.py walks every filter as well.
    "api_schema": lambda w: [({}, {})],
    "api_docs": lambda w: [({}, {}), ({}, {"script": ""})],
    "api_changes": lambda w: [({}, {"since": "2000-01-01T00:00:00Z"})],
    "api_regions": lambda w: [({}, {}), ({}, {"lang": "all"})],
    "api_region": lambda w: [({"pk": w.public["country"].pk}, {})],
    "api_organizations": lambda w: [({}, {}), *(({}, {"q": q}) for q in SEARCHES)],
    "api_organization": lambda w: [({"pk": w.public["north"].pk}, {"lang": "all"})],
    "api_people": lambda w: [({}, {"lang": "all"}), *(({}, {"q": q}) for q in SEARCHES)],
    "api_person": lambda w: [({"pk": w.public["contact"].person.pk}, {})],
    "api_agreements": lambda w: [
        ({}, {"lang": "all"}),
        ({}, {"organization": w.public["north"].slug}),
        ({}, {"region": w.public["country"].slug}),
        ({}, {"expiring": "12"}),
        *(({}, {"q": q}) for q in SEARCHES),
    ],
    "api_agreement": lambda w: [({"pk": w.public["agreement"].pk}, {"lang": "all"})],
    "api_events": lambda w: [({}, {"lang": "all"})],
    "api_event": lambda w: [({"pk": w.public["fair"].pk}, {})],
    "api_documents": lambda w: [({}, {"lang": "all"})],
    "api_document": lambda w: [({"pk": w.public["document"].pk}, {})],
    "api_commitments": lambda w: [({}, {"lang": "all"})],
    "api_commitment": lambda w: [({"pk": w.public["commitment"].pk}, {"lang": "all"})],
    "api_activities": lambda w: [({}, {"lang": "all"}), ({}, {"kind": "webinar"})],
    "api_activity": lambda w: [({"pk": w.public["activity"].pk}, {"lang": "all"})],
}


# URL patterns outside the admin that are not public: each needs a credential of its own and is
# a 404 without it (test below); its own tests check who gets what.
PRIVATE: dict[str, str] = {
    # A manager's deadlines calendar: the token in the URL is the credential
    # (tests/partnerships/test_deadlines_ics.py: personas, revocation, no other organisation).
    "deadlines_ics": "a manager's private calendar link",
}


def test_private_outputs_are_not_found_without_their_credential(client, world):
    for name in PRIVATE:
        url = reverse(name, kwargs={"token": "x" * 43})
        assert client.get(url).status_code == 404, url


def public_url_names() -> dict[str, str]:
    """Every URL pattern outside the admin and ``i18n/`` (and :data:`PRIVATE`): its name → its
    namespaced name."""
    found: dict[str, str] = {}

    def walk(patterns: list, namespaces: list[str]) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern) in ("admin/", "i18n/"):
                    continue
                inner = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
                walk(pattern.url_patterns, inner)
            else:
                assert isinstance(pattern, URLPattern)
                assert pattern.name, f"URL pattern {pattern.pattern} has no name"
                if pattern.name in PRIVATE:
                    continue
                found[pattern.name] = ":".join([*namespaces, pattern.name])

    walk(get_resolver().url_patterns, [])
    return found


def public_requests(world: World) -> list[tuple[str, dict[str, str]]]:
    names = public_url_names()
    return [
        (reverse(names[name], kwargs=kwargs), query)
        for name, requests in OUTPUTS.items()
        for kwargs, query in requests(world)
    ]


def test_every_public_url_pattern_is_checked_here():
    assert set(public_url_names()) == set(OUTPUTS), (
        "A public URL pattern was added or removed: list it in OUTPUTS, with a hidden row of "
        "each kind it could show."
    )


def test_no_public_output_mentions_a_hidden_row(client, world):
    for url, query in public_requests(world):
        response = client.get(url, query)
        assert response.status_code == 200, (url, query)
        # Search results highlight what matched: "<mark>Zanzib</mark>ar".
        # (A logo is binary: its bytes are searched too, as text.)
        body = content(response).decode(errors="replace")
        body = body.replace("<mark>", "").replace("</mark>", "")
        leaked = [secret for secret in world.secrets if secret in body]
        assert leaked == [], (url, query)


def test_the_public_outputs_show_the_public_rows(client, world):
    """The check above would pass on empty pages: make sure the public rows are there."""
    expectations = {
        world.public["agreement"].get_absolute_url(): [
            "Shownperson",
            "Visible press release",
            "Visible signed text",
            world.public["document"].get_file_url(),
            "Visible joint webinar",
            world.public["activity"].get_evidence_file_url(),
            f"/contacts/{world.public['contact'].pk}.vcf",
            "application/ld+json",
        ],
        world.public["fair"].get_absolute_url(): ["Visible cooperation", "application/ld+json"],
        reverse("partnerships:event_list"): ["Public Partnering Fair", "Fair Without Signings"],
        reverse("partnerships:signing_events_ics"): ["Visible cooperation"],
        reverse("search"): [
            world.public["agreement"].get_absolute_url(),
            world.public["north"].get_absolute_url(),
        ],
    }
    for url, strings in expectations.items():
        body = client.get(url, {"q": "Visible"}).content.decode()
        for string in strings:
            assert string in body, (url, string)


def test_hidden_rows_have_no_page_calendar_or_card(client, world):
    for url in world.hidden_urls:
        assert client.get(url).status_code == 404, url


def test_head_answers_like_get_with_an_empty_body(client, world):
    for url, query in [*public_requests(world), *((url, {}) for url in world.hidden_urls)]:
        get = client.get(url, query)
        head = client.head(url, query)
        assert head.status_code == get.status_code, url
        assert content(head) == b"", url
        assert head["Content-Type"] == get["Content-Type"], url


# The public rules themselves ----------------------------------------------------------------


def test_agreement_is_public_says_what_published_says(agreement_factory):
    agreements = [
        agreement_factory(),
        agreement_factory(publication="draft"),
        agreement_factory(publication="in_review"),
        agreement_factory(publication="withdrawn"),
        agreement_factory(state=Agreement.State.DRAFT, signed_on=None),
    ]
    published = set(Agreement.objects.published())
    assert [a.is_public for a in agreements] == [a in published for a in agreements]


def test_people_are_public_only_with_a_publishable_affiliation(affiliation_factory):
    shown = affiliation_factory().person
    affiliation_factory(visibility=Visibility.HIDDEN)
    affiliation_factory(is_current=False)
    assert list(Person.objects.public()) == [shown]


def test_an_event_is_public_unless_known_only_from_unpublished_agreements(
    event_factory, signing_event_factory
):
    without_signings = event_factory()
    mixed = event_factory()
    signing_event_factory(occasion=mixed)
    signing_event_factory(occasion=mixed, agreement__publication="draft")
    hidden = event_factory()
    signing_event_factory(occasion=hidden, agreement__publication="draft")

    assert set(Event.objects.public()) == {without_signings, mixed}
    assert hidden not in Event.objects.public()


# Regressions (issue 7) -------------------------------------------------------------------------


def test_an_event_known_only_from_unpublished_agreements_is_not_listed_and_has_no_page(
    client, event_factory, signing_event_factory
):
    event = event_factory(name="Unannounced fair")
    signing_event_factory(occasion=event, agreement__publication="draft")

    assert "Unannounced fair" not in client.get(reverse("partnerships:event_list")).content.decode()
    assert client.get(event.get_absolute_url()).status_code == 404


def test_an_agreement_page_offers_no_former_contact_and_every_contact_it_offers_has_a_card(
    client, agreement_contact_factory
):
    current = agreement_contact_factory()
    former = agreement_contact_factory(
        agreement=current.agreement,
        party=current.party,
        affiliation__organization=current.party.organization,
        affiliation__email="former@example.org",
        affiliation__is_current=False,
    )
    page = client.get(current.agreement.get_absolute_url()).content.decode()

    assert "former@example.org" not in page
    assert f"/contacts/{former.affiliation.pk}.vcf" not in page
    card = f"/en/contacts/{current.affiliation.pk}.vcf"
    assert card in page
    assert client.get(card).status_code == 200


def test_site_search_does_not_list_a_former_position(client, affiliation_factory):
    person = affiliation_factory(
        person__family_name="Searchableperson", position="Current role"
    ).person
    affiliation_factory(person=person, position="Former role", is_current=False)
    affiliation_factory(person__family_name="Searchableformer", is_current=False)

    page = client.get(reverse("search"), {"q": "Searchable"}).content.decode()

    assert "Current role" in page
    assert "Former role" not in page
    assert "Searchableformer" not in page
