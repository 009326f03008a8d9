"""Log-in, inboxes, drafting pages, item page, review sheet, publish/withdraw pages, through the test client."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from freezegun import freeze_time

from audit.models import AuditRecord
from publishing.actions import publish_item
from tests.factories import approve_all, draft, reload
from workflow import actions
from workflow.models import Category, Information, ItemStatus, Revision

pytestmark = pytest.mark.django_db

SEED_BODY = (
    "<p>以习近平新时代中国特色社会主义思想为指导，贯彻落实《中华人民共和国政府信息公开条例》和省市政务公开工作的决策部署，"
    "坚持以人民为中心深化政务公开。</p><p>一、以“十四五”规划为引领，加强重点领域公开</p>"
)


def actions_of(item):
    return list(AuditRecord.objects.filter(item=item).order_by("seq").values_list("action", flat=True))


def form_payload(**over):
    data = {
        "title": "宁国市人民政府办公室关于印发宁国市2021年政务公开工作要点的通知",
        "doc_number": "宁政办秘〔2021〕80号", "info_type": "policy_document", "created_date": "2021-11-20",
        "summary": "印发2021年政务公开工作要点", "body": SEED_BODY, "carrier": "official", "channels": ["website"],
        "disclosure_mode": "proactive", "scope": "public", "scope_audience": "", "display_days": "",
        "fee_amount": "",
    }
    data.update(over)
    return data


# --- log-in and inboxes --------------------------------------------------------------------------------

def test_login_page_is_chinese_and_logs_in_to_the_inbox(client, world):
    resp = client.get("/login/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "登录审发系统" in html and "用户名" in html and "密码" in html
    resp = client.post("/login/", {"username": "drafter", "password": "wrong"})
    assert "用户名或密码不正确" in resp.content.decode()
    resp = client.post("/login/", {"username": "drafter", "password": "pass12345!"})
    assert resp.status_code == 302 and resp["Location"] == "/"
    assert "我起草的信息" in client.get("/").content.decode()
    assert client.post("/logout/").status_code == 302
    assert client.get("/")["Location"].startswith("/login/")


def test_anonymous_is_sent_to_log_in_from_every_page(client, world):
    item = draft(world)
    for url in ("/", "/items/", "/items/new/", f"/items/{item.pk}/", f"/items/{item.pk}/sheet/"):
        resp = client.get(url)
        assert resp.status_code == 302 and resp["Location"].startswith("/login/?next="), url


def test_each_role_lands_on_its_own_inbox(client, world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    # the drafter: what they drafted, with its state; no review queue
    client.force_login(world.drafter)
    html = client.get("/").content.decode()
    assert 'id="drafted"' in html and item.title in html and "审核中" in html and 'id="queue"' not in html
    # proofreaders: the claimable task in the queue
    client.force_login(world.proof2)
    html = client.get("/").content.decode()
    assert 'id="queue"' in html and f"/tasks/{task.pk}/" in html and 'id="drafted"' not in html
    # after claiming it moves to "my tasks" and leaves the others' queue
    actions.claim_task(actor=world.proof2, task=task)
    html = client.get("/").content.decode()
    my_tasks = html.split('id="my-tasks"')[1].split('id="queue"')[0]
    assert f"/tasks/{task.pk}/" in my_tasks
    client.force_login(world.proof1)
    assert f"/tasks/{task.pk}/" not in client.get("/").content.decode()
    # a reviewer of later steps and another agency see nothing of it
    for who in ("first", "other_first", "publisher"):
        client.force_login(world.people[who])
        assert f"/tasks/{task.pk}/" not in client.get("/").content.decode(), who


def test_inbox_highlights_overdue_items_and_old_tasks(client, world, settings):
    settings.SHENFA = {**settings.SHENFA, "TASK_OVERDUE_DAYS": 3}
    with freeze_time("2024-03-01 09:00:00"):
        late = draft(world, title="逾期未公开的通知")
        Information.objects.filter(pk=late.pk).update(disclosure_due=datetime.date(2024, 3, 10))
        item = draft(world, title="按时处理的通知")
        actions.submit_item(actor=world.drafter, item=item)
    with freeze_time("2024-03-02 09:00:00"):
        client.force_login(world.proof1)
        html = client.get("/").content.decode()
        assert "任务超期" not in html
    with freeze_time("2024-03-11 09:00:00"):
        html = client.get("/").content.decode()
        assert "任务超期" in html
        client.force_login(world.drafter)
        html = client.get("/").content.decode()
        overdue = html.split('id="overdue"')[1]
        assert "逾期未公开的通知" in overdue and "按时处理的通知" not in overdue
        assert '<tr class="overdue">' in html.split('id="drafted"')[1]
        listing = client.get("/items/?overdue=on").content.decode()
        assert "逾期未公开的通知" in listing and "按时处理的通知" not in listing


def test_office_admin_sees_overdue_items_of_the_departments(client, world):
    item = draft(world, title="部门逾期信息")
    Information.objects.filter(pk=item.pk).update(disclosure_due=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(world.office)
    assert "部门逾期信息" in client.get("/").content.decode().split('id="overdue"')[1]
    client.force_login(world.other_first)
    assert "部门逾期信息" not in client.get("/").content.decode()


# --- drafting ----------------------------------------------------------------------------------------

def test_drafter_creates_an_item_with_all_fields_and_attachments(client, world):
    topic = Category.objects.create(kind="topic", name="综合政务")
    facet = Category.objects.create(kind="facet", name="政策文件")
    client.force_login(world.drafter)
    html = client.get("/items/new/").content.decode()
    for label in ("名称", "文号", "信息类型", "主题分类", "组配分类", "生成日期", "内容概述", "正文", "载体形式",
                  "拟公开方式", "公开方式", "公开范围", "限定范围对象", "公示期（工作日）", "收费金额（元）",
                  "解读的政策文件",
                  "需要政策解读", "上传附件"):
        assert label in html, label
    assert "允许的类型：.pdf" in html and "20 MB" in html
    files = [SimpleUploadedFile("要点.pdf", b"%PDF-1.4 seed", "application/pdf"),
             SimpleUploadedFile("附表.csv", b"a,b\n1,2\n", "text/csv")]
    resp = client.post("/items/new/", {**form_payload(topic=topic.pk, facet=facet.pk, needs_interpretation="on"),
                                       "attachments": files})
    assert resp.status_code == 302
    item = Information.objects.get()
    assert resp["Location"] == f"/items/{item.pk}/"
    assert (item.topic, item.facet, item.doc_number, item.needs_interpretation) == (
        topic, facet, "宁政办秘〔2021〕80号", True)
    assert sorted(a.name for a in item.current_revision.attachments.all()) == ["要点.pdf", "附表.csv"]
    assert actions_of(item) == ["workflow.item.create"]
    html = client.get(resp["Location"]).content.decode()
    assert "要点.pdf" in html and item.current_revision.content_hash in html and "创建草稿" in html
    att = item.current_revision.attachments.get(name="要点.pdf")
    download = client.get(f"/items/{item.pk}/attachments/{att.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 seed"


@pytest.mark.parametrize("upload,message", [
    (("病毒.exe", b"MZ..."), "的类型不允许上传"),
    (("空.pdf", b""), "是空文件"),
])
def test_attachment_errors_are_shown_next_to_the_field_and_nothing_is_stored(client, world, upload, message):
    client.force_login(world.drafter)
    name, data = upload
    resp = client.post("/items/new/", {**form_payload(), "attachments": [SimpleUploadedFile(name, data)]})
    html = resp.content.decode()
    assert resp.status_code == 400
    assert f"附件“{name}”{message}" in html.split('id="error-attachments"')[1].split("</span>")[0]
    assert not Information.objects.exists() and not Revision.objects.exists()


def test_attachment_size_limit_comes_from_the_setting(client, world, settings):
    settings.SHENFA = {**settings.SHENFA, "ATTACHMENT_MAX_BYTES": 1024 * 1024}
    client.force_login(world.drafter)
    resp = client.post("/items/new/", {**form_payload(),
                                       "attachments": [SimpleUploadedFile("大表.xlsx", b"x" * (1024 * 1024 + 1))]})
    html = resp.content.decode()
    assert resp.status_code == 400
    assert "超过大小限制（1 MB）" in html.split('id="error-attachments"')[1]
    assert not Information.objects.exists()


def test_invalid_fields_are_shown_next_to_the_field(client, world):
    client.force_login(world.drafter)
    resp = client.post("/items/new/", form_payload(scope="limited", scope_audience=""))
    assert resp.status_code == 400
    assert "限定范围公开须填写公开对象" in resp.content.decode().split('id="error-scope_audience"')[1]
    resp = client.post("/items/new/", form_payload(title=""))
    assert resp.status_code == 400 and 'id="error-title"' in resp.content.decode()
    assert not Information.objects.exists()


def test_edit_makes_a_new_revision_and_its_diff_is_shown(client, world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item, stop_before="first_review")
    actions.reject_step(actor=world.first, task=actions.open_task_for(item), reason="删去第二句")
    client.force_login(world.drafter)
    page = client.get(f"/items/{item.pk}/edit/").content.decode()
    assert "删去第二句" in page
    item = reload(item)
    resp = client.post(f"/items/{item.pk}/edit/", {
        **form_payload(title=item.title, doc_number=item.doc_number, info_type=item.info_type,
                       created_date=item.created_date.isoformat(), summary=""),
        "body": "<p>为深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署。</p>",
        "note": "按意见修改", "expected_hash": item.current_revision.content_hash,
    })
    assert resp.status_code == 302
    item = reload(item)
    assert item.current_revision.number == 2
    rec = AuditRecord.objects.filter(item=item, action="workflow.item.edit").get()
    assert rec.data["changed_fields"] == ["body"] and rec.comment == "按意见修改"
    html = client.get(f"/items/{item.pk}/revisions/2/").content.decode()
    assert "与第1版" in html and "<del>" in html and "进一步提升政务公开质效" in html


def test_stale_edit_is_refused_with_409(client, world):
    item = draft(world)
    client.force_login(world.drafter)
    resp = client.post(f"/items/{item.pk}/edit/", {**form_payload(title="新标题"), "expected_hash": "f" * 64})
    assert resp.status_code == 409
    assert "该信息已被他人修改" in resp.content.decode()
    assert reload(item).current_revision.number == 1


def test_edit_during_review_is_refused_with_409(client, world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    client.force_login(world.drafter)
    resp = client.post(f"/items/{item.pk}/edit/", {**form_payload(title="改标题"),
                                                    "expected_hash": item.current_revision.content_hash})
    assert resp.status_code == 409 and "不能修改" in resp.content.decode()
    assert reload(item).title != "改标题"


def test_submit_without_body_or_attachment_shows_the_error(client, world):
    item = draft(world, body="")
    client.force_login(world.drafter)
    resp = client.post(f"/items/{item.pk}/submit/")
    assert resp.status_code == 400 and "正文和附件不能同时为空" in resp.content.decode()
    assert reload(item).status == ItemStatus.DRAFT


def test_drafter_of_same_agency_may_edit_but_reviewer_may_not(client, world):
    item = draft(world)
    client.force_login(world.first)
    resp = client.get(f"/items/{item.pk}/edit/")
    assert resp.status_code == 403 and "没有起草人角色" in resp.content.decode()
    resp = client.post(f"/items/{item.pk}/submit/")
    assert resp.status_code == 403
    assert reload(item).status == ItemStatus.DRAFT
    client.force_login(world.drafter2)
    assert client.get(f"/items/{item.pk}/edit/").status_code == 200


# --- item page, publishing ---------------------------------------------------------------------------

def approved_item(world, **data):
    item = draft(world, **data)
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item)
    return reload(item)


def test_item_page_timeline_lists_every_audit_record(client, world):
    item = approved_item(world)
    client.force_login(world.auditor)
    html = client.get(f"/items/{item.pk}/").content.decode()
    timeline = html.split('id="timeline"')[1]
    records = list(AuditRecord.objects.filter(item=item).order_by("seq"))
    assert timeline.count("<tr data-action=") == len(records) == 17
    for rec in records:
        assert f'data-action="{rec.action}"' in timeline
        assert rec.actor_name in timeline
    assert "孙初审" in timeline and "初审人" in timeline and "审核同意" in timeline and "保密审查" in timeline
    assert item.current_revision.content_hash[:12] in timeline
    assert "审核中 → 审核通过待发布" in timeline


def test_publisher_publishes_now_from_the_item_page(client, world):
    item = approved_item(world)
    client.force_login(world.drafter)
    assert 'id="publish-now"' not in client.get(f"/items/{item.pk}/").content.decode()
    assert client.post(f"/items/{item.pk}/publish/").status_code == 403
    client.force_login(world.publisher)
    assert 'id="publish-now"' in client.get(f"/items/{item.pk}/").content.decode()
    resp = client.post(f"/items/{item.pk}/publish/", {"at": ""})
    assert resp.status_code == 302
    item = reload(item)
    assert item.status == ItemStatus.PUBLISHED and item.online
    html = client.get(f"/items/{item.pk}/").content.decode()
    assert f'<div id="index-number" class="mono">{item.index_number}</div>' in html
    assert actions_of(item)[-1] == "publishing.item.publish"
    # publishing twice is a state error
    resp = client.post(f"/items/{item.pk}/publish/", {"at": ""})
    assert resp.status_code == 409


def test_publisher_schedules_then_cancels(client, world):
    item = approved_item(world)
    client.force_login(world.publisher)
    at = timezone.localtime() + datetime.timedelta(days=2)
    resp = client.post(f"/items/{item.pk}/publish/", {"at": at.strftime("%Y-%m-%dT%H:%M")})
    assert resp.status_code == 302
    item = reload(item)
    assert item.status == ItemStatus.SCHEDULED
    assert timezone.localtime(item.publish_at).strftime("%Y-%m-%d %H:%M") == at.strftime("%Y-%m-%d %H:%M")
    assert "定时发布" in client.get("/").content.decode()
    resp = client.post(f"/items/{item.pk}/withdraw/", {"reason": "发布时间调整"})
    assert resp.status_code == 302 and reload(item).status == ItemStatus.APPROVED
    assert actions_of(item)[-2:] == ["publishing.item.schedule", "publishing.item.unschedule"]


def test_bad_publish_time_is_an_error(client, world):
    item = approved_item(world)
    client.force_login(world.publisher)
    resp = client.post(f"/items/{item.pk}/publish/", {"at": "明天"})
    assert resp.status_code == 400 and reload(item).status == ItemStatus.APPROVED


def test_withdraw_needs_a_reason(client, world):
    item = approved_item(world)
    publish_item(actor=world.publisher, item=item)
    client.force_login(world.publisher)
    resp = client.post(f"/items/{item.pk}/withdraw/", {"reason": ""})
    assert resp.status_code == 400 and "请填写撤回理由" in resp.content.decode()
    assert reload(item).online
    resp = client.post(f"/items/{item.pk}/withdraw/", {"reason": "含有未脱敏的个人信息"})
    assert resp.status_code == 302
    item = reload(item)
    assert not item.online and item.status == ItemStatus.WITHDRAWN
    assert "含有未脱敏的个人信息" in client.get(f"/items/{item.pk}/").content.decode()


def test_review_sheet_shows_the_reviewers_and_the_published_hash(client, world):
    item = approved_item(world, summary="印发2024年政务公开工作要点")
    publish_item(actor=world.publisher, item=item)
    item = reload(item)
    client.force_login(world.auditor)
    html = client.get(f"/items/{item.pk}/sheet/").content.decode()
    assert "信息公开保密审查审批表" in html
    for text in ("部门", "申请人", "信息名称", "载体形式", "拟公开方式", "拟公开时间", "信息内容", "附件",
                 "机关自审意见", "保密审查意见", "国家秘密", "商业秘密", "个人隐私", "编辑意见", "责任主编意见",
                 "审查人签字", "宿州市埇桥区人民政府办公室", "张起草", "孙初审", "周复审", "吴终审", "郑保密",
                 "王一校", "赵二校", "钱三校", "陈发布", item.title, item.index_number,
                 item.published_revision.content_hash, "@media print"):
        assert text in html, text
    html = client.get(f"/items/{item.pk}/sheet/?form=changzhou").content.decode()
    for text in ("保密审查单", "标题", "承办人意见", "处室负责人意见", "保密审查意见", "主管领导审查意见",
                 "网站责任人意见",
                 "张起草", "周复审", "郑保密", "吴终审", "陈发布", "可以公开", "同意发布"):
        assert text in html, text


def test_item_list_filters_and_only_visible_items(client, world):
    mine = draft(world, title="关于2024年政务公开工作要点的通知", info_type="policy_document")
    draft(world, title="关于开展清理工作的通知")
    theirs = actions.create_item(actor=world.other_first, agency=world.other,
                                 data={"title": "淮北市政务公开通知", "body": "<p>正文</p>"})
    client.force_login(world.first)
    html = client.get("/items/").content.decode()
    assert mine.title in html and "关于开展清理工作的通知" in html and theirs.title not in html
    html = client.get("/items/?q=要点").content.decode()
    assert mine.title in html and "关于开展清理工作的通知" not in html
    html = client.get("/items/?info_type=policy_document").content.decode()
    assert mine.title in html and "关于开展清理工作的通知" not in html
    html = client.get("/items/?status=published").content.decode()
    assert mine.title not in html and "没有符合条件的信息" in html
    client.force_login(world.other_first)
    html = client.get("/items/").content.decode()
    assert theirs.title in html and mine.title not in html


def test_viewflow_task_urls_hand_over_to_the_task_page(rf, world):
    from workflow.flows import task_page

    assert task_page(rf.get("/"), task_pk=7)["Location"] == "/tasks/7/"


def test_inbox_shortcuts_follow_the_roles(client, world):
    client.force_login(world.auditor)
    html = client.get("/").content.decode().split('id="shortcuts"')[1].split("</p>")[0]
    assert "/audit/" in html and "/items/new/" not in html
    client.force_login(world.drafter)
    html = client.get("/").content.decode().split('id="shortcuts"')[1].split("</p>")[0]
    assert "/items/new/" in html and "/audit/" not in html
    client.force_login(world.publisher)
    html = client.get("/").content.decode().split('id="shortcuts"')[1].split("</p>")[0]
    assert "/gk/manage/scheduled/" in html
    for href in ("/gk/manage/scheduled/", "/requests/", "/audit/"):
        client.force_login(world.office)
        assert client.get(href).status_code == 200, href
