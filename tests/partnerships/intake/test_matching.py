"""Matching the seed release against the demo records: every name through the portal's search.

The demo data (``manage.py load_demo``) is what the seed release says; the release must come
back as the agreement already recorded, with its renewal lineage.
"""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from partnerships.demo import PRESS_RELEASE_PATH, press_release_text
from partnerships.intake.matching import match_organization, match_region
from partnerships.intake.views import read_release
from partnerships.models import Agreement

RENEWAL = "biom-osaka-bio-headquarters-cooperation-agreement-2015"
EARLIER = "biom-osaka-bio-headquarters-cooperation-agreement"


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", countries="DE,JP", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seed(_demo, db):
    return read_release(press_release_text())


def test_both_parties_are_matched_to_the_demo_records(seed):
    assert [p["match"]["slug"] for p in seed["parties"]] == ["biom", "osaka-bio-headquarters"]


def test_a_legal_name_and_a_name_in_parentheses_find_the_organisation(_demo, db):
    found, _candidates = match_organization("BioM Biotech Cluster Development GmbH")
    assert found is not None and found.slug == "biom"
    found, _candidates = match_organization(
        "Osaka Bio Headquarters (Senri Life Sciences Foundation)"
    )
    assert found is not None and found.slug == "osaka-bio-headquarters"


def test_the_place_and_the_occasion_are_matched(seed):
    assert seed["place"]["match"]["slug"] == "munich"
    assert seed["occasion"]["match"]["slug"] == "bio-europe-2015"


@pytest.mark.parametrize("place", ["Martinsried/Munich", "Martinsried", "82152 Martinsried/Munich"])
def test_a_place_with_its_city_is_matched_to_the_narrowest_region(_demo, db, place):
    region, _candidates = match_region(place)

    assert region is not None
    assert region.slug == "martinsried"


def test_the_witness_is_matched_with_his_organisation(seed):
    (witness,) = seed["witnesses"]
    assert witness["match"]["slug"] == "franz-josef-pschierer"
    assert witness["organisation_match"]["slug"] == "bavarian-state-ministry-of-economic-affairs"


def test_the_speakers_and_the_contact_are_matched(seed):
    assert [q["match"]["slug"] for q in seed["quotes"]] == ["tadamitsu-kishimoto", "horst-domdey"]
    assert [q["organisation_match"]["slug"] for q in seed["quotes"]] == [
        "osaka-bio-headquarters",
        "biom",
    ]
    (contact,) = seed["contacts"]
    assert contact["match"]["slug"] == "stephanie-wehnelt"
    assert contact["organisation_match"]["slug"] == "biom"


def test_the_seed_is_recognised_as_the_recorded_renewal(seed):
    assert seed["existing"]["slug"] == RENEWAL
    assert seed["renews"]["match"]["slug"] == EARLIER
    assert seed["signed_on"]["value"] == datetime.date(2015, 11, 2)


def test_the_focus_areas_named_in_the_release_are_found(seed):
    assert {a["match"]["slug"] for a in seed["focus_areas"]} == {
        "personalised-medicine",
        "neuroscience",
        "cancer-therapy",
        "regenerative-medicine",
    }


def test_reading_the_release_writes_nothing(_demo, db):
    before = Agreement.objects.count()
    read_release(press_release_text())
    assert Agreement.objects.count() == before


def test_the_intake_command_prints_the_documented_object(_demo, db):
    out = StringIO()
    call_command("intake", str(PRESS_RELEASE_PATH), "--json", stdout=out)
    draft = json.loads(out.getvalue())
    assert draft["language"] == "de"
    assert set(draft) >= {
        "kind", "title", "signed_on", "place", "occasion", "parties", "signatories",
        "witnesses", "quotes", "contacts", "term", "notice", "automatic_renewal",
        "valid_until", "renews", "scope", "focus_areas",
    }  # fmt: skip
    assert draft["signed_on"]["value"] == "2015-11-02"
    assert set(draft["signed_on"]) >= {"value", "source", "confidence", "match"}
    assert draft["parties"][0]["match"] == {
        "id": draft["parties"][0]["match"]["id"],
        "slug": "biom",
    }
    assert draft["renews"]["match"]["slug"] == EARLIER
    assert draft["contacts"][0]["email"] == "wehnelt@bio-m.org"


def test_the_review_of_the_seed_links_the_recorded_agreement_instead_of_a_duplicate(
    _demo, db, admin_client
):
    page = admin_client.post(
        reverse("admin:partnerships_agreement_intake"),
        {"step": "read", "text": press_release_text()},
    ).content.decode()
    renewal = Agreement.objects.get(slug=RENEWAL)
    assert "This agreement is already recorded" in page
    assert reverse("admin:partnerships_agreement_change", args=[renewal.pk]) in page
    assert "Create draft" not in page
    assert "<mark>Franz Josef Pschierer</mark>" in page
