"""Every endpoint against every person of the world (and anonymous): who succeeds, who gets 403, who gets 404
(an object they may not see) or 400 (a reference to an agency they may not see), and which audit records the
successful call writes. Each attempt runs in a savepoint that is rolled back, so every person meets the same
state. Agencies are public: naming another agency in a body is a 403 from the action, not a 404.
test_api__openapi checks that every documented operation has a case here."""
import datetime
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from freezegun import freeze_time

from api.models import ApiToken
from core.models import Membership, Role
from disclosure import actions as disclosure
from disclosure import imports, online
from disclosure.appeals import create_appeal_case
from disclosure.models import Letter
from privacy import id_check_digit
from publishing import actions as publishing
from tests.factories import EVERYONE, approve_all, draft, last_seq, register, reload
from workflow import actions
from workflow.models import InfoType, ReviewPolicy

from .conftest import Api, actions_since, assert_error

PEOPLE = [p for p in EVERYONE if p]
DEPT_DRAFTERS = {"drafter", "drafter2"}
PROOFREADERS = {"proof1", "proof2", "proof3"}
ALL = set(PEOPLE)
NOT_OTHER = ALL - {"other_first"}
APP_READERS = {"handler", "legal", "office", "auditor"}  # disclosure.permissions.visible_applications
OVERSIGHT = {"office", "auditor"}                        # audit.permissions.export_agency_ids
HANDLER_ONLY = {"handler"}
ID_NUMBER = "35010219800101123" + id_check_digit("35010219800101123")
LEDGER_CSV = ("\ufeff" + ",".join(h for h, _ in imports.APPLICATION_COLUMNS) + "\n"
              + ",自然人,王某,,,网上申请,2025-03-02,申请公开2024年政务公开工作要点" + "," * 12 + "\n").encode()
APPEALS_CSV = ("\ufeff" + ",".join(h for h, _ in imports.APPEAL_COLUMNS) + "\n"
               + "行政复议,宿府复〔2025〕3号,王某,不服答复,2025-04-01,结果维持,2025-05-20,\n").encode()


@dataclass
class Case:
    name: str
    state: str
    method: str
    path: str                      # {item}, {task}, {att}, {app}, {pause}, {cleanup}, {campaign}, ... filled in
    allowed: set
    ok: int = 200
    body: object = None            # dict, or a function of the prepared context
    params: dict | None = None     # query string of a GET
    audit: list = field(default_factory=list)
    denied: int = 403              # what the others get
    other: int = 404               # what the person of another agency gets
    visible: set | None = None     # who may see the path object (denied 403); the rest get 404

    def expected(self, person):
        if person in self.allowed:
            return self.ok
        if person == "other_first":
            return self.other
        if self.visible is not None and person not in self.visible:
            return 404
        return self.denied


TODAY = "{today}"


def _hash(ctx):
    return {"expected_hash": ctx["item"].current_revision.content_hash}


CASES = [
    # --- who am I, tokens, reference data
    Case("me", "draft", "get", "/me", ALL),
    Case("tokens", "draft", "get", "/tokens", ALL),
    Case("token_issue", "draft", "post", "/tokens", ALL, ok=201, body={}, audit=["workflow.api_token.issue"]),
    Case("token_revoke", "draft", "delete", "/tokens/{token}", ALL, body={"reason": "换新令牌"},
         audit=["workflow.api_token.revoke"]),
    Case("agencies", "draft", "get", "/agencies", ALL),
    Case("topics", "draft", "get", "/topics", ALL),
    Case("facets", "draft", "get", "/facets", ALL),
    Case("info_types", "draft", "get", "/info-types", ALL),
    Case("steps", "draft", "get", "/steps", ALL),
    Case("review_policy", "draft", "get", "/review-policy", ALL, params={"agency": "{dept}"}),
    # --- items
    Case("create", "none", "post", "/items", DEPT_DRAFTERS, ok=201, audit=["workflow.item.create"], other=403,
         body=lambda ctx: {"agency": ctx["dept"], "title": "关于2024年第一季度政府信息公开情况的通报",
                           "body": "<p>现将有关情况通报如下。</p>"}),
    Case("list", "draft", "get", "/items", ALL),
    Case("read", "draft", "get", "/items/{item}", NOT_OTHER),
    Case("policy", "draft", "get", "/items/{item}/policy", NOT_OTHER),
    Case("audit", "draft", "get", "/items/{item}/audit", NOT_OTHER),
    Case("attachments", "draft", "get", "/items/{item}/attachments", NOT_OTHER),
    Case("download", "draft", "get", "/items/{item}/attachments/{att}", NOT_OTHER),
    Case("patch", "draft", "patch", "/items/{item}", DEPT_DRAFTERS, body={"summary": "补充内容概述"},
         audit=["workflow.item.edit"]),
    Case("upload", "draft", "upload", "/items/{item}/attachments", DEPT_DRAFTERS, ok=201,
         audit=["workflow.item.edit"]),
    Case("delete_attachment", "draft", "delete", "/items/{item}/attachments/{att}", DEPT_DRAFTERS,
         audit=["workflow.item.edit"]),
    Case("submit", "draft", "post", "/items/{item}/submit", DEPT_DRAFTERS, audit=["workflow.item.submit"]),
    Case("revisions", "draft", "get", "/items/{item}/revisions", NOT_OTHER),
    Case("revision", "draft", "get", "/items/{item}/revisions/1", NOT_OTHER),
    Case("diff", "draft", "get", "/items/{item}/revisions/2/diff", NOT_OTHER, params={"against": "1"}),
    Case("findings", "draft", "get", "/items/{item}/revisions/2/findings", NOT_OTHER),
    # --- tasks
    Case("my_tasks", "proof_1_claimed", "get", "/tasks/mine", ALL),
    Case("queue", "proof_1", "get", "/tasks/queue", ALL),
    Case("task_read", "proof_1", "get", "/tasks/{task}", NOT_OTHER),
    Case("claim", "proof_1", "post", "/tasks/{task}/claim", PROOFREADERS, audit=["workflow.task.claim"]),
    Case("unclaim", "proof_1_claimed", "post", "/tasks/{task}/unclaim", {"proof1", "office"},
         audit=["workflow.task.unclaim"]),
    Case("reassign", "proof_1_claimed", "post", "/tasks/{task}/reassign", {"office"},
         body=lambda ctx: {"to_user": ctx["proof2"], "reason": "一校人员请假"}, audit=["workflow.task.reassign"]),
    Case("approve_proof", "proof_1", "post", "/tasks/{task}/approve", PROOFREADERS, body=_hash,
         audit=["workflow.task.claim", "workflow.review.approve"]),
    Case("proofread", "proof_1", "post", "/tasks/{task}/proofread", PROOFREADERS,
         body=lambda ctx: {"data": {"title": ctx["item"].title + "（校对）"}, "comment": "改标题", **_hash(ctx)},
         audit=["workflow.task.claim", "workflow.proofread.edit", "workflow.review.approve"]),
    Case("approve_first", "first_review", "post", "/tasks/{task}/approve", {"first", "multi"}, body=_hash,
         audit=["workflow.task.claim", "workflow.review.approve"]),
    Case("batch_approve", "first_review", "post", "/tasks/batch-approve", {"first", "multi"},
         body=lambda ctx: {"tasks": [{"task_id": ctx["task"].pk, **_hash(ctx)}]},
         audit=["workflow.task.claim", "workflow.review.approve"]),
    Case("reject", "first_review", "post", "/tasks/{task}/reject", {"first", "multi"},
         body={"reason": "文号有误，请核实"}, audit=["workflow.task.claim", "workflow.review.reject"]),
    Case("return", "second_review", "post", "/tasks/{task}/return", {"second", "multi"},
         body={"to_step": "first_review", "reason": "请初审重新核对"},
         audit=["workflow.task.claim", "workflow.review.return"]),
    Case("secrecy", "secrecy_review", "post", "/tasks/{task}/approve", {"secrecy"},
         body=lambda ctx: {**_hash(ctx), "comment": "可以公开", "secrecy": {"result": "disclosable"}},
         audit=["workflow.task.claim", "workflow.secrecy.decide", "workflow.item.approve"]),
    Case("secrecy_override", "secrecy_findings", "post", "/tasks/{task}/approve", {"secrecy"},
         body=lambda ctx: {**_hash(ctx), "secrecy": {"result": "disclosable",
                                                     "override_ground": "经权利人书面同意公开"}},
         audit=["workflow.task.claim", "workflow.secrecy.decide", "workflow.item.approve"]),
    Case("secrecy_withhold", "secrecy_review", "post", "/tasks/{task}/approve", {"secrecy"},
         body=lambda ctx: {**_hash(ctx), "secrecy": {"result": "not_disclosable", "ground": "process_info"}},
         audit=["workflow.task.claim", "workflow.secrecy.decide"]),
    Case("mask", "secrecy_findings", "post", "/tasks/{task}/mask", {"secrecy"}, body={"comment": "身份证号脱敏"},
         audit=["workflow.task.claim", "workflow.secrecy.mask"]),
    # --- publishing and after
    Case("publish", "approved", "post", "/items/{item}/publish", {"publisher"}, body={},
         audit=["publishing.item.publish"]),
    Case("schedule", "approved", "post", "/items/{item}/publish", {"publisher"},
         body={"at": "2099-01-01T09:00:00+08:00"}, audit=["publishing.item.schedule"]),
    Case("withdraw", "published", "post", "/items/{item}/withdraw", {"publisher"},
         body={"reason": "内容已过时"}, audit=["publishing.item.withdraw"]),
    Case("unschedule", "scheduled", "post", "/items/{item}/withdraw", {"publisher"},
         body={"reason": "暂缓发布"}, audit=["publishing.item.unschedule"]),
    Case("amend", "published", "post", "/items/{item}/validity/amend", {"publisher"},
         body=lambda ctx: {"amended_by": ctx["amending"], "comment": "已被新文件修改"},
         audit=["publishing.validity.amend"]),
    Case("expire", "published", "post", "/items/{item}/validity/expire", {"publisher"},
         body={"comment": "有效期届满"}, audit=["publishing.validity.expire"]),
    Case("repeal", "published", "post", "/items/{item}/validity/repeal", {"publisher"},
         body={"comment": "宿政办〔2025〕1号决定废止"}, audit=["publishing.validity.repeal"]),
    Case("cleanup_list", "cleanup", "get", "/cleanup-tasks", ALL),
    Case("cleanup_read", "cleanup", "get", "/cleanup-tasks/{cleanup}", NOT_OTHER),
    Case("cleanup_keep", "cleanup", "post", "/cleanup-tasks/{cleanup}/keep", {"publisher"},
         body={"next_review_date": "2099-06-30", "comment": "仍然有效"}, audit=["publishing.cleanup.keep"]),
    Case("cleanup_update", "cleanup", "post", "/cleanup-tasks/{cleanup}/update", {"publisher"},
         body={"data": {"summary": "更新联系方式"}, "note": "定期清理更新"},
         audit=["workflow.item.edit", "publishing.cleanup.update"]),
    Case("cleanup_withdraw", "cleanup", "post", "/cleanup-tasks/{cleanup}/withdraw", {"publisher"},
         body={"reason": "已不再需要"}, audit=["publishing.cleanup.withdraw", "publishing.item.withdraw"]),
    Case("cleanup_invalid", "cleanup", "post", "/cleanup-tasks/{cleanup}/invalid", {"publisher"},
         body={"validity": "expired", "comment": "已失效"},
         audit=["publishing.cleanup.invalid", "publishing.validity.expire", "publishing.item.withdraw"]),
    Case("campaigns", "campaign", "get", "/campaigns", ALL),
    Case("campaign_read", "campaign", "get", "/campaigns/{campaign}", {"office", "publisher"}, denied=404),
    Case("campaign_start", "published", "post", "/campaigns", {"office"}, ok=201, other=403,
         body=lambda ctx: {"name": "2026年政策文件专项清理", "agency": ctx["dept"]},
         audit=["publishing.campaign.start"]),
    # --- disclosure on request
    Case("applications", "app", "get", "/applications", ALL),
    Case("register", "none", "post", "/applications", HANDLER_ONLY, ok=201, other=403,
         body=lambda ctx: {"agency": ctx["dept"], "applicant_type": "natural_person", "applicant_name": "王某某",
                           "channel": "online", "received_date": ctx["today"],
                           "content": "申请公开2024年政务公开工作要点"},
         audit=["disclosure.application.register"]),
    Case("application_read", "app", "get", "/applications/{app}", APP_READERS, denied=404),
    Case("supplement_request", "app", "post", "/applications/{app}/supplement-request", HANDLER_ONLY,
         visible=APP_READERS, body=lambda ctx: {"requested_date": ctx["today"], "items": "请说明所需信息的文号",
                                                "applicant_due": ctx["later"]},
         audit=["disclosure.application.request_supplement"]),
    Case("supplement_receipt", "app_supplement", "post", "/applications/{app}/supplement-receipt", HANDLER_ONLY,
         visible=APP_READERS, body=lambda ctx: {"received_date": ctx["today"], "text": "文号为宿政办发〔2024〕5号"},
         audit=["disclosure.application.receive_supplement"]),
    Case("close_no_supplement", "app_supplement_lapsed", "post", "/applications/{app}/close-no-supplement",
         HANDLER_ONLY, visible=APP_READERS, body={}, audit=["disclosure.application.close_no_supplement"]),
    Case("consult", "app", "post", "/applications/{app}/consultations", HANDLER_ONLY, visible=APP_READERS,
         body=lambda ctx: {"kind": "third_party", "party": "宿州某某有限公司", "sent_date": ctx["today"]},
         audit=["disclosure.application.consult_start"]),
    Case("consult_end", "app_consulting", "post", "/applications/{app}/consultations/{pause}/end", HANDLER_ONLY,
         visible=APP_READERS, body=lambda ctx: {"received_date": ctx["today"], "opinion": "同意公开"},
         audit=["disclosure.application.consult_end"]),
    Case("extension_request", "app", "post", "/applications/{app}/extension-request", HANDLER_ONLY,
         visible=APP_READERS, body={"days": 10, "reason": "需调取档案"},
         audit=["disclosure.application.request_extension"]),
    Case("extension_decision", "app_extension", "post", "/applications/{app}/extension-decision", {"office"},
         visible=APP_READERS, body={"approve": True}, audit=["disclosure.application.approve_extension"]),
    Case("fee_quote", "app", "get", "/applications/{app}/fee-quote", APP_READERS, denied=404,
         params={"method": "per_item"}),
    Case("fee_notice", "app", "post", "/applications/{app}/fee-notice", HANDLER_ONLY, visible=APP_READERS,
         body=lambda ctx: {"method": "per_item", "notice_date": ctx["today"]},
         audit=["disclosure.application.fee_notice"]),
    Case("fee_payment", "app_fee", "post", "/applications/{app}/fee-payment", HANDLER_ONLY, visible=APP_READERS,
         body=lambda ctx: {"paid_date": ctx["today"]}, audit=["disclosure.application.fee_paid"]),
    Case("close_fee_unpaid", "app_fee_lapsed", "post", "/applications/{app}/close-fee-unpaid", HANDLER_ONLY,
         visible=APP_READERS, body={}, audit=["disclosure.application.close_fee_unpaid"]),
    Case("reply_draft", "app", "post", "/applications/{app}/replies", HANDLER_ONLY, visible=APP_READERS,
         body={"outcome": "disclosed", "body": "经审查，您申请的信息予以公开。"}, audit=["disclosure.reply.draft"]),
    Case("legal_review", "app_legal", "post", "/applications/{app}/legal-review", {"legal"}, visible=APP_READERS,
         body={"approve": True, "comment": "引用条款正确"}, audit=["disclosure.reply.legal_approve"]),
    Case("sign_off", "app_sign", "post", "/applications/{app}/sign-off", {"office"}, visible=APP_READERS,
         body={"approve": True}, audit=["disclosure.reply.sign_off"]),
    Case("delivery", "app_deliver", "post", "/applications/{app}/delivery", HANDLER_ONLY, visible=APP_READERS,
         body=lambda ctx: {"method": "post", "delivered_date": ctx["today"], "note": "EMS1234567890"},
         audit=["disclosure.reply.deliver"]),
    # --- online applications, Art. 35, letters, templates, ledger import
    Case("online_list", "online", "get", "/online-applications", ALL),
    Case("online_read", "online", "get", "/online-applications/{online}", HANDLER_ONLY, denied=404),
    Case("online_id_document", "online", "get", "/online-applications/{online}/id-document", HANDLER_ONLY,
         denied=404),
    Case("online_confirm", "online", "post", "/online-applications/{online}/confirm", HANDLER_ONLY, ok=201,
         denied=404, body={}, audit=["disclosure.application.register", "disclosure.online.confirm"]),
    Case("excessive", "app", "post", "/applications/{app}/excessive", HANDLER_ONLY, visible=APP_READERS,
         body=lambda ctx: {"reason": "一个月内提出300件申请", "asked_date": ctx["today"],
                           "explanation_due": ctx["later"]},
         audit=["disclosure.application.excessive_ask"]),
    Case("excessive_decision", "app_excessive", "post", "/applications/{app}/excessive-decision", HANDLER_ONLY,
         visible=APP_READERS, body=lambda ctx: {"reasonable": True, "decided_date": ctx["today"],
                                                "explanation": "课题研究需要", "later_date": ctx["later"]},
         audit=["disclosure.application.excessive_decide"]),
    Case("letters", "app_supplement", "get", "/applications/{app}/letters", APP_READERS, denied=404),
    Case("letter_file", "app_supplement", "get", "/letters/{letter}/file", APP_READERS, denied=404),
    Case("letter_templates", "none", "get", "/letter-templates", ALL),
    Case("letter_template_save", "none", "post", "/letter-templates", {"office"}, other=403,
         body=lambda ctx: {"agency": ctx["dept"], "key": "disclosed", "title": "政府信息公开申请答复书",
                           "basis": "条例第三十六条", "body": "{申请人}：\n经审查，予以公开。"},
         audit=["disclosure.template.save"]),
    Case("import_template", "none", "get", "/imports/templates", ALL, params={"kind": "appeals", "format": "csv"}),
    Case("import_applications", "none", "upload", "/imports/applications", HANDLER_ONLY, ok=201, other=403,
         body=lambda ctx: ([("台账.csv", LEDGER_CSV)], {"agency": ctx["dept"]}),
         audit=["disclosure.application.import", "disclosure.import.applications"]),
    Case("import_appeals", "none", "upload", "/imports/appeals", {"office"}, ok=201, other=403,
         body=lambda ctx: ([("复议.csv", APPEALS_CSV)], {"agency": ctx["dept"]}),
         audit=["audit.appeal.import", "disclosure.import.appeals"]),
    Case("appeals", "appeal", "get", "/appeals", ALL),
    Case("appeal_create", "none", "post", "/appeals", {"office"}, ok=201, other=403,
         body=lambda ctx: {"agency": ctx["dept"], "kind": "reconsideration", "filed_date": ctx["today"]},
         audit=["audit.appeal.create"]),
    Case("appeal_update", "appeal", "patch", "/appeals/{appeal}", {"office"}, visible=OVERSIGHT,
         body={"case_number": "宿政复〔2026〕3号"}, audit=["audit.appeal.update"]),
    # --- audit and the annual report
    Case("audit_records", "draft", "get", "/audit/records", OVERSIGHT, other=403),
    Case("audit_export", "draft", "post", "/audit/exports", OVERSIGHT, ok=202, other=403, body={"format": "jsonl"},
         audit=["audit.export"]),
    Case("annual_figures", "draft", "post", "/reports/annual/{dept}/2025/figures", OVERSIGHT, ok=202, denied=404),
    Case("figures_read", "none", "get", "/reports/annual/{dept}/2025/external-figures", OVERSIGHT, denied=404),
    Case("figures_save", "none", "post", "/reports/annual/{dept}/2025/external-figures", {"office"},
         visible=OVERSIGHT, body={"admin_licensing": {"value": 12876, "source": "省政务服务网审批系统"}},
         audit=["audit.report.figures"]),
    Case("figures_template", "none", "get", "/reports/annual/external-figures/template", ALL,
         params={"format": "csv"}),
    Case("figures_import", "none", "upload", "/reports/annual/external-figures/import", {"office"}, other=403,
         body=lambda ctx: [("表二.csv", f"机构代码,报告年度,项目,数值,数据来源\n{ctx['dept_code']},2025,行政处罚,3,"
                                       "执法平台\n".encode())],
         audit=["audit.report.figures_import"]),
    Case("texts_read", "none", "get", "/reports/annual/{dept}/2025/texts", OVERSIGHT, denied=404),
    Case("texts_save", "none", "patch", "/reports/annual/{dept}/2025/texts", {"office"}, visible=OVERSIGHT,
         body={"problems": "政策解读形式较单一。"}, audit=["audit.report.edit"]),
    Case("document", "none", "post", "/reports/annual/{dept}/2025/documents", OVERSIGHT, ok=202, denied=404,
         body={"format": "docx"}),
    Case("document_forced", "none", "post", "/reports/annual/{dept}/2025/documents", {"office"}, ok=202,
         visible=OVERSIGHT, body={"format": "docx", "force_reason": "第五、六部分另行报送"},
         audit=["audit.report.force"]),
    Case("job_read", "job", "get", "/jobs/{job}", {"auditor"}, denied=404),
    Case("job_file", "job", "get", "/jobs/{job}/file", {"auditor"}, denied=404),
]


def _draft_with_attachment(world):
    item = draft(world)
    actions.edit_item(actor=world.drafter, item=item,
                      add_attachments=[actions.NewAttachment("工作要点.txt", "一、总体要求".encode(), "text/plain")])
    return item


def _published(world, **data):
    item = draft(world, **data)
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item)
    publishing.publish_item(actor=world.publisher, item=reload(item))
    return reload(item)


def _application(world, days_ago=0, **data):
    received = timezone.localdate() - datetime.timedelta(days=days_ago)
    return register(world, received=received, today=received, **data)


def _prepare(world, state):
    today = timezone.localdate()
    ctx = {"dept": world.dept.pk, "dept_code": world.dept.code, "proof2": world.proof2.pk, "today": today.isoformat(),
           "later": (today + datetime.timedelta(days=15)).isoformat()}
    if state == "none":
        return ctx
    if state in ("draft", "proof_1", "proof_1_claimed", "first_review", "second_review", "secrecy_review",
                 "approved", "scheduled"):
        item = _draft_with_attachment(world)
        ctx["item"] = item
        if state != "draft":
            actions.submit_item(actor=world.drafter, item=item)
        if state in ("proof_1", "proof_1_claimed"):
            ctx["task"] = actions.open_task_for(item)
            if state == "proof_1_claimed":
                actions.claim_task(actor=world.proof1, task=ctx["task"])
        elif state in ("first_review", "second_review", "secrecy_review"):
            ctx["task"] = approve_all(world, item, stop_before=state)
        elif state in ("approved", "scheduled"):
            approve_all(world, item)
            if state == "scheduled":
                publishing.publish_item(actor=world.publisher, item=reload(item),
                                        at=timezone.now() + datetime.timedelta(days=3))
    elif state == "secrecy_findings":
        ReviewPolicy.objects.create(name="名单两审", steps=["first_review", "secrecy_review"])
        item = actions.create_item(actor=world.drafter, agency=world.dept, data={
            "title": "2024年第二季度低保对象公示", "info_type": InfoType.LIST_PUBLICITY,
            "body": f"<p>林小红，身份证号{ID_NUMBER}，联系电话13812345678。</p>"})
        actions.submit_item(actor=world.drafter, item=item)
        ctx["item"], ctx["task"] = item, approve_all(world, item, stop_before="secrecy_review")
    elif state in ("published", "cleanup", "campaign"):
        # a normative document (validity applies); a general item for cleanup (marked invalid, it goes offline)
        ctx["item"] = _published(world, info_type=InfoType.NORMATIVE_DOCUMENT if state == "published"
                                 else InfoType.GENERAL)
        ctx["amending"] = _published(world, title="关于修改2024年政务公开工作要点的通知").pk
        if state == "cleanup":
            # the publisher also drafts in the department, so that "update" (a new revision) is possible
            Membership.objects.create(user=world.publisher, agency=world.dept, role=Role.DRAFTER)
            ctx["cleanup"] = publishing.open_due_cleanup(item=ctx["item"], today=ctx["item"].next_review_date).pk
        if state == "campaign":
            ctx["campaign"] = publishing.start_campaign(actor=world.office, name="专项清理", agency=world.dept).pk
    elif state == "job":
        ctx["job"] = _export_job(world)
    elif state == "appeal":
        ctx["appeal"] = create_appeal_case(actor=world.office, agency=world.dept, data={
            "kind": "reconsideration", "filed_date": today.isoformat()}).pk
    elif state.startswith("app"):
        _prepare_application(world, state, ctx)
    elif state == "online":
        ctx["online"] = online.submit_online_application(
            agency=world.dept, ip="10.1.1.1", privacy_consent=True,
            id_document=SimpleUploadedFile("id.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64),
            data={"applicant_type": "natural_person", "applicant_name": "王某", "id_type": "id_card",
                  "id_number": ID_NUMBER, "phone": "13812345678", "content": "2024年政务公开工作要点",
                  "delivery_form": "electronic", "delivery_way": "online"})[0].pk
    if "item" in ctx:
        ctx["item"] = reload(ctx["item"])
    return ctx


def _export_job(world):
    """An audit export the auditor started (the test settings run jobs at once)."""
    response = Api(world.auditor).post("/audit/exports", {"format": "csv"})
    assert response.status_code == 202 and response.json()["status"] == "done", response.content
    return response.json()["id"]


def _prepare_application(world, state, ctx):
    handler = world.handler
    today = timezone.localdate()
    if state == "app_supplement_lapsed":
        start = today - datetime.timedelta(days=40)
        app = _application(world, days_ago=40)
        with freeze_time(str(start)):
            disclosure.request_supplement(actor=handler, application=app, requested_date=start, items="请补充",
                                          applicant_due=start + datetime.timedelta(days=10))
    elif state == "app_fee_lapsed":
        start = today - datetime.timedelta(days=60)
        app = _application(world, days_ago=60, item_count=15)
        with freeze_time(str(start)):
            disclosure.issue_fee_notice(actor=handler, application=app, method="per_item", notice_date=start)
    else:
        app = _application(world, item_count=15)
    if state == "app_supplement":
        disclosure.request_supplement(actor=handler, application=app, requested_date=today, items="请补充文号",
                                      applicant_due=today + datetime.timedelta(days=10))
        ctx["letter"] = Letter.objects.get(application=app).pk
    elif state == "app_excessive":
        disclosure.mark_excessive(actor=handler, application=app, reason="一个月内提出300件申请", asked_date=today,
                                  explanation_due=today + datetime.timedelta(days=10))
    elif state == "app_consulting":
        ctx["pause"] = disclosure.start_consultation(actor=handler, application=app, kind="other_agency",
                                                     party="宿州市档案馆", sent_date=today).pk
    elif state == "app_extension":
        disclosure.request_extension(actor=handler, application=app, days=10, reason="需调取档案")
    elif state == "app_fee":
        disclosure.issue_fee_notice(actor=handler, application=app, method="per_item", notice_date=today)
    elif state in ("app_legal", "app_sign", "app_deliver"):
        disclosure.draft_reply(actor=handler, application=app, outcome="disclosed", body="予以公开。")
        if state in ("app_sign", "app_deliver"):
            disclosure.legal_review(actor=world.legal, application=app, approve=True)
        if state == "app_deliver":
            disclosure.sign_reply(actor=world.office, application=app, approve=True)
    ctx["app"] = app.pk


def _path(case, ctx, user):
    values = {k: (v.pk if hasattr(v, "pk") else v) for k, v in ctx.items()}
    item = ctx.get("item")
    values["att"] = item.current_revision.attachments.first().pk if item is not None and \
        item.current_revision.attachments.exists() else 0
    values["task"] = ctx["task"].pk if "task" in ctx else 0
    values["token"] = 0
    if user is not None:
        values["token"] = ApiToken.objects.filter(user=user).order_by("-pk").values_list("pk", flat=True).first()
    return case.path.format(**values)


def _call(case, ctx, user):
    client = Api(user)
    path = _path(case, ctx, user)
    body = case.body(ctx) if callable(case.body) else case.body
    if case.method == "get":
        return client.get(path, {k: v.format(**{k2: str(v2) for k2, v2 in ctx.items()}) for k, v in
                                 (case.params or {}).items()})
    if case.method == "upload":
        if isinstance(body, list):  # only files
            body = (body, {})
        files, fields = body if body else ([("附件二.txt", "附件内容".encode())], {})
        return client.upload(path, files, **fields)
    return getattr(client, case.method)(path, body)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_endpoint_for_every_person(world, case):
    # given: the state the endpoint acts on
    ctx = _prepare(world, case.state)
    outcome = {}
    for person in PEOPLE + [None]:
        sid = transaction.savepoint()
        try:
            before = last_seq()
            user = world.people[person] if person else None
            # when
            response = _call(case, ctx, user)
            # then
            if person is None:
                assert_error(response, 401, "not_authenticated")
                continue
            expected = case.expected(person)
            if expected == case.ok:
                assert response.status_code == case.ok, (person, response.content.decode()[:400])
                assert actions_since(before) == case.audit, person
            else:
                code = {403: "permission_denied", 404: "not_found", 400: "invalid_input"}[expected]
                assert_error(response, expected, code)
                assert actions_since(before) == [], person
            outcome[person] = response.status_code
        finally:
            transaction.savepoint_rollback(sid)
    assert sum(1 for s in outcome.values() if s == case.ok) == len(case.allowed)
