"""The standing attack suite (issue 16): the hostile inputs of the security review and of the secrecy-gate
issue, sent to the WSGI application through Django's test client (SQLite and PostgreSQL: run it with
DATABASE_URL as well). Each asserts the status it must get and that nothing answers 5xx; a generous hang
guard turns an endless loop or a stuck lock into a failure (no timing is asserted)."""
import io
import json

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from api.tokens import issue_token
from audit.models import AuditRecord
from core import middleware
from core.models import Agency
from tests.factories import PASSWORD, approve_all, draft
from tests.hang_guard import hang_guard
from tests.privacy import hostile
from tests.web.workflow.test_views__drafting import form_payload
from workflow import actions
from workflow.models import Information, InfoType

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
GUARD = 120  # seconds per test: only a hang reaches it


def browser(user=None, **kwargs):
    client = Client(raise_request_exception=False, **kwargs)
    if user is not None:
        client.force_login(user)
    return client


def api(user=None, **kwargs):
    headers = {"Authorization": f"Token {issue_token(user=user, actor=user, via='api')}"} if user else {}
    return Client(raise_request_exception=False, headers=headers, **kwargs)


def no_5xx(resp, *allowed):
    assert resp.status_code < 500, (resp.status_code, resp.content[:500])
    if allowed:
        assert resp.status_code in allowed, (resp.status_code, resp.content[:500])
    return resp


def api_json(resp, *allowed):
    no_5xx(resp, *allowed)
    assert resp["Content-Type"].startswith("application/json"), resp["Content-Type"]
    body = resp.json()
    assert body["code"] and body["message"] and body["message_en"]
    return body


# --- finding 2: forwarded addresses and the log-in lock -------------------------------------------------------

@hang_guard(GUARD)
def test_forged_and_rotated_forwarded_addresses(world):
    for i in range(8):
        no_5xx(browser(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"6.6.6.{i}").post(
            "/login/", {"username": "drafter", "password": "wrong"}), 200)
    resp = no_5xx(browser(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="6.6.6.99").post(
        "/login/", {"username": "drafter", "password": PASSWORD}), 200)
    assert "登录失败次数过多" in resp.content.decode()
    # the owner, from their own address, is not locked out by it
    no_5xx(browser(REMOTE_ADDR="198.51.100.20").post("/login/", {"username": "drafter", "password": PASSWORD}), 302)
    client = browser(world.drafter, REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="6.6.6.6")
    no_5xx(client.post("/items/new/", form_payload()), 302)
    assert set(AuditRecord.objects.filter(action="workflow.item.create").values_list("ip", flat=True)) == \
        {"198.51.100.20"}


@hang_guard(GUARD)
def test_hostile_forwarded_headers(world):
    for header in ["", ",,,,", "x" * 10000, "1.2.3.4, " * 2000, "::ffff:1.2.3.4", "\x00", "[::1]:80", "999.1.1.1"]:
        no_5xx(browser(HTTP_X_FORWARDED_FOR=header).get("/gk/"), 200)
        no_5xx(browser(REMOTE_ADDR=header[:100] or "-").get("/gk/"), 200)


# --- finding 3: separation of duties through the web ----------------------------------------------------------

@hang_guard(GUARD)
def test_an_editor_cannot_approve_the_text_they_wrote(world):
    from core.models import Role
    from tests.factories import make_user

    editor = make_user("editor_first", world.dept, Role.DRAFTER, Role.FIRST_REVIEWER)
    item = draft(world)
    no_5xx(browser(editor).post(f"/items/{item.pk}/edit/", {
        **form_payload(title=item.title, body="<p>兼职人员改写。</p>"),
        "expected_hash": item.current_revision.content_hash}), 302)
    actions.submit_item(actor=world.drafter, item=Information.objects.get(pk=item.pk))
    task = approve_all(world, item, stop_before="first_review")
    client = browser(editor)
    no_5xx(client.post(f"/tasks/{task.pk}/claim/"), 403)
    no_5xx(client.post(f"/tasks/{task.pk}/approve/", {"expected_hash": "0" * 64}), 403)
    assert actions.open_task_for(item).data["step"] == "first_review"


# --- finding 4: out-of-range input, ids, tick --------------------------------------------------------------

@hang_guard(GUARD)
@pytest.mark.parametrize("field,value", [("display_days", 3000000), ("display_days", -1), ("display_days", 0),
                                         ("created_date", "9999-12-31"), ("created_date", "0001-01-01"),
                                         ("fee_amount", "-5"), ("fee_amount", "1e30"), ("fee_amount", "NaN"),
                                         ("title", "\x00"), ("title", "标" * 100000)])
def test_out_of_range_fields_on_the_web_form_and_the_api(world, field, value):
    no_5xx(browser(world.drafter).post("/items/new/", form_payload(**{field: value})), 200, 400)
    payload = {"agency": world.dept.pk, "title": "关于公布名单的通知", field: value}
    body = api_json(api(world.drafter).post("/api/v1/items", json.dumps(payload), content_type="application/json"),
                    400)
    assert body["field"] == field
    assert not Information.objects.exists()


@hang_guard(GUARD)
def test_huge_and_odd_ids_in_every_kind_of_path(world):
    code = world.gov.code
    web_paths = [f"/gk/item/{HUGE}/", f"/gk/item/1/files/{HUGE}/", f"/gk/topic/{HUGE}/", f"/items/{HUGE}/",
                 f"/items/{HUGE}/edit/", f"/items/1/revisions/{HUGE}/", f"/tasks/{HUGE}/", f"/jobs/{HUGE}/",
                 f"/jobs/{HUGE}/status.json", f"/requests/{HUGE}/", f"/audit/sheet/{HUGE}/",
                 f"/audit/report/{code}/99999/", f"/audit/report/{code}/0000/", f"/audit/report/{code}/9999/",
                 f"/audit/report/{'X' * 5000}/2024/", f"/audit/appeals/case/{HUGE}/", f"/gk/manage/items/{HUGE}/",
                 "/items/0/", "/items/-1/", "/gk/item/00000000001/"]
    for user in (world.auditor, world.office, world.drafter, None):
        client = browser(user)
        for path in web_paths:
            no_5xx(client.get(path), 302, 404)
    auditor = browser(world.auditor)
    for query in [f"ids=1,{HUGE}", "ids=" + ",".join(["1"] * 5000), "ids=-1", "ids=abc", "ids="]:
        no_5xx(auditor.get(f"/audit/sheets/?{query}"), 400, 404)
    for query in [f"page={HUGE}", "page=-1", "page=abc", f"agency={HUGE}", "q=" + "x" * 5000, "status=\x00"]:
        no_5xx(browser(world.drafter).get(f"/items/?{query}"), 200, 400, 404)
        no_5xx(browser().get(f"/gk/?{query}"), 200, 400, 404)
    client = api(world.drafter)
    for path in [f"/api/v1/items/{HUGE}", f"/api/v1/items/{HUGE}/revisions", "/api/v1/items/-1",
                 f"/api/v1/tasks/{HUGE}", f"/api/v1/items?agency={HUGE}", "/api/v1/items?limit=-1",
                 f"/api/v1/items?offset={HUGE}", "/api/v1/nowhere"]:
        api_json(client.get(path), 400, 404)


@hang_guard(GUARD)
def test_tick_exits_non_zero_and_one_bad_item_does_not_block_the_others(world, monkeypatch):
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.utils import timezone
    from freezegun import freeze_time

    from publishing import actions as pub

    items = []
    for _ in range(3):
        item = draft(world)
        actions.submit_item(actor=world.drafter, item=item)
        approve_all(world, item)
        pub.publish_item(actor=world.publisher, item=Information.objects.get(pk=item.pk),
                         at=timezone.now() + timezone.timedelta(hours=1))
        items.append(item.pk)
    real = pub.publish_due_item

    def flaky(*, item, now):
        if item.pk == items[0]:
            raise OverflowError("date value out of range")
        return real(item=item, now=now)

    monkeypatch.setattr(pub, "publish_due_item", flaky)
    with freeze_time(timezone.now() + timezone.timedelta(hours=2)), pytest.raises(CommandError):
        call_command("tick", stdout=io.StringIO())
    online = dict(Information.objects.filter(pk__in=items).values_list("pk", "online"))
    assert online == {items[0]: False, items[1]: True, items[2]: True}


@hang_guard(GUARD)
def test_every_api_error_is_json_even_a_500_before_the_api_runs(world, monkeypatch):
    def broken(request):
        raise RuntimeError("secret at /srv/shenfa/settings.py")

    monkeypatch.setattr(middleware, "client_ip", broken)
    resp = api(world.drafter).get("/api/v1/me")
    body = api_json(resp) if resp.status_code < 500 else resp.json()
    assert resp.status_code == 500 and body["code"] == "server_error"
    assert "secret" not in resp.content.decode()
    # the web pages keep their HTML error page
    resp = browser().get("/gk/")
    assert resp.status_code == 500 and resp["Content-Type"].startswith("text/html")


@hang_guard(GUARD)
def test_malformed_api_bodies(world):
    client = api(world.drafter)
    for body, content_type in [("{", "application/json"), ("[]", "application/json"), ("null", "application/json"),
                               ('{"agency": 1e400}', "application/json"), ("\xff\xfe", "application/json"),
                               ('{"a":' * 5000 + "1" + "}" * 5000, "application/json"), ("x=1", "text/plain")]:
        api_json(client.post("/api/v1/items", body, content_type=content_type), 400, 415)


# --- finding 5: uploads ---------------------------------------------------------------------------------------

@hang_guard(GUARD)
def test_oversize_uploads_are_refused_while_streaming(world, settings):
    settings.SHENFA = {**settings.SHENFA, "ATTACHMENT_MAX_BYTES": 64 * 1024}
    big = io.BytesIO(b"x" * (2 * 1024 * 1024))
    big.name = "大文件.pdf"
    body = encode_multipart(BOUNDARY, {**form_payload(), "attachments": big})
    no_5xx(browser(world.drafter).generic("POST", "/items/new/", body, content_type=MULTIPART_CONTENT), 400)
    item = draft(world)
    big.seek(0)
    body = encode_multipart(BOUNDARY, {"file": big})
    api_json(api(world.drafter).generic("POST", f"/api/v1/items/{item.pk}/attachments", body,
                                        content_type=MULTIPART_CONTENT), 400)


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    made = hostile.build(str(d), scale=0.02)
    return [(name, (d / name).read_bytes()) for name, _ in made]


@hang_guard(300)
def test_hostile_files_are_answered_without_scanning_in_the_request(world, settings, hostile_files):
    # "inline": the scan job is handed over on commit, which a test transaction never reaches - as in
    # production, the request only stores the file and answers
    settings.SHENFA = {**settings.SHENFA, "JOBS_BACKEND": "inline"}
    client = browser(world.drafter)
    for name, data in hostile_files:
        upload = io.BytesIO(data)
        upload.name = name
        body = encode_multipart(BOUNDARY, {**form_payload(title=f"附件 {name[:50]}"), "attachments": upload})
        no_5xx(client.generic("POST", "/items/new/", body, content_type=MULTIPART_CONTENT), 200, 302, 400)
    for name in ["../../etc/passwd.pdf", "a\x00.pdf", "<script>.pdf", "x" * 500 + ".pdf", ".pdf", "CON.pdf"]:
        upload = io.BytesIO(b"%PDF-1.4 test")
        upload.name = name
        body = encode_multipart(BOUNDARY, {**form_payload(), "attachments": upload})
        no_5xx(client.generic("POST", "/items/new/", body, content_type=MULTIPART_CONTENT), 200, 302, 400)


# --- finding 6: no oracles ------------------------------------------------------------------------------------

@hang_guard(GUARD)
def test_what_one_may_not_see_answers_like_what_does_not_exist(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    missing_item, missing_task = 2**31 - 1, 2**31 - 2
    pairs = [(f"/items/{item.pk}/", f"/items/{missing_item}/"),
             (f"/items/{item.pk}/edit/", f"/items/{missing_item}/edit/"),
             (f"/items/{item.pk}/sheet/", f"/items/{missing_item}/sheet/"),
             (f"/tasks/{task.pk}/", f"/tasks/{missing_task}/"),
             (f"/items/{item.pk}/revisions/1/", f"/items/{missing_item}/revisions/1/")]
    names = [a.name for a in Agency.objects.all()]
    for user in (world.other_first,):
        client = browser(user)
        for foreign, missing in pairs:
            a, b = client.get(foreign), client.get(missing)
            assert a.status_code == b.status_code == 404, (foreign, a.status_code, b.status_code)
            assert not any(n in a.content.decode() for n in [world.dept.name, world.gov.name])
        post = client.post(f"/tasks/{task.pk}/claim/")
        assert post.status_code == 404 and world.dept.name not in post.content.decode()
    # one who sees the item but may not act: 403 with a reason that names no agency
    resp = browser(world.auditor).get(f"/tasks/{task.pk}/")
    no_5xx(resp, 403)
    assert not any(f"“{n}”" in resp.content.decode() for n in names)
    # the API's reference checks
    foreign = actions.create_item(actor=world.other_first, agency=world.other,
                                  data={"title": "淮北市政策文件", "info_type": InfoType.POLICY_DOCUMENT})
    client = api(world.drafter)
    answers = []
    for ref in (foreign.pk, missing_item):
        payload = {"agency": world.dept.pk, "title": "政策解读", "info_type": "interpretation", "interprets": ref}
        answers.append(api_json(client.post("/api/v1/items", json.dumps(payload), content_type="application/json"),
                                400))
    assert answers[0] == answers[1]
    a = api_json(client.get(f"/api/v1/items/{foreign.pk}"), 404)
    b = api_json(client.get(f"/api/v1/items/{missing_item}"), 404)
    assert a == b


# --- finding 7: tokens ----------------------------------------------------------------------------------------

@hang_guard(GUARD)
def test_forged_revoked_and_odd_tokens(world):
    token = issue_token(user=world.drafter, actor=world.drafter, via="api")
    for header in [f"Token {token[:-2]}xx", "Token " + "A" * 10000, "Bearer " + token, "Token", "Token \x00",
                   f"token  {token}  x", "Basic ZHJhZnRlcjpwYXNz"]:
        api_json(Client(raise_request_exception=False, headers={"Authorization": header}).get("/api/v1/me"), 401)
    client = Client(raise_request_exception=False, headers={"Authorization": f"Token {token}"})
    token_id = no_5xx(client.get("/api/v1/tokens"), 200).json()[0]["id"]
    no_5xx(client.delete(f"/api/v1/tokens/{token_id}", "{}", content_type="application/json"), 200)
    api_json(client.get("/api/v1/me"), 401)


# --- finding 8: settings and data --------------------------------------------------------------------------

@hang_guard(GUARD)
def test_an_agency_cannot_be_made_its_own_ancestor_through_the_admin(world, admin_client):
    resp = admin_client.post(f"/admin/core/agency/{world.gov.pk}/change/", {
        "code": world.gov.code, "name": world.gov.name, "kind": world.gov.kind, "parent": world.dept.pk,
        "is_active": "on"})
    assert resp.status_code == 200 and Agency.objects.get(pk=world.gov.pk).parent_id is None
    no_5xx(browser(world.auditor).get(f"/audit/report/{world.gov.code}/2024/"))


def test_the_suite_runs_on_the_configured_database():
    # Run again with DATABASE_URL=postgres://... for PostgreSQL (the triggers and constraints differ).
    assert django_settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1] in ("sqlite3", "postgresql")
