"""Commitments and activities (issue 21): the named constraints, their clean() messages, and the
evidence file checked like every upload."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from partnerships.models import Activity
from tests import factories

pytestmark = pytest.mark.django_db


def _constraint_of(excinfo) -> str:
    return excinfo.value.__cause__.diag.constraint_name


def test_an_activity_cannot_end_before_it_starts_in_the_database():
    activity = factories.ActivityFactory()
    activity.ends_on = activity.starts_on - datetime.timedelta(days=1)

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        activity.save()

    assert _constraint_of(excinfo) == "partnerships_activity_ends_after_start"


def test_an_activity_ending_before_it_starts_is_explained_on_its_field():
    activity = factories.ActivityFactory.build(
        agreement=factories.AgreementFactory(),
        starts_on=datetime.date(2026, 3, 14),
        ends_on=datetime.date(2026, 3, 13),
    )

    with pytest.raises(ValidationError) as excinfo:
        activity.full_clean()

    assert excinfo.value.message_dict["ends_on"] == ["The last day cannot be before the first."]


def test_negative_funding_is_refused_by_the_database():
    activity = factories.ActivityFactory()
    activity.funding = Decimal("-1")

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        activity.save()

    assert _constraint_of(excinfo) == "partnerships_activity_funding_not_negative"


def test_negative_funding_is_explained_on_its_field():
    activity = factories.ActivityFactory.build(
        agreement=factories.AgreementFactory(), funding=Decimal("-5")
    )

    with pytest.raises(ValidationError) as excinfo:
        activity.full_clean()

    assert "Funding cannot be negative." in excinfo.value.message_dict["funding"]


def test_a_scope_item_has_one_commitment_at_most():
    area = factories.CooperationAreaFactory()
    factories.CommitmentFactory(agreement=area.agreement, cooperation_area=area)

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        factories.CommitmentFactory(agreement=area.agreement, cooperation_area=area)

    assert _constraint_of(excinfo) == "partnerships_commitment_one_per_scope_item"


def test_a_commitment_comes_from_a_scope_item_of_its_own_agreement():
    area = factories.CooperationAreaFactory()
    commitment = factories.CommitmentFactory.build(
        agreement=factories.AgreementFactory(), cooperation_area=area
    )

    with pytest.raises(ValidationError) as excinfo:
        commitment.full_clean()

    assert "cooperation_area" in excinfo.value.message_dict


def test_an_activity_needs_a_description_in_some_language():
    activity = factories.ActivityFactory.build(
        agreement=factories.AgreementFactory(), description=""
    )

    with pytest.raises(ValidationError) as excinfo:
        activity.full_clean()

    assert "description_en" in excinfo.value.message_dict


def test_an_svg_is_refused_as_evidence():
    svg = SimpleUploadedFile("evidence.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    activity = factories.ActivityFactory.build(
        agreement=factories.AgreementFactory(), evidence_file=svg
    )

    with pytest.raises(ValidationError) as excinfo:
        activity.full_clean()

    assert "evidence_file" in excinfo.value.message_dict


def test_public_activities_are_those_marked_public_of_published_agreements():
    shown = factories.ActivityFactory()
    factories.ActivityFactory(visibility=Activity.Visibility.PARTNERS)
    factories.ActivityFactory(
        agreement=factories.AgreementFactory(publication="draft", state="draft", signed_on=None)
    )

    assert list(Activity.objects.public()) == [shown]
