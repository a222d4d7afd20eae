"""Schemathesis: every operation of the API's own OpenAPI schema, with generated query
parameters, against the live test server. No answer may be a server error, have a status,
content type or headers the schema does not describe, or a body that breaks the schema.

Bounded: six examples per operation and no deadline, under a minute in all.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests import factories

# Every built-in check but one: "positive_data_acceptance" expects any value the schema allows to
# be accepted, and a filter naming a region or organisation that does not exist is a 400 on
# purpose (the schema cannot list every slug).
EXCLUDED = [positive_data_acceptance]


@pytest.fixture
def api_schema(live_server):
    north = factories.OrganizationFactory(name="Schema North")
    agreement = factories.AgreementFactory(title="Schema cooperation")
    party = factories.AgreementPartyFactory(agreement=agreement, organization=north)
    factories.AgreementPartyFactory(agreement=agreement)
    signing = factories.SigningEventFactory(agreement=agreement, occasion=factories.EventFactory())
    factories.SignatureFactory(signing_event=signing, party=party)
    factories.StatementFactory(agreement=agreement)
    factories.AgreementContactFactory(agreement=agreement, party=party)
    factories.DocumentFactory(agreement=agreement)
    commitment = factories.CommitmentFactory(agreement=agreement)
    activity = factories.ActivityFactory(agreement=agreement, companies=3, funding=1000)
    activity.commitments.set([commitment])
    activity.parties.set([party])
    factories.AgreementFactory(title="Schema draft", publication="draft")
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")


# Each operation's strategy is run by hand: schemathesis.pytest.from_fixture does not run under
# pytest 9 (it reads a private attribute pytest removed).
def test_every_api_operation_keeps_to_its_schema(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 17  # eight lists, eight details, the changes
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=6,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            database=None,
        )
        def check(case):
            case.call_and_validate(excluded_checks=EXCLUDED)

        check()
