"""The agreement list's filter form (partnerships/forms.py, declared by partnerships/filters.py)."""

import pytest
from django import forms

from core.languages import MarkedSelect
from partnerships.filters import AgreementFilterSet

SELECTS = ["kind", "status", "focus", "year", "expiring", "sort"]


@pytest.mark.django_db
def test_the_filter_selects_are_djangos_select():
    # PlainSelect, their hand-written twin, is gone: docs/shims.md. A select of translated names
    # marks the options that fall back to another language (core.languages.MarkedSelect, a
    # Django Select that only adds the options' lang attributes).
    form = AgreementFilterSet({"kind": "mou"}).form
    for name in SELECTS:
        assert type(form.fields[name].widget) in (forms.Select, MarkedSelect), name


@pytest.mark.django_db
def test_the_page_and_the_api_read_the_year_alike(agreement_factory):
    # One filter set: the API's year (portal/api/filters.py) is the page's signed_on__year.
    from portal.api.filters import ApiAgreementFilterSet

    agreement_factory(title="Signed in 2015", signed_on="2015-12-31")
    agreement_factory(title="Signed in 2016", signed_on="2016-01-01")
    page = AgreementFilterSet({"year": "2015"}).qs
    api = ApiAgreementFilterSet(
        {"year": "2015"}, queryset=page.model.objects.published().with_status()
    ).qs
    assert [a.title for a in page] == [a.title for a in api] == ["Signed in 2015"]
