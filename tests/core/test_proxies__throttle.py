"""Issue 16 finding 2: X-Forwarded-For counts only from configured proxies, and the log-in lock cannot be
used to lock someone else out."""
import pytest
from django.conf import settings as django_settings
from django.core.checks import run_checks
from django.test import Client, RequestFactory, override_settings

from audit.models import AuditRecord
from core.context import client_ip
from tests.factories import PASSWORD, draft

pytestmark = pytest.mark.django_db
PROXY = {**django_settings.SHENFA, "TRUSTED_PROXIES": ["10.0.0.0/24", "192.0.2.7"]}


def request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def log_in(remote, password, forwarded=None, username="drafter"):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    client = Client(REMOTE_ADDR=remote, **extra)
    resp = client.post("/login/", {"username": username, "password": password})
    return resp.status_code == 302


def test_forwarded_header_from_anyone_is_ignored():
    assert client_ip(request("203.0.113.9", "6.6.6.6")) == "203.0.113.9"
    assert client_ip(request("203.0.113.9")) == "203.0.113.9"
    assert client_ip(request("")) is None
    assert client_ip(request("not an address", "6.6.6.6")) is None


@override_settings(SHENFA=PROXY)
@pytest.mark.parametrize("forwarded,expected", [
    ("198.51.100.4", "198.51.100.4"),
    ("6.6.6.6, 198.51.100.4", "198.51.100.4"),          # the client forged the left part
    ("6.6.6.6, 198.51.100.4, 10.0.0.3", "198.51.100.4"),  # two proxies of ours
    ("2001:db8::1", "2001:db8::1"),
    ("garbage", "10.0.0.1"),                             # nothing usable: the proxy itself
    ("", "10.0.0.1"),
    ("198.51.100.4:4431", "198.51.100.4"),
])
def test_forwarded_header_from_a_trusted_proxy_is_read_from_the_right(forwarded, expected):
    assert client_ip(request("10.0.0.1", forwarded)) == expected


def test_forged_forwarded_address_is_not_recorded_in_the_audit_trail(world):
    client = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="6.6.6.6")
    client.force_login(world.drafter)
    resp = client.post("/items/new/", {"title": "关于公布2024年度名单的通知", "info_type": "general",
                                       "created_date": "2024-05-01", "body": "<p>正文</p>", "carrier": "official",
                                       "channel": "website", "disclosure_mode": "proactive", "scope": "public"})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    ips = set(AuditRecord.objects.filter(action="workflow.item.create").values_list("ip", flat=True))
    assert ips == {"203.0.113.9"}


@override_settings(SHENFA=PROXY)
def test_address_forwarded_by_a_trusted_proxy_is_recorded(world):
    client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    client.force_login(world.drafter)
    item = draft(world)
    resp = client.post(f"/items/{item.pk}/submit/")
    assert resp.status_code in (200, 302)
    assert AuditRecord.objects.filter(action="workflow.item.submit").values_list("ip", flat=True).get() == \
        "198.51.100.4"


def test_rotating_the_forwarded_header_does_not_defeat_the_limit(world):
    for i in range(8):
        assert not log_in("203.0.113.9", "wrong", forwarded=f"6.6.6.{i}")
    assert not log_in("203.0.113.9", PASSWORD, forwarded="6.6.6.99")


def test_failing_on_purpose_does_not_lock_the_owner_out(world):
    # the owner logged in from their office before
    assert log_in("198.51.100.20", PASSWORD)
    # an attacker fails many times, from one and from many addresses
    for i in range(40):
        log_in(f"203.0.113.{i % 8}", "wrong")
    assert log_in("198.51.100.20", PASSWORD), "the attacker locked the owner out of their usual address"


def test_failing_on_purpose_does_not_lock_out_the_owner_at_a_new_address_for_long(world, settings):
    for i in range(40):
        log_in(f"203.0.113.{i % 8}", "wrong")
    # the global back-off slows unknown addresses, one attempt per LOGIN_BACKOFF_SECONDS after the last failure
    assert not log_in("198.51.100.30", PASSWORD)
    settings.SHENFA = {**settings.SHENFA, "LOGIN_BACKOFF_SECONDS": 0}
    assert log_in("198.51.100.30", PASSWORD)


def test_a_guesser_with_many_addresses_is_slowed_globally(world):
    for i in range(20):
        assert not log_in(f"203.0.113.{i}", "wrong")
    # beyond LOGIN_GLOBAL_FAILURES even the right password from a new address waits for the back-off
    assert not log_in("203.0.113.200", PASSWORD)


def test_one_address_is_locked_after_the_limit(world):
    for _ in range(5):
        assert not log_in("203.0.113.9", "wrong")
    assert not log_in("203.0.113.9", PASSWORD)
    assert log_in("198.51.100.20", PASSWORD)


@override_settings(SHENFA={**django_settings.SHENFA, "TRUSTED_PROXIES": ["10.0.0.0/33", "proxy"]})
def test_bad_proxy_setting_is_a_system_error():
    ids = {e.id for e in run_checks()}
    assert "core.E002" in ids


@override_settings(SHENFA={**django_settings.SHENFA, "TRUSTED_PROXIES": "10.0.0.1"})
def test_proxy_setting_must_be_a_list():
    assert "core.E001" in {e.id for e in run_checks()}
