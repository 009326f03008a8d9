"""Every item and task URL refuses people of another agency; sanitised bodies; admin and translations."""
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from audit.models import AuditRecord
from tests.factories import draft, reload
from web.workflow import urls as workflow_urls
from workflow import actions
from workflow.admin import ReviewPolicyForm
from workflow.models import Information, ReviewPolicy

pytestmark = pytest.mark.django_db

ITEM_OR_TASK_ARGS = {"pk", "task_pk", "number", "att_pk"}


def bound_patterns():
    """Every workflow URL that names an item or a task (new ones are picked up automatically)."""
    return [p for p in workflow_urls.urlpatterns if set(p.pattern.converters) & ITEM_OR_TASK_ARGS]


def test_the_url_list_covers_items_and_tasks():
    names = {p.name for p in bound_patterns()}
    assert {"item", "item_edit", "item_submit", "item_publish", "item_withdraw", "item_sheet", "revision",
            "attachment", "task", "task_claim", "task_unclaim", "task_approve", "task_proofread", "task_reject",
            "task_return"} <= names


@pytest.fixture
def subject(world):
    item = actions.create_item(actor=world.drafter, agency=world.dept, data={
        "title": "关于印发2024年政务公开工作要点的通知", "body": "<p>正文</p>"},
        attachments=[actions.NewAttachment("要点.pdf", b"%PDF-1.4")])
    actions.submit_item(actor=world.drafter, item=item)
    item = reload(item)
    return {"pk": item.pk, "task_pk": actions.open_task_for(item).pk, "number": 1,
            "att_pk": item.current_revision.attachments.get().pk}


def _kwargs(pattern, subject):
    return {k: subject[k] for k in pattern.pattern.converters}


POST_DATA = {"comment": "同意", "reason": "理由", "to_step": "proof_1", "body": "<p>改</p>", "result": "disclosable",
             "at": "", "expected_hash": "0" * 64, "title": "改"}


@pytest.mark.parametrize("who", ["other_first", "auditor_of_other"])
def test_another_agency_gets_403_or_404_on_every_item_and_task_url(client, world, subject, who):
    if who == "auditor_of_other":
        from tests.factories import make_user

        user = make_user("other_auditor", world.other, "auditor", "office_admin", "publisher")
    else:
        user = world.other_first
    client.force_login(user)
    before = AuditRecord.objects.count()
    for pattern in bound_patterns():
        url = reverse(f"workflow:{pattern.name}", kwargs=_kwargs(pattern, subject))
        for method in ("get", "post"):
            resp = getattr(client, method)(url, POST_DATA)
            assert resp.status_code in (403, 404, 405), (method, url, resp.status_code)
            if resp.status_code == 403:
                assert "无权访问" in resp.content.decode()
    assert AuditRecord.objects.count() == before


def test_task_urls_refuse_people_of_the_same_agency_without_the_role(client, world, subject):
    for who in ("drafter", "first", "publisher", "auditor"):
        client.force_login(world.people[who])
        for pattern in bound_patterns():
            if "task_pk" not in pattern.pattern.converters:
                continue
            url = reverse(f"workflow:{pattern.name}", kwargs=_kwargs(pattern, subject))
            assert client.get(url).status_code in (403, 405), (who, url)
            assert client.post(url, POST_DATA).status_code == 403, (who, url)


def test_missing_objects_are_404(client, world, subject):
    client.force_login(world.drafter)
    assert client.get("/items/999999/").status_code == 404
    assert client.get("/tasks/999999/").status_code == 404
    assert client.get(f"/items/{subject['pk']}/revisions/99/").status_code == 404
    assert client.get(f"/items/{subject['pk']}/attachments/999999/").status_code == 404


def test_an_attachment_of_another_item_is_not_served_through_this_item(client, world, subject):
    other_item = actions.create_item(actor=world.other_first, agency=world.other, data={"title": "外单位", "body": "x"},
                                     attachments=[actions.NewAttachment("机密.pdf", b"%PDF-secret")])
    att = reload(other_item).current_revision.attachments.get()
    client.force_login(world.drafter)
    assert client.get(f"/items/{subject['pk']}/attachments/{att.pk}/").status_code == 404


def test_script_in_the_body_never_reaches_any_page(client, world):
    # given a body with script, handlers and a javascript: link, posted through the form
    client.force_login(world.drafter)
    evil = ('<p onclick="alert(1)">正文<script>alert("x")</script></p><img src=x onerror=alert(2)>'
            '<a href="javascript:alert(3)">链接</a><iframe src="//evil"></iframe>')
    resp = client.post("/items/new/", {"title": "含脚本的稿件", "info_type": "general", "created_date": "2024-01-02",
                                       "body": evil, "carrier": "official", "channels": ["website"],
                                       "disclosure_mode": "proactive", "scope": "public",
                                       "attachments": [SimpleUploadedFile("a.txt", b"text")]})
    assert resp.status_code == 302
    item = Information.objects.get(title="含脚本的稿件")
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    pages = [(world.drafter, f"/items/{item.pk}/"), (world.drafter, f"/items/{item.pk}/revisions/1/"),
             (world.drafter, f"/items/{item.pk}/sheet/"), (world.drafter, f"/items/{item.pk}/edit/"),
             (world.proof1, f"/tasks/{task.pk}/")]
    for user, url in pages:
        client.force_login(user)
        html = client.get(url).content.decode()
        assert "正文" in html, url
        for bad in ("<script>alert", "onclick=", "onerror=", "javascript:alert", "<iframe"):
            assert bad not in html, (url, bad)


def test_admin_is_chinese_and_lists_the_configuration(client, world):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pass12345!")
    client.force_login(admin)
    html = client.get("/admin/").content.decode()
    for text in ("系统配置", "机构", "人员角色", "分类", "审核策略", "政府信息"):
        assert text in html, text
    assert "添加" in html or "增加" in html
    html = client.get(f"/admin/auth/user/{world.first.pk}/change/").content.decode()
    assert "机构角色" in html and "初审人" in html
    item = draft(world)
    resp = client.get(f"/admin/workflow/information/{item.pk}/change/")
    assert resp.status_code == 200 and 'name="status"' not in resp.content.decode()
    assert client.get("/admin/workflow/information/add/").status_code == 403


def policy_form_data(steps, **extra):
    """The editor's form data: one select per position (steps_0 … steps_7), no JSON."""
    data = {"name": "简易流程", "is_active": "on", **extra}
    for position in range(8):
        data[f"steps_{position}"] = steps[position] if position < len(steps) else ""
    return data


@pytest.mark.parametrize("steps,error", [
    (["first_review", "final_review"], "必须包含保密审查"),
    (["first_review", "bogus", "secrecy_review"], "选择一个有效的选项"),
    (["first_review", "first_review", "secrecy_review"], "不能重复"),
    ([], "非空"),
])
def test_review_policy_form_validates_steps(steps, error):
    form = ReviewPolicyForm(data=policy_form_data(steps))
    assert not form.is_valid()
    assert error in " ".join(form.errors["steps"])


def test_review_policy_form_accepts_known_steps_with_secrecy(world):
    form = ReviewPolicyForm(data=policy_form_data(["first_review", "", "final_review", "secrecy_review"],
                                                  agency=world.dept.pk))
    assert form.is_valid(), form.errors
    form.save()
    assert ReviewPolicy.objects.get().steps == ["first_review", "final_review", "secrecy_review"]


def _po_entries(path):
    """(msgctxt, msgid, msgid_plural) of a .po file: a small reader, enough for gettext's own output."""
    entries, current, key = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line or line.startswith("#"):
            if "msgid" in current:
                entries.append(current)
                current = {}
            continue
        if line.startswith('"'):
            current[key] += json.loads(line)
            continue
        key, _, rest = line.partition(" ")
        current[key] = json.loads(rest)
    return [(e.get("msgctxt"), e["msgid"], e.get("msgid_plural")) for e in entries if e["msgid"]]


def test_every_viewflow_string_is_translated_to_chinese():
    from pathlib import Path

    import viewflow

    source = Path(viewflow.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    entries = _po_entries(source)
    assert len(entries) > 100
    untranslated = []
    with translation.override("zh-hans"):
        for ctxt, msgid, plural in entries:
            if plural:
                got = translation.npgettext(ctxt, msgid, plural, 2) if ctxt else translation.ngettext(msgid, plural, 2)
            else:
                got = translation.pgettext(ctxt, msgid) if ctxt else translation.gettext(msgid)
            if got in (msgid, plural) and re.sub(r"%\(\w+\)s|\W", "", msgid):
                untranslated.append(msgid)
    assert untranslated == []
    with translation.override("zh-hans"):
        assert translation.gettext("Assign") != "Assign"
