"""The agreement list's filter form (partnerships/forms.py, declared by partnerships/filters.py)."""

import pytest
from django import forms

from partnerships.filters import AgreementFilterSet

SELECTS = ["kind", "status", "focus", "year", "expiring", "sort"]


@pytest.mark.django_db
def test_the_filter_selects_are_djangos_select():
    # PlainSelect, their hand-written twin, is gone: docs/shims.md.
    form = AgreementFilterSet({"kind": "mou"}).form
    for name in SELECTS:
        assert type(form.fields[name].widget) is forms.Select, name
