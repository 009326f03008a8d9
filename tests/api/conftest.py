import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from api.tokens import issue_token
from audit.models import AuditRecord
from tests.factories import build_world

PREFIX = "/api/v1"


def token_for(user):
    """The user's API token for this test, issued (and audited) once."""
    token = getattr(user, "_test_api_token", None)
    if token is None:
        token = issue_token(user=user, actor=user, via="api")
        user._test_api_token = token
    return token


@pytest.fixture
def world(db):
    """The test world, with an API token already issued to every person: a test's audit trail starts after."""
    w = build_world()
    for user in w.people.values():
        token_for(user)
    return w


class Api:
    """A token-authenticated client of the JSON API (or an anonymous one for user=None)."""

    def __init__(self, user=None, **client_kwargs):
        headers = {"Authorization": f"Token {token_for(user)}"} if user is not None else {}
        self.user = user
        self.client = Client(headers=headers, **client_kwargs)

    def _url(self, path):
        return path if path.startswith(PREFIX) else PREFIX + path

    def get(self, path, params=None):
        return self.client.get(self._url(path), params or {})

    def _send(self, method, path, data, raw, content_type):
        body = raw if raw is not None else ("" if data is None else json.dumps(data, ensure_ascii=False))
        return getattr(self.client, method)(self._url(path), body, content_type=content_type)

    def post(self, path, data=None, *, raw=None, content_type="application/json"):
        return self._send("post", path, data, raw, content_type)

    def patch(self, path, data=None, *, raw=None, content_type="application/json"):
        return self._send("patch", path, data, raw, content_type)

    def delete(self, path, data=None):
        return self._send("delete", path, data, None, "application/json")

    def upload(self, path, files, **fields):
        """multipart/form-data with one or more (name, bytes) files under the field "file"."""
        payload = dict(fields)
        payload["file"] = [SimpleUploadedFile(name, data) for name, data in files]
        return self.client.post(self._url(path), payload)


@pytest.fixture
def api():
    return Api


def actions_since(seq):
    """Audit action names written after sequence number `seq`, in order."""
    return list(AuditRecord.objects.filter(seq__gt=seq).order_by("seq").values_list("action", flat=True))


def last_seq():
    return AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def assert_error(response, status, code=None, field=None):
    assert response.status_code == status, (response.status_code, response.content.decode()[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"code", "message", "message_en"}
    assert body["message"] and any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body
    if code is not None:
        assert body["code"] == code, body
    if field is not None:
        assert body.get("field") == field, body
    return body
