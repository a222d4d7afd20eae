"""The privacy notice: in every language, linked from every page, naming the configured operator."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

TITLES = {"en": "Privacy notice", "de": "Datenschutzhinweise", "ja": "個人情報の取り扱いについて"}


@pytest.mark.parametrize("language", TITLES)
def test_the_privacy_notice_is_there_in_every_language(client, language):
    with translation.override(language):
        url = reverse("privacy")

    response = client.get(url)

    assert url == f"/{language}/privacy/"
    assert response.status_code == 200
    assert f"<h1>{TITLES[language]}</h1>" in response.content.decode()


def test_every_page_links_to_the_privacy_notice_in_its_language(client):
    body = client.get("/de/agreements/").content.decode()

    assert 'href="/de/privacy/"' in body


def test_the_privacy_notice_names_the_configured_operator(client, settings):
    settings.PORTAL_OPERATOR_NAME = "Example Cluster Association"
    settings.PORTAL_OPERATOR_EMAIL = "privacy@example.org"

    body = client.get("/en/privacy/").content.decode()

    assert "operated by Example Cluster Association" in body
    assert '<a href="mailto:privacy@example.org">privacy@example.org</a>' in body
    assert "Placeholder" not in body


def test_without_an_operator_the_privacy_notice_shows_a_placeholder(client, settings):
    settings.PORTAL_OPERATOR_NAME = ""
    settings.PORTAL_OPERATOR_EMAIL = ""

    body = client.get("/en/privacy/").content.decode()

    assert "Placeholder:" in body
    assert "PORTAL_OPERATOR_NAME" in body
    assert "mailto:" not in body
