"""On a shared agreement, a party's managers see the other parties' rows read-only: BioM's party
row, the signature on BioM's behalf, the statement of BioM's person and BioM's contact are shown
disabled to Kenji (Osaka's manager); a forged POST changes nothing and a forged delete is refused.
The joint rows (the scope, the signings, documents) and Osaka's own rows stay editable for him;
administrators edit everything. Personas: tests/personas.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partnerships.models import AgreementContact, AgreementParty, Reminder, Signature, Statement
from tests import factories
from tests.admin_post import form_post_data
from tests.personas import build_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    cast = build_cast()
    records = cast.records
    osaka = records["organizations"]["osaka"]
    records["osaka_party"] = AgreementParty.objects.get(
        agreement=records["partnerships.agreement"], organization=osaka
    )
    records["osaka_statement"] = factories.StatementFactory(
        agreement=records["partnerships.agreement"],
        organization=osaka,
        text="Osaka's own quote.",
        position=1,
    )
    return cast


def change_url(cast) -> str:
    return reverse(
        "admin:partnerships_agreement_change", args=[cast.records["partnerships.agreement"].pk]
    )


def forms_by_instance(response) -> dict:
    """Every inline form of the page (nested ones too), by its row."""
    found = {}

    def walk(formsets):
        for formset in formsets:
            for form in formset.forms:
                if form.instance.pk is not None:
                    found[form.instance] = form
                for nested in getattr(form, "nested_formsets", ()):
                    walk([nested])

    walk([inline.formset for inline in response.context["inline_admin_formsets"]])
    return found


def read_only(form) -> bool:
    return getattr(form, "read_only_row", False)


def test_kenji_sees_biom_s_rows_read_only_and_his_own_and_the_joint_rows_editable(client, cast):
    records = cast.records
    client.force_login(cast.users["kenji_osaka_manager"])

    forms = forms_by_instance(client.get(change_url(cast)))

    for label in (
        "partnerships.agreementparty",
        "partnerships.signature",
        "partnerships.statement",
        "partnerships.agreementcontact",
    ):
        form = forms[records[label]]
        assert read_only(form), label
        editable = {name for name, field in form.fields.items() if not field.disabled}
        assert editable <= {"id", "agreement", "signing_event"}, label  # the row's keys
    for record in (
        records["osaka_party"],
        records["osaka_statement"],
        records["partnerships.cooperationarea"],
        records["partnerships.signingevent"],
        records["partnerships.attendance"],
        records["partnerships.document"],
    ):
        assert not read_only(forms[record]), record


def test_the_administrator_edits_every_row(client, cast):
    client.force_login(cast.users["admin_administrator"])

    forms = forms_by_instance(client.get(change_url(cast)))

    assert not any(read_only(form) for form in forms.values())


def test_anna_edits_biom_s_rows_and_sees_osaka_s_read_only(client, cast):
    records = cast.records
    client.force_login(cast.users["anna_biom_manager"])

    forms = forms_by_instance(client.get(change_url(cast)))

    # The reminders sent are read-only for everyone (ReminderInline), so not counted here.
    assert {
        row for row, form in forms.items() if read_only(form) and not isinstance(row, Reminder)
    } == {records["osaka_party"], records["osaka_statement"]}


def test_a_forged_change_of_biom_s_statement_and_signature_changes_nothing(client, cast):
    records = cast.records
    statement = records["partnerships.statement"]
    signature = records["partnerships.signature"]
    client.force_login(cast.users["kenji_osaka_manager"])
    page = client.get(change_url(cast))
    forms = forms_by_instance(page)
    data = form_post_data(page)
    # What a browser never sends for a disabled field, forged.
    data[f"{forms[statement].prefix}-text_en"] = "Forged by Osaka"
    data[f"{forms[signature].prefix}-on_behalf_of"] = str(records["organizations"]["osaka"].pk)

    response = client.post(change_url(cast), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert Statement.objects.get(pk=statement.pk).text_en == statement.text_en
    assert Signature.objects.get(pk=signature.pk).party_id == signature.party_id


def test_kenji_still_edits_osaka_s_own_statement(client, cast):
    own = cast.records["osaka_statement"]
    client.force_login(cast.users["kenji_osaka_manager"])
    page = client.get(change_url(cast))
    data = form_post_data(page)
    data[f"{forms_by_instance(page)[own].prefix}-text_en"] = "Osaka's corrected quote."

    response = client.post(change_url(cast), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert Statement.objects.get(pk=own.pk).text_en == "Osaka's corrected quote."


@pytest.mark.parametrize(
    "label",
    [
        "partnerships.statement",
        "partnerships.agreementcontact",
        "partnerships.signature",
        "partnerships.agreementparty",
    ],
)
def test_a_forged_delete_of_biom_s_row_is_refused(client, cast, label):
    record = cast.records[label]
    model = type(record)
    client.force_login(cast.users["kenji_osaka_manager"])
    page = client.get(change_url(cast))
    data = form_post_data(page)
    data[f"{forms_by_instance(page)[record].prefix}-DELETE"] = "on"

    response = client.post(change_url(cast), data)

    assert response.status_code == 200
    assert "This row belongs to another party" in response.content.decode()
    assert model.objects.filter(pk=record.pk).exists()


def test_the_row_s_own_page_is_read_only_for_kenji(client, cast):
    statement = cast.records["partnerships.statement"]
    client.force_login(cast.users["kenji_osaka_manager"])

    change = client.get(reverse("admin:partnerships_statement_change", args=[statement.pk]))
    delete = client.post(
        reverse("admin:partnerships_statement_delete", args=[statement.pk]), {"post": "yes"}
    )

    assert change.status_code == 200
    assert not change.context["has_change_permission"]
    assert delete.status_code == 403
    assert Statement.objects.filter(pk=statement.pk).exists()
    assert AgreementContact.objects.filter(pk=cast.records["partnerships.agreementcontact"].pk)
