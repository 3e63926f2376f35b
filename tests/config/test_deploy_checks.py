"""Our own deployment check: LAN mode (no proxy in front) must not trust X-Forwarded-For."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from apps.ops.checks import LAN_MODE_BEHIND_PROXY, lan_mode_trusts_no_proxy


def test_lan_mode_with_a_trusted_proxy_is_an_error(settings):
    settings.INSECURE_LAN_MODE, settings.TRUSTED_PROXY_COUNT = True, 1
    [error] = lan_mode_trusts_no_proxy(None)
    assert error.id == LAN_MODE_BEHIND_PROXY and "TRUSTED_PROXY_COUNT=0" in error.hint


@pytest.mark.parametrize(("lan", "proxies"), [(True, 0), (False, 1), (False, 0)])
def test_other_combinations_pass(settings, lan, proxies):
    settings.INSECURE_LAN_MODE, settings.TRUSTED_PROXY_COUNT = lan, proxies
    assert lan_mode_trusts_no_proxy(None) == []


def test_check_deploy_refuses_the_combination(settings):
    settings.INSECURE_LAN_MODE, settings.TRUSTED_PROXY_COUNT = True, 2
    with pytest.raises(SystemCheckError, match="ops.E001"):
        call_command("check", "--deploy", "--tag", "security")


def values(path):
    pairs = (line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs if not key.lstrip().startswith("#")}


def test_the_example_environment_does_not_ship_lan_mode_with_a_trusted_proxy():
    env = values(Path(settings.BASE_DIR, ".env.example"))
    assert not (env["INSECURE_LAN_MODE"] in ("1", "true", "yes", "on") and int(env["TRUSTED_PROXY_COUNT"]) > 0)


def test_the_documented_lan_mode_settings_pass_the_check():
    deploy = Path(settings.BASE_DIR, "docs", "deploy.md").read_text(encoding="utf-8")
    lan = deploy[deploy.index("## LAN mode") :]
    assert "INSECURE_LAN_MODE=1" in lan and "TRUSTED_PROXY_COUNT=0" in lan


def test_the_proxy_snippets_set_the_app_s_body_limit():
    deploy = Path(settings.BASE_DIR, "docs", "deploy.md").read_text(encoding="utf-8")
    megabytes = settings.REQUEST_BODY_MAX_BYTES // 1_000_000
    assert f"client_max_body_size {megabytes}m;" in deploy
    assert f"max_size {megabytes}MB" in deploy


def test_clearsessions_is_among_the_documented_cron_jobs():
    deploy = Path(settings.BASE_DIR, "docs", "deploy.md").read_text(encoding="utf-8")
    readme = Path(settings.BASE_DIR, "README.md").read_text(encoding="utf-8")
    assert "manage.py clearsessions" in deploy and "clearsessions" in readme
