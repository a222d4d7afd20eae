"""Response headers on every page: Content-Security-Policy, Permissions-Policy, Referrer-Policy;
and the templates that keep the policy possible (no inline script, handler or style)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import clear_url_caches, reverse

from portal.middleware import permissions_policy

pytestmark = pytest.mark.django_db

CSP_WITHOUT_NONCE = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def test_a_public_page_has_the_content_security_policy(client):
    response = client.get("/en/")

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CSP_WITHOUT_NONCE


def test_the_policy_never_allows_inline_code_or_other_hosts():
    policy = settings.SECURE_CSP

    assert "'unsafe-inline'" not in str(policy) and "'unsafe-eval'" not in str(policy)
    assert all(not re.search(r"https?:|\*", " ".join(v)) for v in policy.values())


def test_an_admin_page_allows_exactly_its_own_nonced_tags(admin_client):
    response = admin_client.get(reverse("admin:partnerships_agreement_add"))
    header = response["Content-Security-Policy"]

    nonce = re.search(r"script-src 'self' 'nonce-([\w-]+)'", header).group(1)
    assert f"style-src 'self' 'nonce-{nonce}';" in header
    assert f'nonce="{nonce}"' in response.content.decode()


def test_the_admin_login_page_has_the_policy(client):
    response = client.get(reverse("admin:login"))

    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_error_pages_have_the_policy_too(client):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Security-Policy"] == CSP_WITHOUT_NONCE


@pytest.mark.parametrize("url", ["/en/", "/robots.txt", "/sitemap.xml", "/admin/login/"])
def test_every_response_switches_off_the_powerful_browser_features(client, url):
    header = client.get(url)["Permissions-Policy"]

    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in header


def test_every_response_keeps_the_referrer_to_the_portal(client):
    assert client.get("/en/")["Referrer-Policy"] == "same-origin"


def test_permissions_policy_is_written_as_the_header_wants_it():
    assert permissions_policy({"camera": [], "fullscreen": ["self"]}) == (
        "camera=(), fullscreen=(self)"
    )


# --- The templates: nothing inline that the policy would have to allow -----------------------

ROOT = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
TEMPLATES = sorted(p for d in TEMPLATE_DIRS for p in d.rglob("*.html") if ".venv" not in p.parts)
TAG = re.compile(r"<([a-zA-Z][\w-]*)\b([^>]*)>")
HANDLER_OR_STYLE = re.compile(r"""(?:^|\s)(on[a-z]+|style)\s*=""", re.IGNORECASE)


def inline_code(text: str) -> list[str]:
    """What a strict CSP would block: inline scripts (JSON-LD is data), handlers, styles."""
    found = []
    for match in TAG.finditer(text):
        name, attributes = match.group(1).lower(), match.group(2)
        is_data = re.search(r"""type\s*=\s*["']application/(ld\+)?json["']""", attributes)
        if name == "script" and not re.search(r"\ssrc\s*=", attributes) and not is_data:
            found.append(match.group(0))
        if name == "style":
            found.append(match.group(0))
        if attribute := HANDLER_OR_STYLE.search(attributes):
            found.append(f"{match.group(0)} ({attribute.group(1)}=)")
        if re.search(r"""=\s*["']?\s*javascript:""", attributes, re.IGNORECASE):
            found.append(match.group(0))
    return found


def test_the_template_walk_finds_the_templates():
    assert len(TEMPLATES) > 15
    assert ROOT / "templates" / "base.html" in TEMPLATES


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="module">import x from "/x.js"</script>',
        '<button onclick="go()">',
        '<img src="x.png" onerror="go()">',
        '<div class="a" style="color: red">',
        "<style>p { color: red }</style>",
        '<a href="javascript:go()">',
    ],
)
def test_the_template_check_catches_inline_code(snippet):
    assert inline_code(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "<script src=\"{% static 'js/portal.js' %}\" defer></script>",
        '<script type="application/ld+json">{{ jsonld }}</script>',
        '<p class="muted">on behalf of {{ organization }}</p>',
        '<input name="q" data-style="x">',
    ],
)
def test_the_template_check_lets_external_scripts_and_data_through(snippet):
    assert not inline_code(snippet)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_of_ours_has_inline_script_handler_or_style(template):
    assert inline_code(template.read_text(encoding="utf-8")) == []


# --- The admin's address -----------------------------------------------------------------------


def test_the_admin_address_comes_from_the_environment():
    code = "from portal.settings import base; print(base.ADMIN_URL)"
    environment = {**os.environ, "DJANGO_ADMIN_URL": "/office-7f3a/"}
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed snippet
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "office-7f3a/"


@override_settings(ADMIN_URL="office-7f3a/")
def test_the_admin_is_served_at_the_configured_address(client):
    import importlib

    import portal.urls

    try:
        importlib.reload(portal.urls)
        clear_url_caches()
        assert reverse("admin:index") == "/office-7f3a/"
        assert client.get("/office-7f3a/login/").status_code == 200
        assert client.get("/admin/login/").status_code == 404
    finally:
        with override_settings(ADMIN_URL="admin/"):
            importlib.reload(portal.urls)
        clear_url_caches()
