"""Privacy requests (organizations/privacy.py): export everything about a person, erase them."""

import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

from organizations.models import Person, Visibility
from organizations.privacy import person_erase, person_export

pytestmark = pytest.mark.django_db

EMAIL = "zaphod.quuxley@example.org"
FAMILY = "Quuxleyfamily"
GIVEN = "Zaphodgiven"


@pytest.fixture
def person(affiliation_factory, signature_factory, statement_factory, agreement_contact_factory):
    affiliation = affiliation_factory(
        person__given_name=GIVEN,
        person__family_name=FAMILY,
        person__honorific="Prof. Dr.",
        person__slug="zaphod-quuxley",
        email=EMAIL,
        phone="+49 89 1234567",
        visibility=Visibility.PUBLIC,
    )
    person = affiliation.person
    person.native_name = "ザフォド"
    person.save()
    affiliation.email = "zaphod.second@example.org"  # a second version in the history
    affiliation.save()
    signature_factory(person=person)
    statement_factory(person=person)
    agreement_contact_factory(affiliation__person=person, affiliation__email="zq3@example.org")
    LogEntry.objects.create(
        user_id=None or _admin_id(),
        content_type=ContentType.objects.get_for_model(Person),
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=CHANGE,
    )
    return person


def _admin_id():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root", "root@example.org", "pw").pk


def test_the_export_holds_the_person_their_records_and_their_history(person):
    data = json.loads(json.dumps(person_export(person=person), cls=DjangoJSONEncoder))

    assert data["person"]["family_name"] == FAMILY
    assert data["person"]["native_name"] == "ザフォド"
    assert {a["email"] for a in data["affiliations"]} == {
        "zaphod.second@example.org",
        "zq3@example.org",
    }
    assert len(data["signatures"]) == 1
    assert len(data["statements"]) == 1
    assert len(data["agreement_contacts"]) == 1
    # The history: the first e-mail address is only there now.
    assert EMAIL in {row["email"] for row in data["history"]["affiliations"]}
    assert [row["pgh_label"] for row in data["history"]["person"]] == ["insert", "update"]
    assert data["history"]["signatures"][0]["person_id"] == person.pk
    assert data["history"]["agreement_contacts"]


def _tables_containing(value: str) -> list[str]:
    """Every table of the database with a row whose text contains ``value``."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                f"SELECT 1 FROM {quoted} t WHERE t::text ILIKE %s LIMIT 1",  # noqa: S608 - introspected names
                [f"%{value}%"],
            )
            if cursor.fetchone():
                found.append(table)
    return found


def test_the_values_are_somewhere_before_erasure(person):
    assert "organizations_personevent" in _tables_containing(FAMILY)
    assert "organizations_affiliationevent" in _tables_containing(EMAIL)


def test_after_erasure_no_personal_value_remains_anywhere_in_the_database(person):
    person_erase(person=person)

    for value in (
        FAMILY,
        GIVEN,
        EMAIL,
        "zaphod.second",
        "zq3@example.org",
        "ザフォド",
        "zaphod-quuxley",
        "1234567",
        "Prof. Dr.",
    ):
        assert _tables_containing(value) == [], value


def test_erasure_keeps_the_records_and_hides_the_contact_points(person):
    person_erase(person=person)

    person.refresh_from_db()
    assert str(person) == f"Erased person #{person.pk}"
    assert person.is_archived
    assert person.signatures.count() == 1
    assert set(person.affiliations.values_list("visibility", flat=True)) == {Visibility.HIDDEN}
    assert set(person.affiliations.values_list("email", flat=True)) == {""}
