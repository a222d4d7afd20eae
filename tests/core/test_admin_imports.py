"""The admin's import and export pages (core/admin/imports.py): the dry-run preview,
then "Confirm import"; row errors on the page, in the user's language; export in CSV."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from organizations.models import Affiliation, Person
from tests.personas import build_cast
from tests.spreadsheets import csv_text

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:organizations_affiliation_import")
PROCESS = reverse("admin:organizations_affiliation_process_import")


@pytest.fixture
def cast():
    return build_cast()


def client_for(user, language="en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def upload(client: Client, rows) -> object:
    data = csv_text(rows).encode()
    return client.post(
        IMPORT,
        {"format": "0", "import_file": SimpleUploadedFile("contacts.csv", data, "text/csv")},
    )


def contact(organization, slug="synthetic-person"):
    return {
        "person": slug,
        "given_name": "Testa",
        "family_name": "Synthetica",
        "organization": organization.slug,
        "position_en": "Test lead",
        "visibility": "hidden",
    }


def test_the_upload_is_a_dry_run_and_confirm_imports(cast):
    client = client_for(cast.users["anna_biom_manager"])
    biom = cast.records["organizations"]["biom"]

    preview = upload(client, [contact(biom)])

    assert preview.status_code == 200
    assert "Confirm import" in preview.content.decode()
    assert not Person.objects.filter(slug="synthetic-person").exists()

    confirm = preview.context["confirm_form"]
    response = client.post(PROCESS, {**confirm.initial, "resource": "0"})

    assert response.status_code == 302
    assert Affiliation.objects.filter(person__slug="synthetic-person", organization=biom).exists()


def test_a_row_for_another_organisation_is_shown_and_nothing_can_be_confirmed(cast):
    client = client_for(cast.users["anna_biom_manager"])
    biom = cast.records["organizations"]["biom"]
    osaka = cast.records["organizations"]["osaka"]

    response = upload(client, [contact(biom), contact(osaka, slug="synthetic-two")])

    page = response.content.decode()
    assert "Some rows failed to validate" in page
    assert "is not one of your organisations" in page
    assert "Confirm import" not in page
    assert not Person.objects.filter(slug__startswith="synthetic").exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "ist keine Ihrer Organisationen"),
        ("ja", "あなたの組織ではありません"),
    ],
)
def test_the_import_page_and_its_errors_are_translated(cast, language, expected):
    client = client_for(cast.users["anna_biom_manager"], language)
    osaka = cast.records["organizations"]["osaka"]

    form = client.get(IMPORT).content.decode()
    response = upload(client, [contact(osaka)])

    assert "Submit" not in form  # Django's and django-import-export's strings are translated
    page = response.content.decode()
    assert expected in page
    assert "Some rows failed to validate" not in page


def test_export_writes_the_rows_the_manager_may_see_as_csv(cast):
    client = client_for(cast.users["anna_biom_manager"])

    response = client.post(
        reverse("admin:organizations_affiliation_export"),
        {
            "format": "0",
            "resource": "0",
            **{f"affiliationresource_{c}": "on" for c in ("person", "organization")},
        },
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = response.content.decode()
    assert cast.records["organizations.person"].slug in content


def test_an_xlsx_that_unpacks_to_256_mb_is_refused_before_it_is_read(cast):
    from tests import uploads

    bomb = uploads.ooxml_bomb(256, main_content_type="spreadsheetml.sheet.main+xml")
    client = client_for(cast.users["anna_biom_manager"])
    before = Affiliation.objects.count()

    response = client.post(
        IMPORT, {"format": "1", "import_file": SimpleUploadedFile("contacts.xlsx", bomb)}
    )

    assert response.status_code == 200
    assert (
        "The file unpacks to 256 MB; an office file may unpack to at most 200 MB."
        in response.content.decode()
    )
    assert Affiliation.objects.count() == before
