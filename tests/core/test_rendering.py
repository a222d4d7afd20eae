"""The public lists' filter widgets drawn once per distinct context (core/rendering.py): the same
HTML as Django's own renderer, and never a stale option or selection."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe

from core import rendering
from core.rendering import MemoRenderer, context_key, memo_renderer
from tests import factories

LIST_PAGES = [
    "/en/organizations/",
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

    yield monkeypatch.setattr(MemoRenderer, "render", plain)


@pytest.fixture(autouse=True)
def empty_memo() -> Iterator[None]:
    memo_renderer.clear()
    yield
    memo_renderer.clear()


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
