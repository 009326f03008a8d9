"""Failure answers: every error is JSON in the one format, 500s included (no traceback); uploads are limited
while they stream; references answer alike for a foreign object and a missing one (no oracle)."""
import io

import pytest
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from api import uploads
from core.errors import InvalidInput
from tests.factories import draft, last_seq, reload
from workflow import actions
from workflow.models import InfoType, Revision

from .conftest import Api, actions_since, assert_error, token_for


def test_an_unexpected_exception_is_a_json_500_without_traceback(world, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database on fire at /srv/shenfa/secret.py line 42")

    monkeypatch.setattr(actions, "submit_item", broken)
    item = draft(world)
    response = Api(world.drafter).post(f"/items/{item.pk}/submit")
    body = assert_error(response, 500, "server_error")
    assert "Traceback" not in response.content.decode() and "secret.py" not in response.content.decode()
    assert body["message_en"] == "Internal server error"


def test_wrong_method_and_unknown_paths_are_json(world):
    api = Api(world.drafter)
    body = assert_error(api.client.put("/api/v1/tasks/queue"), 405, "method_not_allowed")
    assert "PUT" in body["message"]
    assert_error(api.get("/items/1/nothing"), 404, "not_found")
    assert_error(Client().get("/api/v1/"), 404, "not_found")


@pytest.mark.parametrize("params,field", [
    ({"created_from": "2024-02-30"}, "created_from"), ({"created_from": "1948-12-31"}, "created_from"),
    ({"published_to": "2101-01-01"}, "published_to"), ({"since": "昨天"}, "since"),
    ({"since": "2101-06-01T00:00:00"}, "since"), ({"ordering": "password"}, "ordering"),
    ({"q": "x" * 101}, "q"), ({"info_type": "memo"}, "info_type"), ({"agency": "0"}, "agency"),
])
def test_list_filters_are_bounded(world, params, field):
    assert_error(Api(world.first).get("/items", params), 400, "invalid_input", field=field)


def test_list_for_sync_since_and_ordering(world):
    old = draft(world, title="第一份")
    api = Api(world.first)
    stamp = api.get(f"/items/{old.pk}").json()["updated_at"]
    new = draft(world, title="第二份")
    assert [r["id"] for r in api.get("/items", {"since": stamp}).json()["results"]] == [new.pk]
    assert [r["id"] for r in api.get("/items", {"ordering": "title"}).json()["results"]] == [old.pk, new.pk]
    assert [r["id"] for r in api.get("/items", {"q": "第二"}).json()["results"]] == [new.pk]


def test_interprets_answers_alike_for_a_foreign_and_a_missing_policy(world):
    foreign = actions.create_item(actor=world.other_first, agency=world.other, data={
        "title": "淮北市政策文件", "info_type": InfoType.POLICY_DOCUMENT})
    api = Api(world.drafter)
    payload = {"agency": world.dept.pk, "title": "政策解读", "info_type": "interpretation"}
    a = assert_error(api.post("/items", {**payload, "interprets": foreign.pk}), 400, "invalid_input",
                     field="interprets")
    b = assert_error(api.post("/items", {**payload, "interprets": 2**31 - 1}), 400, "invalid_input",
                     field="interprets")
    assert (a["message"], a["message_en"]) == (b["message"], b["message_en"]) == ("解读的政策文件：所选项不存在",
                                                                               "No such interprets")
    own = draft(world, info_type=InfoType.POLICY_DOCUMENT)
    assert api.post("/items", {**payload, "interprets": own.pk}).status_code == 201


def test_reassign_to_someone_one_may_not_see_answers_like_a_missing_person(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    office = Api(world.office)
    a = assert_error(office.post(f"/tasks/{task.pk}/reassign", {"to_user": world.other_first.pk}), 400,
                     field="to_user")
    b = assert_error(office.post(f"/tasks/{task.pk}/reassign", {"to_user": 999999}), 400, field="to_user")
    assert a["message"] == b["message"]
    body = assert_error(office.post(f"/tasks/{task.pk}/reassign", {"to_user": world.first.pk}), 403,
                        "permission_denied")
    assert "初审" in body["message"] or "校对" in body["message"]


# --- uploads: size checked while streaming ---------------------------------------------------------------

def test_size_limit_handler_stops_at_the_first_chunk_past_the_limit(settings):
    settings.SHENFA = {**settings.SHENFA, "ATTACHMENT_MAX_BYTES": 1000}
    handler = uploads.SizeLimitHandler()
    handler.new_file("file", "大.txt", "text/plain", None)
    chunks = [b"x" * 400] * 10
    passed = []
    with pytest.raises(InvalidInput) as exc:
        for i, chunk in enumerate(chunks):
            passed.append(handler.receive_data_chunk(chunk, i * 400))
    assert len(passed) == 2 and exc.value.field == "attachments"  # the third chunk (1200 bytes) is refused


def test_a_request_announcing_more_than_an_upload_may_hold_is_refused_before_reading(world, settings):
    settings.SHENFA = {**settings.SHENFA, "ATTACHMENT_MAX_BYTES": 1024}
    item = draft(world)

    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("the body must not be read")

        readline = read

    body = encode_multipart(BOUNDARY, {"file": io.BytesIO(b"x")})
    client = Client(headers={"Authorization": f"Token {token_for(world.drafter)}"})
    response = client.generic("POST", f"/api/v1/items/{item.pk}/attachments", body, content_type=MULTIPART_CONTENT,
                              CONTENT_LENGTH=str(10**9), **{"wsgi.input": Unreadable()})
    assert_error(response, 400, "invalid_input", field="attachments")
    assert reload(item).current_revision.number == 1


def test_oversize_upload_among_several_stores_nothing(world, settings):
    settings.SHENFA = {**settings.SHENFA, "ATTACHMENT_MAX_BYTES": 2048}
    item = draft(world)
    before = last_seq()
    response = Api(world.drafter).upload(f"/items/{item.pk}/attachments", [("小.txt", b"ok"), ("大.txt", b"x" * 70000)])
    body = assert_error(response, 400, "invalid_input", field="attachments")
    assert "大.txt" in body["message"]
    assert actions_since(before) == [] and Revision.objects.filter(item=item).count() == 1


def test_foreign_upload_is_a_404_before_the_body_is_read(world):
    item = draft(world)

    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("the body must not be read")

        readline = read

    body = encode_multipart(BOUNDARY, {"file": io.BytesIO(b"x")})
    client = Client(headers={"Authorization": f"Token {token_for(world.other_first)}"})
    response = client.generic("POST", f"/api/v1/items/{item.pk}/attachments", body, content_type=MULTIPART_CONTENT,
                              **{"wsgi.input": Unreadable()})
    assert_error(response, 404, "not_found")
