"""The form renderer's shims (core/form_rendering.py) write what Django's templates write, byte
for byte: every widget, label and error list they take over, with awkward values."""

from __future__ import annotations

import datetime
import decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from core.form_rendering import FormRenderer

AWKWARD = ["", "plain", "<b>\"quoted\" & 'single'</b>", mark_safe("<i>safe</i>"), "日本語 ü", 0]


def both(render) -> tuple[str, str]:
    """``render(renderer)`` through Django's renderer and through the shim."""
    return render(DjangoTemplates()), render(FormRenderer())


def widget_html(widget: forms.Widget, value, attrs=None):
    return lambda renderer: widget.render("field-name", value, attrs=attrs, renderer=renderer)


def test_the_portal_renders_forms_with_the_shim():
    assert isinstance(get_default_renderer(), FormRenderer)
    assert FormRenderer()._shims, "a template override switched the shims off"


@pytest.mark.parametrize("value", [*AWKWARD, None, 12.5, decimal.Decimal("3.10")])
@pytest.mark.parametrize(
    "widget",
    [
        forms.TextInput(attrs={"class": "vTextField", "maxlength": 200, "required": True}),
        forms.HiddenInput(),
        forms.NumberInput(attrs={"min": 0, "disabled": False}),
        forms.EmailInput(attrs={"data-x": '"<>"'}),
        forms.URLInput(),
        forms.PasswordInput(render_value=True),
        forms.DateInput(),
        forms.Textarea(attrs={"rows": 3, "aria-describedby": "id_help"}),
        forms.Select(choices=[("", "---"), ("a", "A & B"), (1, "one"), ("<x>", 2)]),
    ],
    ids=lambda widget: type(widget).__name__,
)
def test_a_widget_is_what_the_template_writes(widget, value):
    django_html, shim_html = both(widget_html(widget, value, {"id": "id_field-name"}))
    assert shim_html == django_html


@pytest.mark.parametrize("checked", [True, False, "", "on", None])
def test_a_checkbox_is_what_the_template_writes(checked):
    django_html, shim_html = both(widget_html(forms.CheckboxInput(), checked))
    assert shim_html == django_html


def test_a_select_with_groups_lazy_labels_and_several_choices_is_what_the_template_writes():
    widget = forms.SelectMultiple(
        choices=[
            ("", gettext_lazy("Language")),
            ("Europe", [("de", "Deutsch"), ("fr", mark_safe("Fran&ccedil;ais"))]),
            ("Asia & <more>", [("ja", "日本語"), (7, datetime.date(2024, 5, 2))]),
        ]
    )
    for value in (["de", "ja"], ["7"], [], None):
        with override("de"):
            django_html, shim_html = both(widget_html(widget, value, {"id": "x", "lang": "de"}))
        assert shim_html == django_html


def test_an_option_of_another_template_is_rendered_by_that_template():
    class Options(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    django_html, shim_html = both(widget_html(Options(choices=[("a", "A")]), "a"))
    assert shim_html == django_html


class Form(forms.Form):
    name = forms.CharField(label='Name <"x">', required=True)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea)
    choice = forms.ChoiceField(choices=[("a", "A")], label="Pick?")


@pytest.mark.parametrize("data", [None, {"name": "", "choice": "b"}, {"name": "x", "choice": "a"}])
def test_labels_errors_and_whole_forms_are_what_the_templates_write(data):
    def render(renderer):
        form = Form(data=data, renderer=renderer, auto_id="id_%s")
        form.required_css_class = "required"
        parts = [str(form), str(form.non_field_errors())]
        for field in form:
            parts += [
                field.label_tag(),
                field.label_tag(attrs={"class": "x", "hidden": True}, label_suffix=" →"),
                field.legend_tag(),
                str(field.errors),
            ]
        unlabelled = Form(renderer=renderer, auto_id=False)
        parts += [field.label_tag() for field in unlabelled]
        return "\n".join(parts)

    django_html, shim_html = both(render)
    assert shim_html == django_html
