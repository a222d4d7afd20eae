"""A text that exists in one language only — an organisation's name in German, an event's name or a
quote in Japanese — can be saved, in the model and in the admin; the pages fall back to it and
mark it; lists sort it under that name (core/languages.py). Personas: tests/personas.py.
"""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import translation
from modeltranslation.translator import translator

from organizations.models import FocusArea, Organization, Region
from organizations.search import sort_name
from partnerships.models import Activity, Commitment, CooperationArea, Document, Event
from tests import factories
from tests.admin_post import form_post_data
from tests.personas import build_cast

pytestmark = pytest.mark.django_db

ANY_LANGUAGE_MODELS = [
    model for model in apps.get_models() if getattr(model, "any_language_fields", ())
]


@pytest.fixture
def cast():
    return build_cast()


def test_every_once_required_text_accepts_any_language():
    assert {model.__name__ for model in ANY_LANGUAGE_MODELS} == {
        "Region",
        "FocusArea",
        "Organization",
        "Event",
        "Agreement",
        "CooperationArea",
        "Statement",
        "Document",
        "Commitment",
        "Activity",
    }


@pytest.mark.parametrize("model", ANY_LANGUAGE_MODELS, ids=lambda model: model.__name__)
def test_a_text_in_any_language_is_a_translated_field_that_requires_no_language(model):
    options = translator.get_options_for_model(model)
    assert not options.required_languages
    assert set(model.any_language_fields) <= set(options.fields)


def test_no_translated_field_still_requires_english():
    required = [
        model.__name__
        for model in translator.get_registered_models()
        if translator.get_options_for_model(model).required_languages
    ]
    assert required == []


# The models: one language is enough, none is refused on the English field


def one_language_only(language, subdivision_factory):
    """An instance of each model with its text in ``language`` only (not saved)."""
    region = subdivision_factory()
    agreement = factories.AgreementFactory()
    text = {"de": "Nur Deutsch", "ja": "日本語だけ"}[language]
    return [
        Region(slug="r", kind=Region.Kind.CITY, parent=region, **{f"name_{language}": text}),
        FocusArea(slug="f", **{f"name_{language}": text}),
        Organization(slug="o", kind="cluster", region=region, **{f"name_{language}": text}),
        Event(
            slug="e",
            starts_on=datetime.date(2015, 10, 14),
            ends_on=datetime.date(2015, 10, 16),
            **{f"name_{language}": text},
        ),
        CooperationArea(agreement=agreement, **{f"description_{language}": text}),
        Document(
            agreement=agreement,
            kind=Document.Kind.OTHER,
            url="https://example.org/x",
            **{f"title_{language}": text},
        ),
        Commitment(agreement=agreement, **{f"text_{language}": text}),
        Activity(
            agreement=agreement,
            kind=Activity.Kind.WEBINAR,
            starts_on=datetime.date(2026, 3, 14),
            **{f"description_{language}": text},
        ),
    ]


@pytest.mark.parametrize("language", ["de", "ja"])
def test_a_text_in_german_or_japanese_only_is_valid(language, subdivision_factory):
    for instance in one_language_only(language, subdivision_factory):
        instance.full_clean()


def test_a_text_in_no_language_is_refused_on_the_english_field(subdivision_factory):
    organization = Organization(slug="o", kind="cluster", region=subdivision_factory())

    with pytest.raises(ValidationError) as excinfo:
        organization.full_clean()

    assert excinfo.value.message_dict["name_en"] == ["Give the name in at least one language."]


def test_the_not_null_original_column_holds_the_name_given(subdivision_factory):
    organization = Organization(
        slug="o", kind="cluster", region=subdivision_factory(), name_ja="日本語だけの団体"
    )
    organization.full_clean()
    organization.save()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, name_en FROM organizations_organization WHERE id = %s",
            [organization.pk],
        )
        assert cursor.fetchone() == ("日本語だけの団体", None)


# Lists sort a name given in one language under that name


@pytest.mark.parametrize("language", ["en", "de", "ja"])
def test_a_name_in_german_only_sorts_under_that_name_in_every_language(
    language, subdivision_factory
):
    region = subdivision_factory()
    for slug, names in (
        ("z", {"name_en": "Zeta Cluster"}),
        ("m", {"name_en": None, "name_de": "Mitte Cluster"}),  # as saved by the model
        ("n", {"name_en": "", "name_de": "Nord Cluster"}),  # as saved by a form
        ("a", {"name_en": "Alpha Cluster"}),
    ):
        Organization.objects.create(slug=slug, kind="cluster", region=region, **names)

    names = [
        org.name_en or org.name_de
        for org in Organization.objects.order_by(sort_name(language), "pk")
    ]

    assert names == ["Alpha Cluster", "Mitte Cluster", "Nord Cluster", "Zeta Cluster"]


# The admin, as the personas use it


def test_anna_renames_biom_in_german_only(client, cast):
    biom = cast.records["organizations"]["biom"]
    client.force_login(cast.users["anna_biom_manager"])
    url = reverse("admin:organizations_organization_change", args=[biom.pk])
    data = form_post_data(client.get(url))
    data.update({"name_en": "", "name_de": "BioM Biotech Cluster München", "name_ja": ""})

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    biom.refresh_from_db()
    assert not biom.name_en
    assert biom.name_de == "BioM Biotech Cluster München"
    with translation.override("en"):
        page = client.get(biom.get_absolute_url()).content.decode()
    assert '<span lang="de" data-fallback>BioM Biotech Cluster München</span>' in page


def test_anna_cannot_save_biom_without_a_name_in_any_language(client, cast):
    biom = cast.records["organizations"]["biom"]
    client.force_login(cast.users["anna_biom_manager"])
    url = reverse("admin:organizations_organization_change", args=[biom.pk])
    data = form_post_data(client.get(url))
    data.update({"name_en": "", "name_de": "", "name_ja": ""})

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name_en"] == [
        "Give the name in at least one language."
    ]
    biom.refresh_from_db()
    assert biom.name_en == "BioM Test"


def test_anna_records_an_event_named_in_japanese_only(client, cast):
    biom = cast.records["organizations"]["biom"]
    client.force_login(cast.users["anna_biom_manager"])
    url = reverse("admin:partnerships_event_add")
    data = form_post_data(client.get(url))
    data.update(
        {
            "name_en": "",
            "name_ja": "バイオジャパン試験",
            "slug": "bio-japan-test",
            "starts_on": "2015-10-14",
            "ends_on": "2015-10-16",
            "organizer": str(biom.pk),
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    event = Event.objects.get(slug="bio-japan-test")
    assert event.name_ja == "バイオジャパン試験"
    assert str(event) == "バイオジャパン試験"


def test_the_administrator_adds_a_focus_area_in_german_only(client, cast):
    client.force_login(cast.users["admin_administrator"])
    url = reverse("admin:organizations_focusarea_add")
    data = form_post_data(client.get(url))
    data.update({"name_en": "", "name_de": "Nur-Deutsch-Schwerpunkt", "slug": "nur-deutsch"})

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert FocusArea.objects.get(slug="nur-deutsch").name == "Nur-Deutsch-Schwerpunkt"


def test_the_agreement_page_offers_every_language_of_a_document_title_as_optional(client, cast):
    agreement = cast.records["partnerships.agreement"]
    client.force_login(cast.users["anna_biom_manager"])

    response = client.get(reverse("admin:partnerships_agreement_change", args=[agreement.pk]))

    documents = next(
        fs for fs in response.context["inline_admin_formsets"] if fs.formset.prefix == "documents"
    )
    areas = next(
        fs
        for fs in response.context["inline_admin_formsets"]
        if fs.formset.prefix == "cooperation_areas"
    )
    assert not documents.formset.forms[0].fields["title_en"].required
    assert not areas.formset.forms[0].fields["description_en"].required
