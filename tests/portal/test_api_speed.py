"""The API's fast serialisation (portal/api/serializers.py, ``FastModelSerializer`` and
``PageUrlField``) answers exactly what DRF's own serialisation answers, in every language."""

from __future__ import annotations

import json

import pytest
from rest_framework import serializers

from portal.api import serializers as api
from tests import factories, test_visibility
from tests.portal.test_api import API, LISTS, api_requests

world = test_visibility.world


def drf_serialisation(monkeypatch: pytest.MonkeyPatch) -> None:
    """DRF's own field building and representation, and one ``reverse`` per row."""
    monkeypatch.setattr(api.FastModelSerializer, "get_fields", lambda self: self.build_fields())
    monkeypatch.setattr(
        api.FastModelSerializer, "to_representation", serializers.Serializer.to_representation
    )
    monkeypatch.setattr(
        api.PageUrlField,
        "to_representation",
        lambda self, instance: self.context["request"].build_absolute_uri(
            instance.get_absolute_url()
        ),
    )


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


def test_the_fast_serialisation_answers_what_drf_answers(client, world, monkeypatch):
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
    fast = [client.get(url, query).content for url, query in requests]
    with monkeypatch.context() as patch:
        drf_serialisation(patch)
        slow = [client.get(url, query).content for url, query in requests]
    for request, mine, drfs in zip(requests, fast, slow, strict=True):
        assert mine == drfs, request
    # The world's agreement shows every kind of nested row the fast path reads.
    agreement = json.loads(client.get(f"{API}/agreements/{world.public['agreement'].pk}/").content)
    assert agreement["previous"] and agreement["statements"] and agreement["contacts"]
    assert agreement["focus_areas"] and agreement["cooperation_areas"]
    signing = agreement["signing_events"][0]
    assert signing["place"] and signing["occasion"]
    assert signing["signatures"] and len(signing["attendances"]) == 2
