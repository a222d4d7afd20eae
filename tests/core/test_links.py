"""The URL helper (core/links.py) answers what ``reverse`` and ``get_absolute_url`` answer."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from core.links import Links, affixes


@pytest.mark.parametrize("language", ["en", "de", "ja"])
def test_page_is_the_rows_absolute_url_in_the_active_language(rf, agreement_factory, language):
    agreements = [agreement_factory(slug=f"cooperation-{n}") for n in range(3)]
    request = rf.get("/")
    links = Links(request)
    with translation.override(language):
        for agreement in agreements:
            expected = request.build_absolute_uri(agreement.get_absolute_url())
            assert links.page(agreement) == expected


def test_page_follows_the_language_after_the_first_row(organization_factory):
    organization = organization_factory(slug="bioregio")
    links = Links()
    with translation.override("en"):
        assert links.page(organization) == organization.get_absolute_url()
    with translation.override("ja"):
        assert links.page(organization) == organization.get_absolute_url()
        assert links.page(organization).startswith("/ja/")


def test_a_slug_the_url_pattern_refuses_is_never_spliced_in(organization_factory):
    plain, other = organization_factory(slug="plain"), organization_factory(slug="other")
    other.slug = "münchen"  # not saved: no SlugField takes it
    links = Links()
    assert links.page(plain) == plain.get_absolute_url()
    with pytest.raises(NoReverseMatch):  # as get_absolute_url: no URL made up
        links.page(other)


@pytest.mark.parametrize("language", ["en", "de"])
def test_path_is_reverse_in_the_given_language(language):
    links = Links()
    for slug in ("bavaria", "kansai", "osaka-prefecture"):
        with translation.override(language):
            expected = reverse("partnerships:region_detail", kwargs={"slug": slug})
        assert links.path("partnerships:region_detail", slug, language) == expected


def test_affixes_surround_the_key_of_a_slug_and_of_an_id():
    before, after = affixes("partnerships:agreement_detail")
    assert f"{before}x{after}" == reverse("partnerships:agreement_detail", kwargs={"slug": "x"})
    before, after = affixes("partnerships:document_file", "pk")
    assert f"{before}7{after}" == reverse("partnerships:document_file", kwargs={"pk": 7})
