"""How the browser tests find Chromium, and what they do without one (no browser needed)."""

import pytest

from tests.browser import helpers


@pytest.fixture
def no_system_browser(monkeypatch):
    monkeypatch.delenv("PORTAL_CHROMIUM", raising=False)
    monkeypatch.setattr(helpers.shutil, "which", lambda name: None)


@pytest.fixture
def fake_chromium(tmp_path):
    path = tmp_path / "chromium"
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_explicit_chromium_comes_first(monkeypatch, fake_chromium):
    monkeypatch.setenv("PORTAL_CHROMIUM", str(fake_chromium))

    assert helpers.find_chromium("/usr/bin/true") == str(fake_chromium)


def test_playwrights_own_chromium_comes_before_a_system_one(
    monkeypatch, no_system_browser, fake_chromium
):
    monkeypatch.setattr(helpers.shutil, "which", lambda name: "/usr/bin/true")

    assert helpers.find_chromium(str(fake_chromium)) == str(fake_chromium)


def test_system_chromium_is_used_when_playwright_downloaded_none(
    monkeypatch, no_system_browser, fake_chromium, tmp_path
):
    monkeypatch.setattr(
        helpers.shutil, "which", lambda name: str(fake_chromium) if name == "chromium" else None
    )

    assert helpers.find_chromium(str(tmp_path / "not-downloaded" / "chrome")) == str(fake_chromium)


def test_no_chromium_anywhere_is_none(no_system_browser, tmp_path):
    assert helpers.find_chromium(str(tmp_path / "not-downloaded" / "chrome")) is None


def test_without_a_browser_tests_are_skipped_locally(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("PORTAL_REQUIRE_BROWSER", raising=False)

    with pytest.raises(pytest.skip.Exception, match="No Chromium"):
        helpers.no_browser("No Chromium found")


@pytest.mark.parametrize(("name", "value"), [("CI", "true"), ("PORTAL_REQUIRE_BROWSER", "1")])
def test_without_a_browser_tests_fail_where_one_is_required(monkeypatch, name, value):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("PORTAL_REQUIRE_BROWSER", raising=False)
    monkeypatch.setenv(name, value)

    with pytest.raises(pytest.fail.Exception, match="No Chromium"):
        helpers.no_browser("No Chromium found")
