"""Task pages of proofreaders, reviewers, the secrecy reviewer and the publisher, through the test client."""
import re

import pytest
from django.urls import reverse

from audit.models import AuditRecord
from tests.factories import STEP_ACTOR, approve_all, draft, reload
from workflow import actions
from workflow.models import ItemStatus, ReviewRound, Revision, StepDecision

pytestmark = pytest.mark.django_db


def as_user(client, user):
    client.force_login(user)
    return client


def actions_of(item):
    return list(AuditRecord.objects.filter(item=item).order_by("seq").values_list("action", flat=True))


def submitted(world, **data):
    item = draft(world, **data)
    actions.submit_item(actor=world.drafter, item=item)
    return reload(item)


def task_url(task, name="task"):
    return reverse(f"workflow:{name}", kwargs={"task_pk": task.pk})


def shown_hash(html):
    return re.search(r'name="expected_hash" value="([0-9a-f]{64})"', html).group(1)


def test_task_page_shows_item_findings_opinions_and_the_hash_it_posts(client, world):
    # given an item whose first round was rejected at 初审 and that was resubmitted
    item = submitted(world)
    approve_all(world, item, stop_before="first_review")
    task = actions.open_task_for(item)
    actions.reject_step(actor=world.first, task=task, reason="文号格式有误，请核对")
    actions.edit_item(actor=world.drafter, item=item, data={"doc_number": "宿政办发〔2024〕6号"})
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    # when proofreader 1 opens the new round's task
    resp = as_user(client, world.proof1).get(task_url(task))
    # then the page shows the item, both rounds' opinions, the pre-check and the current hash
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "一校" in html and item.title in html
    assert "文号格式有误，请核对" in html and "第1轮" in html and "孙初审" in html
    assert 'id="findings"' in html
    assert shown_hash(html) == reload(item).current_revision.content_hash
    # and the metadata change against the last approved revision
    assert "宿政办发〔2024〕6号" in html and "<ins>" in html


def test_claim_then_approve_through_the_page_writes_the_audit_records(client, world):
    item = submitted(world)
    task = actions.open_task_for(item)
    c = as_user(client, world.proof1)
    resp = c.post(task_url(task, "task_claim"))
    assert resp.status_code == 302
    page = c.get(task_url(task)).content.decode()
    assert "您已认领此任务" in page
    resp = c.post(task_url(task, "task_approve"), {"comment": "无误", "expected_hash": shown_hash(page)})
    assert resp.status_code == 302 and resp["Location"] == reverse("workflow:inbox")
    assert actions_of(item)[-2:] == ["workflow.task.claim", "workflow.review.approve"]
    decision = StepDecision.objects.get(round__item=item, step="proof_1")
    assert decision.actor == world.proof1 and decision.comment == "无误"
    assert actions.open_task_for(item).data["step"] == "proof_2"


def test_approve_with_a_stale_hash_is_refused_with_409_and_the_message(client, world):
    item = submitted(world)
    task = actions.open_task_for(item)
    c = as_user(client, world.proof1)
    resp = c.post(task_url(task, "task_approve"), {"comment": "", "expected_hash": "0" * 64})
    assert resp.status_code == 409
    assert "信息内容在您审阅期间已变更" in resp.content.decode()
    assert not StepDecision.objects.filter(round__item=item).exists()
    assert actions_of(item) == ["workflow.item.create", "workflow.item.submit"]


def test_task_claimed_by_someone_else_cannot_be_approved(client, world):
    item = submitted(world)
    task = actions.open_task_for(item)
    actions.claim_task(actor=world.proof2, task=task)
    c = as_user(client, world.proof1)
    page = c.get(task_url(task)).content.decode()
    assert "已由 赵二校 认领" in page and 'id="approve"' not in page
    resp = c.post(task_url(task, "task_approve"), {"expected_hash": item.current_revision.content_hash})
    assert resp.status_code == 409 and "该任务已被他人认领" in resp.content.decode()


def test_reject_needs_a_reason_then_returns_to_drafter_who_sees_it(client, world):
    item = submitted(world)
    approve_all(world, item, stop_before="second_review")
    task = actions.open_task_for(item)
    c = as_user(client, world.second)
    resp = c.post(task_url(task, "task_reject"), {"reason": "  "})
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "请填写退回理由" in html and 'id="error-reason"' in html
    assert reload(item).status == ItemStatus.IN_REVIEW
    resp = c.post(task_url(task, "task_reject"), {"reason": "请补充政策依据"})
    assert resp.status_code == 302
    assert reload(item).status == ItemStatus.RETURNED
    assert actions_of(item)[-2:] == ["workflow.task.claim", "workflow.review.reject"]
    # the drafter sees the reason on the item page and on the edit page, and resubmits
    d = as_user(client, world.drafter)
    for url in (reverse("workflow:item", args=[item.pk]), reverse("workflow:item_edit", args=[item.pk])):
        html = d.get(url).content.decode()
        assert "退回意见" in html and "请补充政策依据" in html and "周复审" in html
    assert "重新提交审核" in d.get(reverse("workflow:item", args=[item.pk])).content.decode()
    resp = d.post(reverse("workflow:item_edit", args=[item.pk]), {
        **_form_data(reload(item)), "body": item.body + "<p>依据《政府信息公开条例》第二十六条。</p>",
        "note": "补充依据",
    })
    assert resp.status_code == 302
    resp = d.post(reverse("workflow:item_submit", args=[item.pk]))
    assert resp.status_code == 302
    assert ReviewRound.objects.filter(item=item).count() == 2 and reload(item).status == ItemStatus.IN_REVIEW


def test_return_to_an_earlier_step(client, world):
    item = submitted(world)
    approve_all(world, item, stop_before="first_review")
    task = actions.open_task_for(item)
    c = as_user(client, world.first)
    html = c.get(task_url(task)).content.decode()
    assert 'id="return-form"' in html and "三校" in html
    resp = c.post(task_url(task, "task_return"), {"to_step": "proof_3", "reason": "错别字较多，请重新校对"})
    assert resp.status_code == 302
    assert actions.open_task_for(item).data["step"] == "proof_3"
    assert actions_of(item)[-1] == "workflow.review.return"


def test_return_to_a_step_not_yet_passed_is_invalid(client, world):
    item = submitted(world)
    task = actions.open_task_for(item)
    resp = as_user(client, world.proof1).post(task_url(task, "task_return"),
                                               {"to_step": "final_review", "reason": "x"})
    assert resp.status_code == 400
    assert actions.open_task_for(item).data["step"] == "proof_1"


def test_proofreader_edits_the_text_as_a_new_revision(client, world):
    item = submitted(world)
    task = actions.open_task_for(item)
    c = as_user(client, world.proof1)
    page = c.get(task_url(task)).content.decode()
    assert 'id="proofread-form"' in page
    new_body = item.body.replace("认真贯彻落实", "认真抓好落实")
    resp = c.post(task_url(task, "task_proofread"), {"body": new_body, "comment": "修改措辞",
                                                     "expected_hash": shown_hash(page)})
    assert resp.status_code == 302
    item = reload(item)
    assert item.current_revision.kind == Revision.Kind.PROOFREAD and item.current_revision.number == 2
    assert "认真抓好落实" in item.body
    assert actions_of(item)[-3:] == ["workflow.task.claim", "workflow.proofread.edit", "workflow.review.approve"]
    # the next proofreader sees the correction as a diff against the approved first revision
    html = as_user(client, world.proof2).get(task_url(actions.open_task_for(item))).content.decode()
    assert "<del>贯彻</del>" in html or "<del>贯彻落实</del>" in html
    assert "<ins>抓好</ins>" in html or "<ins>抓好落实</ins>" in html


def test_only_proofreading_steps_offer_text_edits(client, world):
    item = submitted(world)
    approve_all(world, item, stop_before="first_review")
    task = actions.open_task_for(item)
    c = as_user(client, world.first)
    assert 'id="proofread-form"' not in c.get(task_url(task)).content.decode()
    resp = c.post(task_url(task, "task_proofread"), {"body": "<p>x</p>", "expected_hash":
                                                     reload(item).current_revision.content_hash})
    assert resp.status_code == 403 and "只有校对步骤可以修改正文" in resp.content.decode()


def test_secrecy_reviewer_decides_disclosable(client, world):
    item = submitted(world)
    approve_all(world, item, stop_before="secrecy_review")
    task = actions.open_task_for(item)
    c = as_user(client, world.secrecy)
    page = c.get(task_url(task)).content.decode()
    assert "保密审查结论" in page and "不予公开理由" in page and "依法公开的依据" in page
    resp = c.post(task_url(task, "task_approve"), {"result": "disclosable", "comment": "不涉密",
                                                   "expected_hash": shown_hash(page)})
    assert resp.status_code == 302
    assert reload(item).status == ItemStatus.APPROVED
    assert actions_of(item)[-3:] == ["workflow.task.claim", "workflow.secrecy.decide", "workflow.item.approve"]


def test_secrecy_not_disclosable_needs_a_ground(client, world):
    item = submitted(world)
    approve_all(world, item, stop_before="secrecy_review")
    task = actions.open_task_for(item)
    c = as_user(client, world.secrecy)
    h = reload(item).current_revision.content_hash
    resp = c.post(task_url(task, "task_approve"), {"result": "not_disclosable", "expected_hash": h})
    assert resp.status_code == 400 and "须选择条例第十四至十六条规定的理由" in resp.content.decode()
    assert reload(item).status == ItemStatus.IN_REVIEW
    resp = c.post(task_url(task, "task_approve"), {"result": "not_disclosable", "ground": "process_info",
                                                   "comment": "属于过程性信息", "expected_hash": h})
    assert resp.status_code == 302
    assert reload(item).status == ItemStatus.NOT_DISCLOSED


def test_secrecy_findings_block_approval_until_a_ground_is_given(client, world):
    item = submitted(world, body="<p>联系人：王某，手机13812345678，身份证号110101199003074514。</p>")
    approve_all(world, item, stop_before="secrecy_review")
    task = actions.open_task_for(item)
    c = as_user(client, world.secrecy)
    page = c.get(task_url(task)).content.decode()
    assert "保密预检发现 2 处" in page and "138****5678" in page and "手机号码" in page
    resp = c.post(task_url(task, "task_approve"), {"result": "disclosable", "expected_hash": shown_hash(page)})
    assert resp.status_code == 400
    assert 'id="error-override_ground"' in resp.content.decode()
    resp = c.post(task_url(task, "task_approve"), {"result": "disclosable", "expected_hash": shown_hash(page),
                                                   "override_ground": "经本人书面同意公开联系方式"})
    assert resp.status_code == 302 and reload(item).status == ItemStatus.APPROVED


def test_publish_task_page_offers_publishing(client, world):
    item = submitted(world)
    publish_task = approve_all(world, item)
    c = as_user(client, world.publisher)
    html = c.get(task_url(publish_task)).content.decode()
    assert 'id="publish-now"' in html
    resp = c.post(reverse("workflow:item_publish", args=[item.pk]), {"at": ""})
    assert resp.status_code == 302
    item = reload(item)
    assert item.status == ItemStatus.PUBLISHED and item.index_number
    html = c.get(reverse("workflow:item", args=[item.pk])).content.decode()
    assert item.index_number in html and "已发布" in html


def test_every_default_step_through_the_pages(client, world):
    item = submitted(world)
    for step, who in STEP_ACTOR.items():
        if step == "legal_review":
            continue
        task = actions.open_task_for(item)
        assert task.data["step"] == step
        c = as_user(client, world.people[who])
        page = c.get(task_url(task)).content.decode()
        data = {"comment": "同意", "expected_hash": shown_hash(page)}
        if step == "secrecy_review":
            data["result"] = "disclosable"
        assert c.post(task_url(task, "task_approve"), data).status_code == 302
    assert reload(item).status == ItemStatus.APPROVED


def _form_data(item):
    from web.workflow.forms import ItemForm

    data = {}
    for name, value in ItemForm.initial_for(item).items():
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def test_unclaim_puts_the_task_back_and_a_done_task_page_says_so(client, world):
    item = submitted(world)
    task = actions.open_task_for(item)
    c = as_user(client, world.proof1)
    c.post(task_url(task, "task_claim"))
    assert c.post(task_url(task, "task_unclaim")).status_code == 302
    assert reload(task).owner_id is None
    assert actions_of(item)[-2:] == ["workflow.task.claim", "workflow.task.unclaim"]
    page = c.get(task_url(task)).content.decode()
    c.post(task_url(task, "task_approve"), {"expected_hash": shown_hash(page)})
    html = c.get(task_url(task)).content.decode()
    assert "该任务已处理完毕" in html and 'id="approve"' not in html
    resp = c.post(task_url(task, "task_approve"), {"expected_hash": shown_hash(page)})
    assert resp.status_code == 409 and "该任务已被处理或已取消" in resp.content.decode()


def test_first_revision_has_no_baseline_to_compare(client, world):
    item = draft(world)
    html = as_user(client, world.drafter).get(reverse("workflow:revision", args=[item.pk, 1])).content.decode()
    assert "此前没有经过审核的版本" in html and "<del>" not in html
