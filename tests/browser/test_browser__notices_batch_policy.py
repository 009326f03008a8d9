"""In headless Chromium: batch-approve three tasks; edit a review policy without JSON; receive a notice.
Each page is also checked with axe-core and photographed at phone width."""
import re

import pytest
from django.contrib.auth import get_user_model

from audit.models import AuditRecord
from notices.models import Kind, Notice
from tests.factories import build_world, draft, reload
from workflow import actions
from workflow.models import ReviewPolicy, StepDecision

from .a11y import PHONE, axe_violations, describe
from .conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    return build_world()


def no_axe_problems(page):
    found = axe_violations(page)
    assert not found, describe(page.url, found)


def phone_shot(session, name):
    session.page.set_viewport_size(PHONE)
    session.shot(f"phone-{name}")
    session.page.set_viewport_size({"width": 1280, "height": 900})


def test_batch_approve_three_tasks(world, login):
    ReviewPolicy.objects.create(name="初审+保密审查", steps=["first_review", "secrecy_review"])
    items = []
    for title in ("关于第一批惠民资金的公示", "关于第二批惠民资金的公示", "关于第三批惠民资金的公示"):
        item = draft(world, title=title)
        actions.submit_item(actor=world.drafter, item=item)
        items.append(reload(item))
    # given the 初审 reviewer's queue holds three items
    first = login("first", via_form=False)
    page = first.page
    page.goto("/")
    for item in items:
        page.check(f"#batch-{actions.open_task_for(item).pk}")
    no_axe_problems(page)
    phone_shot(first, "batch-inbox")
    # when they approve all three at once
    page.fill("#batch-comment-queue", "同意公示")
    page.click("#batch-queue button[name=batch_approve]")
    page.wait_for_selector("#batch-summary")
    # then each has its own decision bound to its own revision, and its own audit record
    assert "已同意 3 项" in page.inner_text("#batch-summary")
    assert page.locator("#batch-results tbody tr.ok").count() == 3
    no_axe_problems(page)
    phone_shot(first, "batch-result")
    for item in items:
        decision = StepDecision.objects.get(round__item=item)
        assert decision.revision_hash == item.current_revision.content_hash and decision.comment == "同意公示"
        assert AuditRecord.objects.filter(item=item, action="workflow.review.approve").count() == 1
        assert actions.open_task_for(item).data["step"] == "secrecy_review"


def test_edit_a_review_policy_without_json(world, login):
    get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    root = login("root", via_form=False)
    page = root.page
    page.goto("/admin/workflow/reviewpolicy/add/")
    assert page.locator("textarea[name=steps]").count() == 0  # no JSON to type
    page.fill("#id_name", "埇桥区一般信息简易流程")
    page.select_option("#id_agency", str(world.dept.pk))
    page.select_option("#id_info_type", "general")
    page.select_option("#id_steps_0", "proof_1")
    page.select_option("#id_steps_1", "first_review")
    page.select_option("#id_steps_2", "secrecy_review")
    phone_shot(root, "policy-editor")
    page.click("input[name=_continue]")
    page.wait_for_url(re.compile(r"/admin/workflow/reviewpolicy/\d+/change/"))
    policy = ReviewPolicy.objects.get(name="埇桥区一般信息简易流程")
    assert policy.steps == ["proof_1", "first_review", "secrecy_review"]
    assert f"{world.dept.name}·一般信息" in page.inner_text(".field-coverage")
    # reorder: drop the proofreading, put 复审 before 保密审查; a policy without 保密审查 is refused
    page.select_option("#id_steps_0", "first_review")
    page.select_option("#id_steps_1", "second_review")
    page.select_option("#id_steps_2", "")
    page.click("input[name=_continue]")
    assert "必须包含保密审查" in page.inner_text(".errorlist")
    page.select_option("#id_steps_2", "secrecy_review")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    assert reload(policy).steps == ["first_review", "second_review", "secrecy_review"]
    page.goto("/admin/workflow/reviewpolicy/")
    assert "初审 → 复审 → 保密审查" in page.inner_text("#result_list")
    page.click("text=查询适用的审核策略")
    page.select_option("#id_agency", str(world.dept.pk))
    page.select_option("#id_info_type", "general")
    page.click("#resolve-form button")
    assert page.inner_text("#resolve-name") == "埇桥区一般信息简易流程"
    assert [r.action for r in AuditRecord.objects.filter(action__startswith="workflow.reviewpolicy.")] == [
        "workflow.reviewpolicy.create", "workflow.reviewpolicy.change"]


def test_a_drafter_receives_a_notice_when_an_item_is_returned(world, login):
    item = draft(world, title="关于开展安全生产大检查的通知")
    actions.submit_item(actor=world.drafter, item=item)
    # the proofreader returns it from the task page
    proof = login("proof1", via_form=False)
    proof.page.goto(f"/tasks/{actions.open_task_for(item).pk}/")
    proof.page.fill("#reject-form textarea[name=reason]", "请补充检查时间安排")
    proof.page.click("#reject")
    proof.page.wait_for_url(re.compile(r"/$"))
    # the drafter sees the count in the header, reads the reason and follows the link
    drafter = login("drafter", via_form=False)
    page = drafter.page
    page.goto("/")
    assert page.inner_text("#notice-count") == "1"
    page.click("#notice-link")
    page.wait_for_url(re.compile(r"/notices/$"))
    row = page.locator("tr.unread")
    assert "信息被退回修改" in row.inner_text() and "请补充检查时间安排" in row.inner_text()
    no_axe_problems(page)
    phone_shot(drafter, "notices")
    row.locator("button", has_text="查看详情").click()
    page.wait_for_url(re.compile(rf"/items/{item.pk}/$"))
    assert page.locator("#notice-count").count() == 0
    assert Notice.objects.get(recipient=world.drafter, kind=Kind.ITEM_RETURNED).read_at is not None
