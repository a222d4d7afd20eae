"""The portal's own deployment checks (portal/checks.py)."""

from django.core import checks

from portal.checks import check_privacy_operator


def test_a_deployment_without_a_privacy_operator_fails_the_deploy_check(settings):
    settings.PORTAL_OPERATOR_NAME = ""
    settings.PORTAL_OPERATOR_EMAIL = "privacy@example.org"
    [error] = check_privacy_operator()
    assert error.level == checks.ERROR
    assert error.id == "portal.E001"
    assert "PORTAL_OPERATOR_NAME" in error.msg
    assert "PORTAL_OPERATOR_EMAIL" not in error.msg


def test_the_deploy_check_names_both_missing_operator_settings(settings):
    settings.PORTAL_OPERATOR_NAME = ""
    settings.PORTAL_OPERATOR_EMAIL = "  "
    [error] = check_privacy_operator()
    assert "PORTAL_OPERATOR_NAME and PORTAL_OPERATOR_EMAIL are unset" in error.msg


def test_a_named_operator_passes_the_deploy_check(settings):
    settings.PORTAL_OPERATOR_NAME = "Example Cluster Association"
    settings.PORTAL_OPERATOR_EMAIL = "privacy@example.org"
    assert check_privacy_operator() == []


def test_the_operator_check_runs_only_with_deploy(settings):
    settings.PORTAL_OPERATOR_NAME = ""
    settings.PORTAL_OPERATOR_EMAIL = ""
    ordinary = checks.run_checks(tags=[checks.Tags.security])
    deploy = checks.run_checks(tags=[checks.Tags.security], include_deployment_checks=True)
    assert "portal.E001" not in {message.id for message in ordinary}
    assert "portal.E001" in {message.id for message in deploy}
