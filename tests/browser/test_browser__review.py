"""End to end in headless Chromium: a seed document goes from the drafter through 三审三校 and 保密审查 to the
public catalogue; a reject-and-resubmit round; a reviewer of another agency cannot see the task."""
import re
from pathlib import Path

import pytest

from audit.models import AuditRecord
from tests.browser.editor import paste_html
from tests.factories import approve_all, build_world, draft, reload
from workflow import actions
from workflow.models import Information, ItemStatus, Revision

pytestmark = pytest.mark.browser

SEED = Path("/work/shared/seeds/003_8b1d9ecc21d7f0f9.txt")
SEED_TITLE = "宁国市人民政府办公室关于印发宁国市2021年政务公开工作要点的通知"
STEPS = [("proof1", "一校"), ("proof2", "二校"), ("proof3", "三校"), ("first", "初审"), ("second", "复审"),
         ("final", "终审"), ("secrecy", "保密审查")]


@pytest.fixture
def world(transactional_db):
    return build_world()


def seed_body():
    """The notice and the first sections of the work plan, as the drafter would paste them."""
    text = SEED.read_text(encoding="utf-8")
    start = text.index("各乡、镇人民政府")
    lines = [line.strip() for line in text[start:].splitlines() if line.strip()]
    return lines[:12]


def back_in_inbox(page):
    """After a decision the page returns to the inbox; otherwise show what the page said."""
    page.wait_for_load_state()
    if not re.search(r"^https?://[^/]+/$", page.url):
        raise AssertionError(f"still on {page.url}: {page.locator('.messages, .errorlist').all_inner_texts()}")


def open_task_from_inbox(session, title):
    page = session.page
    page.goto("/")
    link = page.locator("#queue a", has_text=title)
    if link.count() == 0:
        link = page.locator("#my-tasks a", has_text=title)
    link.first.click()
    page.wait_for_url(re.compile(r"/tasks/\d+/$"))


def test_seed_document_from_draft_to_public_page(world, login):
    paragraphs = seed_body()
    # given the drafter writes up seed 003 with an attachment
    drafter = login("drafter")
    page = drafter.page
    drafter.shot("01-inbox-drafter")
    page.click("text=起草新信息")
    page.fill("#id_title", SEED_TITLE)
    page.fill("#id_doc_number", "宁政办秘〔2021〕80号")
    page.select_option("#id_info_type", "policy_document")
    page.fill("#id_created_date", "2021-11-20")
    page.fill("#id_summary", "印发宁国市2021年政务公开工作要点")
    paste_html(page, "".join(f"<p>{p}</p>" for p in paragraphs))
    page.set_input_files("#id_attachments", files=[
        {"name": "宁国市2021年政务公开工作要点.txt", "mimeType": "text/plain",
         "buffer": "\n".join(paragraphs).encode("utf-8")}])
    drafter.shot("02-item-form")
    page.click("button[name=save]")
    page.wait_for_url(re.compile(r"/items/\d+/$"))
    item = Information.objects.get(title=SEED_TITLE)
    assert page.locator("#item-status").inner_text() == "草稿"
    assert page.locator("#item-body").inner_text().startswith("各乡、镇人民政府")
    page.click("#submit-item")
    page.wait_for_selector("text=已提交审核")
    drafter.shot("03-item-submitted")
    assert reload(item).status == ItemStatus.IN_REVIEW

    # when every proofreader and reviewer approves through the task pages (二校 corrects the text)
    for username, label in STEPS:
        session = login(username, via_form=username == "proof1")
        open_task_from_inbox(session, SEED_TITLE)
        page = session.page
        assert page.locator("main h1").first.inner_text().startswith(label)
        if username == "proof2":
            page.click("summary:has-text('校对修改正文')")
            body = page.input_value("#id_body").replace("予以印发", "印发给你们")
            paste_html(page, body)
            page.fill("#proofread-form #id_comment", "规范用语")
            session.shot("04-task-proofread")
            page.click("#proofread")
        else:
            if username == "secrecy":
                page.select_option("#id_result", "disclosable")
                session.shot("05-task-secrecy")
            if username == "first":
                assert "<ins>" in page.inner_html("#diff") and "印发给你们" in page.inner_text("#diff")
                session.shot("06-task-first-review")
            page.fill("#approve-form #id_comment", f"{label}同意")
            page.click("#approve")
        back_in_inbox(page)
        assert "已" in page.locator(".msg.success").inner_text()
        session.close()
    item = reload(item)
    assert item.status == ItemStatus.APPROVED
    assert item.current_revision.kind == Revision.Kind.PROOFREAD and "印发给你们" in item.body

    # then the publisher publishes from the inbox
    publisher = login("publisher", via_form=False)
    open_task_from_inbox(publisher, SEED_TITLE)
    publisher.shot("07-task-publish")
    publisher.page.click("#publish-now")
    publisher.page.wait_for_url(re.compile(rf"/items/{item.pk}/$"))
    item = reload(item)
    assert item.status == ItemStatus.PUBLISHED and item.index_number
    page = publisher.page
    assert page.locator("#item-status").inner_text() == "已发布"
    assert page.locator("#index-number").inner_text() == item.index_number
    timeline = page.locator("#timeline tbody tr")
    assert timeline.count() == AuditRecord.objects.filter(item=item).count()
    publisher.shot("08-item-published")
    page.goto(f"/items/{item.pk}/sheet/")
    assert "信息公开保密审查审批表" in page.inner_text("#review-sheet")
    assert "郑保密" in page.inner_text("#review-sheet")
    publisher.shot("09-review-sheet")

    # and the public page shows it, without logging in
    public = drafter.context.browser.new_context(base_url=page.url.split("/items/")[0])
    try:
        ppage = public.new_page()
        ppage.goto(f"/gk/item/{item.pk}/")
        text = ppage.inner_text("body")
        assert SEED_TITLE in text and item.index_number in text and "印发给你们" in text
        ppage.screenshot(path=str(Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
                                  / "10-public-item.png"), full_page=True)
    finally:
        public.close()


def test_reject_and_resubmit_round(world, login):
    # given an item at 初审
    item = draft(world, title="关于开展2024年度政府信息公开清理工作的通知")
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item, stop_before="first_review")
    # when the first reviewer rejects it with a reason on the task page
    first = login("first", via_form=False)
    open_task_from_inbox(first, item.title)
    page = first.page
    page.click("#reject")  # no reason: refused, nothing changes
    assert "请填写退回理由" in page.inner_text(".messages")
    assert reload(item).status == ItemStatus.IN_REVIEW
    page.fill("#id_reason", "请写明清理范围和完成时限")
    page.click("#reject")
    back_in_inbox(page)
    assert reload(item).status == ItemStatus.RETURNED
    # then the drafter sees the reason, edits and resubmits
    drafter = login("drafter", via_form=False)
    page = drafter.page
    assert "被退回修改" in page.inner_text("#drafted")
    page.click(f"#drafted a:has-text('{item.title}')")
    assert "请写明清理范围和完成时限" in page.inner_text("#rejection")
    drafter.shot("11-item-returned")
    page.click("a:has-text('修改')")
    paste_html(page, reload(item).body + "<p>清理范围为2023年12月31日前发布的信息，6月30日前完成。</p>")
    page.fill("#id_note", "补充清理范围和时限")
    page.click("button[name=save]")
    page.wait_for_selector("text=已保存为第2版")
    page.click("#submit-item")
    page.wait_for_selector("text=已提交审核（第2轮")
    assert reload(item).status == ItemStatus.IN_REVIEW
    # and 一校 of the new round sees the earlier opinion and what changed
    proof1 = login("proof1", via_form=False)
    open_task_from_inbox(proof1, item.title)
    assert "请写明清理范围和完成时限" in proof1.page.inner_text("#opinions")
    assert "清理范围为2023年12月31日前发布的信息" in proof1.page.inner_text("#diff ins")
    proof1.shot("12-task-resubmitted-diff")
    rounds = list(item.rounds.order_by("number").values_list("status", flat=True))
    assert rounds == ["rejected", "running"]


def test_reviewer_of_another_agency_cannot_see_the_task(world, login):
    item = draft(world, title="关于印发2024年政务公开工作要点的通知")
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    outsider = login("other_first")
    page = outsider.page
    assert item.title not in page.inner_text("main")
    response = page.goto(f"/tasks/{task.pk}/")
    # another agency's task is a 404 like a missing one (the may-see rule), naming nothing
    assert response.status == 404 and "页面不存在" in page.inner_text("main")
    assert world.dept.name not in page.inner_text("main")
    outsider.shot("13-other-agency-denied")
    response = page.goto(f"/items/{item.pk}/")
    assert response.status == 404
    page.goto("/items/")
    assert item.title not in page.inner_text("main")
    # while the proofreader of the item's agency sees it in the queue
    insider = login("proof1", via_form=False)
    assert item.title in insider.page.inner_text("#queue")
    insider.shot("14-inbox-proofreader")
