"""The agreement list's filter form (partnerships/forms.py, declared by partnerships/filters.py)."""

import pytest
from django import forms

from partnerships.filters import AgreementFilterSet
from partnerships.forms import PlainSelect
from tests.factories import FocusAreaFactory

SELECTS = ["kind", "status", "focus", "year", "expiring", "sort"]


def django_select_html(field: forms.BoundField) -> str:
    """The field rendered by Django's own template-based ``Select``."""
    widget = forms.Select(attrs=field.field.widget.attrs, choices=field.field.widget.choices)
    return str(field.as_widget(widget=widget))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"kind": "cooperation", "status": "in_force", "year": "2015", "sort": "oldest"},
        {"kind": "no-such-kind", "focus": '<b>&"', "expiring": "90", "year": "x"},
    ],
    ids=["unbound", "chosen", "invalid"],
)
def test_plain_select_writes_what_djangos_select_writes(data: dict | None) -> None:
    FocusAreaFactory(slug="bio", name='Life "sciences" & <health>')
    form = AgreementFilterSet(data).form
    form.fields["year"].widget.choices = [("", "Any year"), ("2015", "2015"), ("2016", "2016")]
    form.is_valid()
    for name in SELECTS:
        field = form[name]
        assert isinstance(field.field.widget, PlainSelect)
        assert str(field) == django_select_html(field), name


def test_plain_select_writes_optgroups_like_djangos_select() -> None:
    choices = [("", "Any"), ("Europe & more", [("de", "Germany"), ("fr", "France")])]
    attrs = {"id": "id_place", "required": True, "disabled": False, "data-x": 'a"b'}
    plain = PlainSelect(attrs=attrs, choices=choices).render("place", "fr")
    django = forms.Select(attrs=attrs, choices=choices).render("place", "fr")
    assert plain == django
    assert "<optgroup" in plain
