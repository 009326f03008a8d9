"""Tokens: issue, use, list, revoke one (and on log-out, password change, deactivation), expire; session use
needs CSRF; 401/405/404."""
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from api.models import ApiToken
from api.tokens import issue_token, user_for_token
from audit.models import AuditRecord
from tests.factories import draft, last_seq

from .conftest import Api, actions_since, assert_error, token_for


def make_token(user, **kwargs):
    return issue_token(user=user, actor=user, **kwargs)


def test_token_for_username_and_password_is_audited(world):
    before = last_seq()
    response = Api().post("/auth/token", {"username": "drafter", "password": "pass12345!"})
    assert response.status_code == 200
    body = response.json()
    assert body["user"] == {"id": world.drafter.pk, "username": "drafter", "name": "张起草"}
    assert user_for_token(body["token"]) == world.drafter
    assert actions_since(before) == ["workflow.api_token.issue"]
    rec = AuditRecord.objects.get(seq=before + 1)
    assert (rec.actor, rec.subject_type, rec.subject_id, rec.data["via"]) == (
        world.drafter, "auth.user", str(world.drafter.pk), "api")
    # the token works
    me = Client(headers={"Authorization": f"Token {body['token']}"}).get("/api/v1/me")
    assert me.status_code == 200
    assert {(m["agency"]["id"], m["role"]) for m in me.json()["memberships"]} == {(world.dept.pk, "drafter")}


@pytest.mark.parametrize("payload", [
    {"username": "drafter", "password": "wrong"},
    {"username": "nobody", "password": "pass12345!"},
])
def test_wrong_credentials_are_401_and_not_audited(world, payload):
    before = last_seq()
    assert_error(Api().post("/auth/token", payload), 401, "invalid_credentials")
    assert actions_since(before) == []


def test_inactive_user_gets_no_token(world):
    world.drafter.is_active = False
    world.drafter.save()
    assert_error(Api().post("/auth/token", {"username": "drafter", "password": "pass12345!"}), 401)


@pytest.mark.parametrize("payload,field", [
    ({"username": "drafter"}, "password"),
    ({"username": 5, "password": "x"}, "username"),
    ({"username": "d" * 151, "password": "x"}, "username"),
    ({"username": "drafter", "password": "x", "otp": "1"}, "otp"),
    ({"username": "dra\x00fter", "password": "x"}, "username"),
])
def test_token_request_shape_errors_are_400_with_field(world, payload, field):
    assert_error(Api().post("/auth/token", payload), 400, "invalid_input", field=field)


def test_malformed_json_is_400(world):
    assert_error(Api().post("/auth/token", raw="{not json"), 400, "malformed_json")
    assert_error(Api().post("/auth/token", raw="[1, 2]"), 400, "invalid_input")
    assert_error(Api().post("/auth/token", raw=b"\xff\xfe"), 400, "malformed_json")
    assert_error(Api().post("/auth/token", raw="[" * 100000), 400, "malformed_json")


def test_wrong_content_type_is_415(world):
    response = Api().post("/auth/token", raw="username=drafter", content_type="application/x-www-form-urlencoded")
    assert_error(response, 415, "unsupported_media_type")


def test_password_change_revokes_tokens(world):
    token = make_token(world.drafter)
    assert user_for_token(token) == world.drafter
    world.drafter.set_password("another-pass-123")
    world.drafter.save()
    response = Client(headers={"Authorization": f"Token {token}"}).get("/api/v1/items")
    assert_error(response, 401, "invalid_token")
    assert response["WWW-Authenticate"] == "Token"


def test_deactivation_revokes_tokens(world):
    token = make_token(world.first)
    world.first.is_active = False
    world.first.save()
    assert user_for_token(token) is None


def test_tokens_expire_after_seven_days_by_default(world):
    with freeze_time(timezone.now()):
        token = make_token(world.drafter)
    with freeze_time(timezone.now() + timedelta(days=6, hours=23)):
        assert user_for_token(token) == world.drafter
    with freeze_time(timezone.now() + timedelta(days=7, minutes=1)):
        assert user_for_token(token) is None


def test_token_lifetime_is_the_setting_at_issue_and_a_lower_setting_shortens_it(world, settings):
    settings.SHENFA = {**settings.SHENFA, "API_TOKEN_MAX_AGE_DAYS": 90}
    with freeze_time(timezone.now()):
        token = make_token(world.drafter)
    with freeze_time(timezone.now() + timedelta(days=89)):
        assert user_for_token(token) == world.drafter
    with freeze_time(timezone.now() + timedelta(days=91)):
        assert user_for_token(token) is None
        # a longer setting later does not revive it
        settings.SHENFA = {**settings.SHENFA, "API_TOKEN_MAX_AGE_DAYS": 365}
        assert user_for_token(token) is None
    settings.SHENFA = {**settings.SHENFA, "API_TOKEN_MAX_AGE_DAYS": 0}  # 0 = no limit
    with freeze_time(timezone.now()):
        forever = make_token(world.drafter)
    assert ApiToken.objects.order_by("-pk").first().expires_at is None
    with freeze_time(timezone.now() + timedelta(days=3650)):
        assert user_for_token(forever) == world.drafter
        settings.SHENFA = {**settings.SHENFA, "API_TOKEN_MAX_AGE_DAYS": 30}  # lowering the setting ends old tokens
        assert user_for_token(forever) is None


@pytest.mark.parametrize("header", [
    "Token not-a-token", "Bearer {token}", "Token {token}x", "Token", "Token " + "a" * 600,
])
def test_bad_authorization_header_is_401_without_session_fallback(world, header):
    token = token_for(world.drafter)
    client = Client(headers={"Authorization": header.format(token=token)})
    client.force_login(world.drafter)  # a session does not rescue a bad token
    assert_error(client.get("/api/v1/items"), 401, "invalid_token")


def test_forged_signature_for_another_user_is_rejected(world):
    token = make_token(world.drafter)
    payload, _, sig = token.partition(":")
    other = make_token(world.publisher)
    assert user_for_token(other.partition(":")[0] + ":" + token.split(":", 1)[1]) is None
    assert user_for_token(payload + ":" + sig[::-1]) is None


def test_session_writes_need_csrf_but_token_writes_do_not(world):
    item = draft(world)
    session = Client(enforce_csrf_checks=True)
    session.force_login(world.drafter)
    # reads work with the session
    assert session.get(f"/api/v1/items/{item.pk}").status_code == 200
    # a write without the CSRF token is refused and changes nothing
    before = last_seq()
    response = session.patch(f"/api/v1/items/{item.pk}", '{"summary": "x"}', content_type="application/json")
    assert_error(response, 403, "csrf_failed")
    assert actions_since(before) == []
    # with the cookie + header it passes
    secret = "Shenfa0csrf0secret0for0api0test0"[:32]
    session.cookies["csrftoken"] = secret
    response = session.patch(f"/api/v1/items/{item.pk}", '{"summary": "补充"}', content_type="application/json",
                             headers={"X-CSRFToken": secret})
    assert response.status_code == 200, response.content
    # token-authenticated writes need no CSRF token even with enforcement on
    tokened = Client(enforce_csrf_checks=True, headers={"Authorization": f"Token {token_for(world.drafter)}"})
    response = tokened.patch(f"/api/v1/items/{item.pk}", '{"summary": "再补充"}', content_type="application/json")
    assert response.status_code == 200, response.content
    assert actions_since(before) == ["workflow.item.edit", "workflow.item.edit"]


def test_unknown_path_and_wrong_method_are_json(world):
    api = Api(world.drafter)
    assert_error(api.get("/nothing/here"), 404, "not_found")
    # too large for an id: a 400 naming the parameter, never an overflow in the database
    assert_error(api.get("/items/99999999999999999999"), 400, "invalid_input", field="item_id")
    assert_error(api.get("/items/0"), 400, "invalid_input", field="item_id")
    assert_error(api.get("/items/abc"), 404, "not_found")
    response = api.client.put("/api/v1/items", "{}", content_type="application/json")
    body = assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET, POST"
    assert "PUT" in body["message"]
    assert_error(api.delete("/tasks/mine"), 405, "method_not_allowed")


def test_management_command_prints_a_working_token(world, capsys):
    before = last_seq()
    call_command("api_token", "publisher")
    token = capsys.readouterr().out.strip()
    assert user_for_token(token) == world.publisher
    assert actions_since(before) == ["workflow.api_token.issue"]
    rec = AuditRecord.objects.get(seq=before + 1)
    assert rec.actor is None and rec.data["via"] == "command"


def test_management_command_refuses_unknown_and_inactive_users(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不存在"):
        call_command("api_token", "nobody")
    world.first.is_active = False
    world.first.save()
    with pytest.raises(CommandError, match="停用"):
        call_command("api_token", "first")


# --- one token at a time: list, revoke, log-out -----------------------------------------------------------

def test_list_and_revoke_one_token_with_an_audit_record(world):
    first, second = make_token(world.drafter), make_token(world.drafter)
    api = Api(world.drafter)
    listed = api.get("/tokens").json()
    ids = [t["id"] for t in listed]
    assert len(ids) == 3 and all(t["active"] for t in listed)
    assert [t["current"] for t in listed].count(True) == 1  # the one this request came with
    first_id = ApiToken.objects.filter(user=world.drafter).order_by("pk")[1].pk
    before = last_seq()
    response = api.delete(f"/tokens/{first_id}", {"reason": "设备丢失"})
    assert response.status_code == 200, response.content
    assert (response.json()["active"], response.json()["revoke_reason"]) == (False, "设备丢失")
    assert actions_since(before) == ["workflow.api_token.revoke"]
    rec = AuditRecord.objects.get(seq=before + 1)
    assert (rec.actor, rec.data["token"], rec.comment) == (world.drafter, first_id, "设备丢失")
    # that token is dead, the others live
    assert_error(Client(headers={"Authorization": f"Token {first}"}).get("/api/v1/me"), 401, "invalid_token")
    assert user_for_token(second) == world.drafter
    # revoking again changes nothing; someone else's token does not exist for me
    before = last_seq()
    assert api.delete(f"/tokens/{first_id}").status_code == 200
    assert actions_since(before) == []
    assert_error(Api(world.first).delete(f"/tokens/{first_id}"), 404, "not_found")
    assert_error(Api(world.first).delete("/tokens/999999"), 404, "not_found")


def test_a_token_issued_from_a_web_session_ends_with_the_log_out(world):
    browser = Client()
    assert browser.post("/login/", {"username": "drafter", "password": "pass12345!"}).status_code == 302
    before = last_seq()
    response = browser.post("/api/v1/tokens", "", content_type="application/json")
    assert response.status_code == 201, response.content
    token = response.json()["token"]
    assert ApiToken.objects.get(pk=response.json()["id"]).via == "session"
    assert actions_since(before) == ["workflow.api_token.issue"]
    by_password = make_token(world.drafter)
    assert user_for_token(token) == world.drafter
    before = last_seq()
    browser.post("/logout/")
    assert user_for_token(token) is None  # the session's token is revoked ...
    assert user_for_token(by_password) == world.drafter  # ... the others are not
    assert actions_since(before) == ["workflow.api_token.revoke"]
    assert AuditRecord.objects.get(seq=before + 1).comment == "退出登录"


def test_issued_token_answer_says_when_it_expires(world):
    body = Api().post("/auth/token", {"username": "first", "password": "pass12345!"}).json()
    row = ApiToken.objects.get(pk=body["id"])
    assert body["max_age_days"] == 7 and row.via == "api" and row.expires_at is not None
    assert (row.expires_at - row.created_at) == timedelta(days=7)
    assert len(row.key_hash) == 64 and row.key_hash not in body["token"]  # only a hash of the key is stored


def test_last_use_is_recorded(world):
    token = make_token(world.first)
    row = ApiToken.objects.order_by("-pk").first()
    assert row.last_used_at is None
    Client(headers={"Authorization": f"Token {token}"}).get("/api/v1/me")
    row.refresh_from_db()
    assert row.last_used_at is not None
