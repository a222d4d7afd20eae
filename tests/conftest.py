"""Fixtures shared by the whole suite: every factory, as a fixture named after its model."""

import pytest
from django.utils import translation

from tests import factories
from tests.organizations.search_world import build_world


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Each test starts in English. A request through the test client leaves its language active
    in the thread (LocaleMiddleware does not deactivate it), and modeltranslation then writes a
    factory's ``name=`` into ``name_de``/``name_ja`` of the next test, leaving ``name_en`` empty."""
    translation.activate("en")
    yield
    translation.activate("en")


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


@pytest.fixture
def world(db):
    """The search tests' regions and organisations (tests/organizations/search_world.py)."""
    return build_world()
