"""Fixtures shared by the whole suite: every factory, as a fixture named after its model."""

import pytest

from tests import factories


@pytest.fixture
def region_factory(db):
    return factories.RegionFactory


@pytest.fixture
def subdivision_factory(db):
    return factories.SubdivisionFactory


@pytest.fixture
def focus_area_factory(db):
    return factories.FocusAreaFactory


@pytest.fixture
def organization_factory(db):
    return factories.OrganizationFactory


@pytest.fixture
def person_factory(db):
    return factories.PersonFactory


@pytest.fixture
def affiliation_factory(db):
    return factories.AffiliationFactory


@pytest.fixture
def event_factory(db):
    return factories.EventFactory


@pytest.fixture
def agreement_factory(db):
    return factories.AgreementFactory


@pytest.fixture
def agreement_party_factory(db):
    return factories.AgreementPartyFactory


@pytest.fixture
def cooperation_area_factory(db):
    return factories.CooperationAreaFactory


@pytest.fixture
def signing_event_factory(db):
    return factories.SigningEventFactory


@pytest.fixture
def signature_factory(db):
    return factories.SignatureFactory


@pytest.fixture
def attendance_factory(db):
    return factories.AttendanceFactory


@pytest.fixture
def statement_factory(db):
    return factories.StatementFactory


@pytest.fixture
def agreement_contact_factory(db):
    return factories.AgreementContactFactory


@pytest.fixture
def document_factory(db):
    return factories.DocumentFactory
