"""`manage.py check --deploy` with the production settings is clean, and production refuses a missing key."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' session fixture; a deployment never has it.
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    full_env.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture(scope="module")
def production_env():
    return {"SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "gk.example.gov.cn",
            "DJANGO_SETTINGS_MODULE": "project.settings.production",
            # the audit key and the checkpoint file outside the database (audit.E001 / audit.W001 without them)
            "SHENFA_AUDIT_KEY": f"k1:{secrets.token_urlsafe(32)}",
            "SHENFA_AUDIT_CHECKPOINT_FILE": "/tmp/shenfa-deploy-check-checkpoints.jsonl"}


def test_check_deploy_is_clean(production_env):
    result = manage("check", "--deploy", "--fail-level", "WARNING", "--settings=project.settings.production",
                    **production_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_without_an_audit_key_fails_the_checks(production_env):
    env = {k: v for k, v in production_env.items() if k != "SHENFA_AUDIT_KEY"}
    result = manage("check", "--settings=project.settings.production", **env)
    assert result.returncode != 0 and "audit.E001" in result.stderr


def test_production_settings_are_secure(production_env):
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
            "s.SECURE_HSTS_SECONDS >= 31536000, s.X_FRAME_OPTIONS, s.ALLOWED_HOSTS)")
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")}
    env.update(production_env, DEBUG="1")  # DEBUG from the environment must not switch production to debug
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "True", "DENY", "['gk.example.gov.cn']"]


@pytest.mark.parametrize("key", ["", "dev-insecure-shenfa-key-change-me"])
def test_production_refuses_missing_or_development_secret_key(key):
    result = manage("check", "--settings=project.settings.production", SECRET_KEY=key,
                    ALLOWED_HOSTS="gk.example.gov.cn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_check_deploy_flags_insecure_settings(production_env):
    # The check is not vacuous: with the development settings it reports problems.
    result = manage("check", "--deploy", "--fail-level", "WARNING", "--settings=project.settings.dev",
                    SECRET_KEY="short", ALLOWED_HOSTS="gk.example.gov.cn")
    assert result.returncode != 0
    assert "security.W" in result.stdout + result.stderr


# --- issue 16 finding 8: weak keys, the proxy SSL header only when configured --------------------------------

@pytest.mark.parametrize("key", ["x", "x" * 80, "short-but-random-Zq8", "ab" * 40, "0123456789" * 6,
                                 "django-insecure-" + secrets.token_urlsafe(50)])
def test_production_refuses_a_weak_secret_key(key):
    result = manage("check", "--settings=project.settings.production", SECRET_KEY=key,
                    ALLOWED_HOSTS="gk.example.gov.cn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production to a strong random value" in result.stderr


def test_key_strength_rules():
    from django.core.management.utils import get_random_secret_key

    from project.settings.keys import secret_key_weakness

    assert secret_key_weakness(get_random_secret_key().replace("django-insecure-", "")) is None
    assert secret_key_weakness(secrets.token_urlsafe(64)) is None
    assert secret_key_weakness(secrets.token_hex(32)) is None
    assert "entropy" in secret_key_weakness("abc" * 30)
    assert "characters" in secret_key_weakness(secrets.token_urlsafe(20))


def _production_value(expr, **env):
    code = f"import django; django.setup(); from django.conf import settings as s; print(repr({expr}))"
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "SECURE_PROXY_SSL_HEADER", "TRUSTED_PROXIES")}
    full_env.update({"SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "gk.example.gov.cn",
                     "DJANGO_SETTINGS_MODULE": "project.settings.production"}, **env)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_proxy_ssl_header_is_set_only_when_configured():
    assert _production_value("s.SECURE_PROXY_SSL_HEADER") == "None"
    assert _production_value("s.SECURE_PROXY_SSL_HEADER", SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO=https") \
        == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_trusted_proxies_come_from_the_environment():
    assert _production_value("s.SHENFA.get('TRUSTED_PROXIES')") == "None"
    assert _production_value("s.SHENFA.get('TRUSTED_PROXIES')", TRUSTED_PROXIES="10.0.0.5, 172.16.0.0/12") == \
        "['10.0.0.5', '172.16.0.0/12']"
