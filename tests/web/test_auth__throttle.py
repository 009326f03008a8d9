"""Log-in attempts are throttled per user name and address, on the page and in the API."""
import json

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def test_page_locks_after_repeated_failures_even_for_the_right_password(client, world):
    for _ in range(5):
        resp = client.post("/login/", {"username": "drafter", "password": "wrong"})
        assert resp.status_code == 200
    resp = client.post("/login/", {"username": "drafter", "password": "pass12345!"})
    assert resp.status_code == 200 and "登录失败次数过多" in resp.content.decode()
    assert "_auth_user_id" not in client.session


def test_other_people_and_addresses_are_not_affected(client, world):
    for _ in range(5):
        client.post("/login/", {"username": "drafter", "password": "wrong"})
    resp = client.post("/login/", {"username": "first", "password": "pass12345!"})
    assert resp.status_code == 302
    other = client.__class__(REMOTE_ADDR="10.9.8.7")
    assert other.post("/login/", {"username": "drafter", "password": "pass12345!"}).status_code == 302


def test_success_resets_the_count(client, world):
    for _ in range(4):
        client.post("/login/", {"username": "drafter", "password": "wrong"})
    assert client.post("/login/", {"username": "drafter", "password": "pass12345!"}).status_code == 302
    client.logout()
    for _ in range(4):
        client.post("/login/", {"username": "drafter", "password": "wrong"})
    assert client.post("/login/", {"username": "drafter", "password": "pass12345!"}).status_code == 302


@override_settings(SHENFA={**django_settings.SHENFA, "LOGIN_MAX_FAILURES": 2})
def test_api_token_endpoint_answers_429(client, world):
    def ask(password):
        return client.post("/api/v1/auth/token", json.dumps({"username": "drafter", "password": password}),
                           content_type="application/json")

    assert ask("wrong").status_code == 401
    assert ask("wrong").status_code == 401
    resp = ask("pass12345!")
    assert resp.status_code == 429 and resp.json()["code"] == "throttled"
