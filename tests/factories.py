"""factory_boy factories for every model; exposed as fixtures in tests/conftest.py."""

import datetime

import factory
from factory.django import DjangoModelFactory

from organizations.models import Affiliation, FocusArea, Organization, Person, Region, Visibility
from partnerships.models import (
    Activity,
    Agreement,
    AgreementContact,
    AgreementParty,
    Attendance,
    Commitment,
    CooperationArea,
    Document,
    Event,
    Signature,
    SigningEvent,
    Statement,
)


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Testland {n}")
    slug = factory.Sequence(lambda n: f"testland-{n}")
    kind = Region.Kind.COUNTRY


class SubdivisionFactory(RegionFactory):
    name = factory.Sequence(lambda n: f"Test State {n}")
    slug = factory.Sequence(lambda n: f"test-state-{n}")
    kind = Region.Kind.SUBDIVISION
    parent = factory.SubFactory(RegionFactory)


class FocusAreaFactory(DjangoModelFactory):
    class Meta:
        model = FocusArea

    name = factory.Sequence(lambda n: f"Test focus {n}")
    slug = factory.Sequence(lambda n: f"test-focus-{n}")


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Example Cluster {n}")
    slug = factory.Sequence(lambda n: f"example-cluster-{n}")
    kind = Organization.Kind.CLUSTER
    region = factory.SubFactory(SubdivisionFactory)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Sequence(lambda n: f"Testgiven{n}")
    family_name = factory.Sequence(lambda n: f"Testfamily{n}")
    slug = factory.Sequence(lambda n: f"test-person-{n}")


class AffiliationFactory(DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    position = "Test position"
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    visibility = Visibility.PUBLIC


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    name = factory.Sequence(lambda n: f"Example Partnering Days {n}")
    slug = factory.Sequence(lambda n: f"example-partnering-days-{n}")
    starts_on = datetime.date(2015, 11, 2)
    ends_on = datetime.date(2015, 11, 4)


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement

    title = factory.Sequence(lambda n: f"Example cooperation agreement {n}")
    slug = factory.Sequence(lambda n: f"example-agreement-{n}")
    kind = Agreement.Kind.COOPERATION
    state = Agreement.State.CONCLUDED
    signed_on = datetime.date(2015, 11, 2)
    term = Agreement.Term.OPEN_ENDED
    # Published when concluded: the database refuses a published draft.
    publication = factory.LazyAttribute(
        lambda o: (
            Agreement.Publication.PUBLISHED
            if o.state == Agreement.State.CONCLUDED
            else Agreement.Publication.DRAFT
        )
    )


class AgreementPartyFactory(DjangoModelFactory):
    class Meta:
        model = AgreementParty

    agreement = factory.SubFactory(AgreementFactory)
    organization = factory.SubFactory(OrganizationFactory)


class CooperationAreaFactory(DjangoModelFactory):
    class Meta:
        model = CooperationArea

    agreement = factory.SubFactory(AgreementFactory)
    description = factory.Sequence(lambda n: f"Exchange of test information {n}")


class SigningEventFactory(DjangoModelFactory):
    class Meta:
        model = SigningEvent

    agreement = factory.SubFactory(AgreementFactory)
    signed_on = datetime.date(2015, 11, 2)


class SignatureFactory(DjangoModelFactory):
    class Meta:
        model = Signature

    signing_event = factory.SubFactory(SigningEventFactory)
    person = factory.SubFactory(PersonFactory)
    party = factory.SubFactory(
        AgreementPartyFactory, agreement=factory.SelfAttribute("..signing_event.agreement")
    )


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    signing_event = factory.SubFactory(SigningEventFactory)
    person = factory.SubFactory(PersonFactory)


class StatementFactory(DjangoModelFactory):
    class Meta:
        model = Statement

    agreement = factory.SubFactory(AgreementFactory)
    person = factory.SubFactory(PersonFactory)
    text = "A test quote."


class AgreementContactFactory(DjangoModelFactory):
    class Meta:
        model = AgreementContact

    agreement = factory.SubFactory(AgreementFactory)
    party = factory.SubFactory(
        AgreementPartyFactory, agreement=factory.SelfAttribute("..agreement")
    )
    affiliation = factory.SubFactory(
        AffiliationFactory, organization=factory.SelfAttribute("..party.organization")
    )


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document

    agreement = factory.SubFactory(AgreementFactory)
    kind = Document.Kind.PRESS_RELEASE
    title = "Test press release"
    url = "https://example.org/press-release"


class CommitmentFactory(DjangoModelFactory):
    class Meta:
        model = Commitment

    agreement = factory.SubFactory(AgreementFactory)
    text = factory.Sequence(lambda n: f"Keep each other informed, test commitment {n}")


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    agreement = factory.SubFactory(AgreementFactory)
    kind = Activity.Kind.WEBINAR
    starts_on = datetime.date(2025, 3, 14)
    description = factory.Sequence(lambda n: f"Test webinar {n}")
    visibility = Activity.Visibility.PUBLIC
