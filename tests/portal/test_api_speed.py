"""The API's presenters (organizations/presenters.py, partnerships/presenters.py, with
core/links.py's URLs) answer exactly what DRF's serialisation of the declared serializers
(portal/api/serializers.py) answers, in every language."""

from __future__ import annotations

import json

import pytest
from rest_framework import generics

from portal.api import views
from tests import factories, test_visibility
from tests.portal.test_api import API, LISTS, api_requests

world = test_visibility.world


def drf_serialisation(monkeypatch: pytest.MonkeyPatch) -> None:
    """The views answer through DRF's serializers (the declared shapes) instead of the
    presenters."""
    monkeypatch.setattr(views.ResourceList, "list", generics.ListAPIView.list)
    monkeypatch.setattr(views.ResourceDetail, "retrieve", generics.RetrieveAPIView.retrieve)


def add_every_nested_row(world) -> None:
    """Rows of every kind an agreement embeds, with texts in some languages only."""
    public = world.public
    agreement = public["agreement"]
    signing = public["signing"]
    signing.place = public["state"]
    signing.venue_de = "Rathaus"
    signing.save()
    party = agreement.parties.get(organization=public["north"])
    factories.SignatureFactory(signing_event=signing, party=party, capacity_ja="会長")
    factories.AttendanceFactory(
        signing_event=signing, organization=public["south"], is_dignitary=True
    )
    factories.AttendanceFactory(signing_event=signing, person__native_name="山田 太郎")
    factories.StatementFactory(agreement=agreement, organization=public["north"], text_de="Gut.")
    factories.CooperationAreaFactory(agreement=agreement, description_de="Austausch")
    agreement.focus_areas.add(factories.FocusAreaFactory())
    agreement.previous = factories.AgreementFactory(title="Earlier cooperation")
    agreement.lineage = "renews"
    agreement.title_de = "Sichtbare Zusammenarbeit"
    agreement.save()
    public["north"].name_ja = "北クラスター"
    public["north"].save()
    # The partner profile (issue 22), some texts in one language only, a public contact.
    south = public["south"]
    south.offers_de = "Labore"
    south.seeks = "Partners in Kansai"
    south.member_count, south.sme_count, south.languages = 120, 90, ["en", "de"]
    south.international_contact = factories.AffiliationFactory(
        organization=south, position_ja="国際部長"
    )
    south.save()
    south.target_regions.add(public["state"], public["country"])


def test_the_presenters_answer_what_the_declared_serializers_answer(client, world, monkeypatch):
    add_every_nested_row(world)
    requests = [
        (url, query)
        for url, query in api_requests(world)
        if not url.endswith(("/schema/", "/changes/"))
    ]
    requests += [
        (f"{API}/{name}/", {"lang": language}) for name in LISTS for language in ("en", "ja", "all")
    ]
    requests += [
        (f"{API}/agreements/{world.public['agreement'].pk}/", {"lang": language})
        for language in ("de", "ja")
    ]
    presented = [client.get(url, query).content for url, query in requests]
    with monkeypatch.context() as patch:
        drf_serialisation(patch)
        slow = [client.get(url, query).content for url, query in requests]
    for request, mine, drfs in zip(requests, presented, slow, strict=True):
        assert mine == drfs, request
    # The world's agreement shows every kind of nested row the presenters read.
    agreement = json.loads(client.get(f"{API}/agreements/{world.public['agreement'].pk}/").content)
    assert agreement["previous"] and agreement["statements"] and agreement["contacts"]
    assert agreement["focus_areas"] and agreement["cooperation_areas"]
    signing = agreement["signing_events"][0]
    assert signing["place"] and signing["occasion"]
    assert signing["signatures"] and len(signing["attendances"]) == 2
