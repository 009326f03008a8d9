"""Who is told what: every event of the issue reaches the right people, only after the action commits."""
import pytest
from django.core import mail
from django.db import transaction
from freezegun import freeze_time

from disclosure import actions as disclosure_actions
from notices.models import Kind, Notice
from publishing import actions as pub
from tests.factories import approve_all, draft, published, register, reload
from workflow import actions
from workflow.models import InfoType, ReviewPolicy

pytestmark = pytest.mark.django_db


def kinds_of(user):
    return sorted(Notice.objects.filter(recipient=user).values_list("kind", flat=True))


def receivers(kind):
    return sorted(Notice.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks of the block, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_submitted_item_enters_the_proofreaders_queue(world, committing):
    item = draft(world)
    with committing():
        actions.submit_item(actor=world.drafter, item=item)
    assert receivers(Kind.TASK_QUEUED) == ["proof1", "proof2", "proof3"]
    notice = Notice.objects.filter(recipient=world.proof1).get()
    task = actions.open_task_for(item)
    assert notice.url == f"/tasks/{task.pk}/" and item.title in notice.title and "一校" in notice.title
    assert not Notice.objects.filter(recipient__in=[world.drafter, world.other_first, world.first]).exists()


def test_nothing_is_stored_or_sent_when_the_action_rolls_back(world, committing):
    item = draft(world)
    with committing():
        with pytest.raises(RuntimeError), transaction.atomic():
            actions.submit_item(actor=world.drafter, item=item)
            raise RuntimeError("rolled back")
    assert not Notice.objects.exists() and not mail.outbox


def test_approval_tells_the_next_step_and_separation_of_duties_holds(world, committing):
    ReviewPolicy.objects.create(name="两审", steps=["first_review", "second_review", "secrecy_review"])
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    with committing():
        actions.approve_step(actor=world.multi, task=task, expected_hash=reload(item).current_revision.content_hash)
    # multi did 初审 and may not do 复审: only "second" hears of it
    assert receivers(Kind.TASK_QUEUED) == ["second"]


def test_a_returned_item_tells_its_drafter_why_by_mail_too(world, committing):
    world.drafter.email = "drafter@example.gov.cn"
    world.drafter.save()
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    with committing():
        actions.reject_step(actor=world.proof1, task=task, reason="文号格式有误，请按〔2024〕5号格式填写")
    notice = Notice.objects.get(kind=Kind.ITEM_RETURNED)
    assert notice.recipient == world.drafter and "文号格式有误" in notice.body and notice.url == f"/items/{item.pk}/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["drafter@example.gov.cn"]
    assert "文号格式有误" in mail.outbox[0].body and "信息被退回修改" in mail.outbox[0].subject
    assert reload(notice).sent_channels == ["email"]


def test_reassigned_task_tells_the_new_holder(world, committing):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    with committing():
        actions.reassign_task(actor=world.office, task=task, to_user=world.proof2, reason="请假")
    assert receivers(Kind.TASK_ASSIGNED) == ["proof2"]


def test_masking_tells_the_drafter(world, committing):
    ReviewPolicy.objects.create(name="名单两审", steps=["first_review", "secrecy_review"])
    item = actions.create_item(actor=world.drafter, agency=world.dept, data={
        "title": "低保对象公示", "info_type": InfoType.LIST_PUBLICITY,
        "body": "<p>林小红，身份证号350102198001011234，电话13812345678。</p>"})
    actions.submit_item(actor=world.drafter, item=item)
    task = approve_all(world, item, stop_before="secrecy_review")
    with committing():
        rev = actions.mask_item(actor=world.secrecy, task=task)
    notice = Notice.objects.get(kind=Kind.ITEM_MASKED)
    assert notice.recipient == world.drafter and f"第{rev.number}版" in notice.body and "正文" in notice.body
    assert receivers(Kind.TASK_QUEUED) == ["first", "multi"]  # the masked text is reviewed again from the first step


def test_publish_and_withdraw_tell_the_drafter(world, committing):
    with committing():
        item = published(world)
    assert kinds_of(world.drafter) == [Kind.ITEM_PUBLISHED]
    assert reload(item).index_number in Notice.objects.get(kind=Kind.ITEM_PUBLISHED).body
    with committing():
        pub.withdraw_item(actor=world.publisher, item=item, reason="内容已过时")
    assert "内容已过时" in Notice.objects.get(kind=Kind.ITEM_WITHDRAWN).body


def test_cleanup_due_tells_the_publishers(world, committing):
    with freeze_time("2025-01-06 10:00:00+08:00"):
        item = published(world)
    with freeze_time("2026-01-06 10:00:00+08:00"), committing():
        task = pub.open_due_cleanup(item=item)
    notice = Notice.objects.get(kind=Kind.CLEANUP_DUE)
    assert notice.recipient == world.publisher and notice.url == f"/gk/manage/cleanup/{task.pk}/"


def test_request_deadlines_three_and_one_working_days_and_overdue(world, committing):
    app = register(world)  # due Monday 30 March 2026
    with freeze_time("2026-03-25 09:00"), committing():
        disclosure_actions.run_due_work()
    with freeze_time("2026-03-27 09:00"), committing():
        disclosure_actions.run_due_work()
    with freeze_time("2026-03-31 09:00"), committing():
        disclosure_actions.run_due_work()
    titles = list(Notice.objects.filter(recipient=world.handler).order_by("pk").values_list("kind", "title"))
    assert titles[0] == (Kind.REQUEST_DUE, f"【依申请公开】{app.number} 还剩 3 个工作日到达答复期限")
    assert titles[1] == (Kind.REQUEST_DUE, f"【依申请公开】{app.number} 还剩 1 个工作日到达答复期限")
    assert titles[2] == (Kind.REQUEST_OVERDUE, f"【依申请公开】{app.number} 已超过答复期限")
    assert not Notice.objects.exclude(recipient=world.handler).exists()


def test_the_same_task_is_announced_once(world, committing):
    item = draft(world)
    with committing():
        actions.submit_item(actor=world.drafter, item=item)
        task = actions.open_task_for(item)
        actions.claim_task(actor=world.proof1, task=task)
        actions.unclaim_task(actor=world.proof1, task=task)
    from workflow.notify import announce_open_task

    with committing():
        announce_open_task(item.pk)
    assert Notice.objects.filter(recipient=world.proof1, kind=Kind.TASK_QUEUED).count() == 1
