"""The public lists' filter widgets and rows drawn once per distinct context or row
(core/rendering.py): the same HTML as without the memo, and never a stale option, selection or
row."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe

from core import rendering
from core.rendering import MemoRenderer, context_key, memo_renderer, row_key, row_memo
from organizations.models import Organization
from organizations.search.query import ParsedQuery
from tests import factories

LIST_PAGES = [
    "/en/organizations/",
    "/en/organizations/?q=biom",
    "/de/organizations/?language=fr&kind=company",
    "/en/agreements/",
    "/ja/agreements/?status=in_force",
    "/en/events/",
]


@pytest.fixture
def without_memo(monkeypatch) -> Iterator[None]:
    """Every widget through Django's own renderer, as before the memo."""

    def plain(self, template_name, context, request=None):
        return DjangoTemplates.render(self, template_name, context, request)

    monkeypatch.setattr(MemoRenderer, "render", plain)
    monkeypatch.setattr(row_memo, "enabled", False)
    yield


@pytest.fixture(autouse=True)
def empty_memo() -> Iterator[None]:
    memo_renderer.clear()
    row_memo.clear()
    yield
    memo_renderer.clear()
    row_memo.clear()


@pytest.fixture
def some_lists(db):
    area = factories.FocusAreaFactory(name="Biotech")
    organization = factories.OrganizationFactory(name="BioM")
    organization.focus_areas.add(area)
    agreement = factories.AgreementFactory(title="Partnership agreement")
    agreement.focus_areas.add(area)
    factories.AgreementPartyFactory(agreement=agreement, organization=organization)
    factories.EventFactory()
    return area


@pytest.mark.parametrize("path", LIST_PAGES)
def test_a_list_page_is_the_same_with_and_without_the_memo(client, some_lists, path, request):
    drawn = client.get(path)  # first: rendered and kept
    again = client.get(path)  # second: from the memo
    request.getfixturevalue("without_memo")
    plain = client.get(path)
    assert drawn.status_code == 200
    assert drawn.content == again.content == plain.content


def test_the_memo_holds_the_filter_widgets(client, some_lists):
    client.get("/en/organizations/")
    assert len(memo_renderer._memo) >= 4  # kind, focus, language, smes (and the text inputs)


def test_a_new_focus_area_is_offered_on_the_next_request(client, some_lists):
    client.get("/en/organizations/")
    factories.FocusAreaFactory(name="Quantum sensing")
    assert "Quantum sensing" in client.get("/en/organizations/").content.decode()


def test_a_renamed_focus_area_is_offered_under_its_new_name(client, some_lists):
    client.get("/en/organizations/")
    some_lists.name = "Life sciences"
    some_lists.save()
    html = client.get("/en/organizations/").content.decode()
    assert "Life sciences" in html
    assert ">Biotech<" not in html


def test_the_selected_option_follows_the_request(client, some_lists):
    client.get("/en/organizations/?language=fr")
    html = client.get("/en/organizations/?language=de").content.decode()
    assert '<option value="de" selected>' in html
    assert '<option value="fr" selected>' not in html


def test_the_options_follow_the_page_language(client, some_lists):
    english = client.get("/en/organizations/").content.decode()
    german = client.get("/de/organizations/").content.decode()
    assert '<option value="de">German</option>' in english
    assert '<option value="de">Deutsch</option>' in german


def test_values_that_render_alike_only_when_equal_have_different_keys():
    def key(value: object) -> str | None:
        return context_key("t.html", {"widget": {"value": value}})

    values = [True, 1, "1", 1.0, mark_safe("<b>"), "<b>", None, "", [1], (1,)]
    keys = [key(value) for value in values]
    assert len(set(keys)) == len(values)
    with translation.override("de"):
        assert key("1") != keys[2]


def test_a_context_with_other_objects_is_rendered_without_the_memo(monkeypatch):
    class Form(forms.Form):
        default_renderer = MemoRenderer()
        name = forms.CharField()

    form = Form()
    str(form)  # the form's own template gets the form and its bound fields
    assert all(key for key in form.renderer._memo)
    assert context_key("t.html", {"form": form}) is None


def test_the_memo_starts_again_when_full(monkeypatch):
    monkeypatch.setattr(rendering, "MEMO_ENTRIES", 3)
    renderer = MemoRenderer()
    for value in range(5):
        widget = forms.TextInput().render("q", str(value), renderer=renderer)
        assert f'value="{value}"' in widget
    assert len(renderer._memo) <= 3


# --- Rows ----------------------------------------------------------------------------------------


@pytest.fixture
def two_agreements(db):
    biom = factories.OrganizationFactory(name="BioM")
    osaka = factories.OrganizationFactory(name="Osaka Bio Headquarters")
    first = factories.AgreementFactory(title="First agreement")
    second = factories.AgreementFactory(title="Second agreement")
    for agreement in (first, second):
        factories.AgreementPartyFactory(agreement=agreement, organization=biom)
        factories.AgreementPartyFactory(agreement=agreement, organization=osaka)
    return first, second, biom


def test_the_lists_keep_their_rows(client, two_agreements):
    client.get("/en/agreements/")
    client.get("/en/organizations/")
    assert len(row_memo._memo) == 4  # two agreement cards, two organisation cards


def test_an_edited_agreement_shows_its_edit_on_the_next_request(client, two_agreements):
    first, _second, _biom = two_agreements
    client.get("/en/agreements/")
    first.title = "First agreement, amended"
    first.save()
    html = client.get("/en/agreements/").content.decode()
    assert "First agreement, amended" in html
    assert len(row_memo._memo) == 3  # the edited card drawn again, the other one looked up


def test_a_renamed_party_shows_on_every_card_that_names_it(client, two_agreements):
    _first, _second, biom = two_agreements
    client.get("/en/agreements/")
    Organization.objects.filter(pk=biom.pk).update(name="BioM Biotech Cluster")
    html = client.get("/en/agreements/").content.decode()
    assert html.count("BioM Biotech Cluster") == 2


def test_an_organisation_card_shows_a_new_agreement_on_the_next_request(client, two_agreements):
    _first, _second, biom = two_agreements
    before = client.get("/en/organizations/").content.decode()
    third = factories.AgreementFactory(title="Third agreement")
    factories.AgreementPartyFactory(agreement=third, organization=biom)
    after = client.get("/en/organizations/").content.decode()
    assert before != after
    assert after == _without_memo(client, "/en/organizations/")


def test_a_row_in_another_language_is_another_row(client, two_agreements):
    english = client.get("/en/agreements/").content.decode()
    german = client.get("/de/agreements/").content.decode()
    assert len(row_memo._memo) == 4
    assert english != german


def _without_memo(client, path: str) -> str:
    row_memo.enabled = False
    try:
        return client.get(path).content.decode()
    finally:
        row_memo.enabled = True


def test_a_row_drawn_with_a_query_is_not_kept(two_agreements):
    from django.template import engines

    _first, _second, biom = two_agreements
    template = engines["django"].from_string(
        '{% load portal_tags %}{% row "includes/organization_card.html" organization=o query=q %}'
    )
    organization = Organization.objects.get(pk=biom.pk)  # its region and focus areas not read
    html = template.render({"o": organization, "q": ParsedQuery(raw="")})
    assert "BioM" in html
    assert row_memo._memo == {}


def test_a_row_key_changes_with_any_attribute_of_the_row(two_agreements):
    _first, _second, biom = two_agreements
    organization = Organization.objects.get(pk=biom.pk)
    key = row_key("card.html", {"organization": organization})
    organization.status = "in_force"  # an annotation of the day
    assert row_key("card.html", {"organization": organization}) != key


def test_a_row_with_an_unread_list_has_no_key(two_agreements):
    assert row_key("card.html", {"rows": Organization.objects.all()}) is None
