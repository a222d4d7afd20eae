"""Schemathesis with every check (``--checks all``): every operation of the API's own OpenAPI
schema, with generated query parameters that keep to the schema (positive) and that break it
(negative), against the live test server. No answer may be a server error, have a status,
content type or headers the schema does not describe, or a body that breaks the schema; every
schema-valid request is accepted (an unknown region, country, organisation or focus area is a
documented 404) and every schema-violating one refused (an empty ``lang=``, a parameter given
twice, ``page_size=true``: 400).

Bounded: eight examples per operation and mode, no deadline: about 20 s.
"""

from __future__ import annotations

import itertools

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from tests import factories


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
    failures = []
    for operation, mode in itertools.product(operations, list(GenerationMode)):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=8,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            database=None,
        )
        def check(case):
            case.call_and_validate()  # every check

        try:
            check()
        except BaseException as error:  # schemathesis raises an exception group
            failures.append(f"{operation.label} ({mode.value}): {str(error)[:1500]}")
    assert failures == [], "\n\n".join(failures)
