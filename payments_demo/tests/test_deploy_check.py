"""`check --deploy` warns while the demo provider is allowed (production opts in with
PAYMENT_DEMO_ALLOWED=1 only for a local trial such as `make production`)."""

from django.core.checks import run_checks


def deploy_warnings() -> list[str]:
    return [message.id for message in run_checks(include_deployment_checks=True)]


def test_check_deploy_warns_while_the_demo_provider_is_allowed(settings):
    settings.PAYMENT_DEMO_ALLOWED = True
    assert "payments_demo.W001" in deploy_warnings()


def test_no_warning_when_the_demo_provider_is_refused(settings):
    settings.PAYMENT_DEMO_ALLOWED = False
    assert "payments_demo.W001" not in deploy_warnings()
