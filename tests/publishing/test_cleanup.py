"""定期清理 (谁公开、谁清理): due items become cleanup tasks; keep / update / withdraw / mark invalid; campaigns."""
import datetime

import pytest
from freezegun import freeze_time

from audit.models import AuditRecord
from core.errors import InvalidInput, NotAllowedForYou, NotAllowedInState
from core.models import Membership, Role
from publishing import actions as pub
from publishing.models import CleanupCampaign, CleanupTask
from publishing.permissions import cleanup_tasks_for
from tests.factories import EVERYONE, audit_actions, last_seq, person, published, reload

D = datetime.date


def due_task(world, **data):
    with freeze_time("2025-01-06 10:00:00+08:00"):
        item = published(world, **data)
    with freeze_time("2026-01-06 10:00:00+08:00"):
        task = pub.open_due_cleanup(item=item)
    assert task is not None
    return task


@pytest.fixture
def task(world):
    return due_task(world)


@freeze_time("2026-01-07 10:00:00+08:00")
def test_keep_sets_a_new_review_date(world, task):
    seq = last_seq()
    pub.cleanup_keep(actor=world.publisher, task=task, next_review_date=D(2027, 1, 7), comment="内容仍然有效")
    task = reload(task)
    assert task.status == "done" and task.decision == "keep" and task.decided_by == world.publisher
    assert reload(task.item).next_review_date == D(2027, 1, 7)
    assert audit_actions(since=seq) == ["publishing.cleanup.keep"]
    rec = AuditRecord.objects.filter(seq__gt=seq).order_by("seq").first()
    assert rec.subject_type == "publishing.cleanuptask" and rec.subject_id == str(task.pk)
    assert rec.data["next_review_date"] == "2027-01-07" and rec.data["from_review_date"] == "2026-01-06"
    with pytest.raises(NotAllowedInState):
        pub.cleanup_keep(actor=world.publisher, task=task, next_review_date=D(2028, 1, 7))


@freeze_time("2026-01-07 10:00:00+08:00")
@pytest.mark.parametrize("bad", [D(2026, 1, 7), D(2025, 12, 1), None, "2027-01-01"])
def test_keep_needs_a_future_date(world, task, bad):
    seq = last_seq()
    with pytest.raises(InvalidInput) as exc:
        pub.cleanup_keep(actor=world.publisher, task=task, next_review_date=bad)
    assert exc.value.field == "next_review_date"
    assert reload(task).status == "open" and audit_actions(since=seq) == []


def test_update_starts_a_new_revision_that_needs_full_review(world, task):
    # the publisher must also be a drafter: edit_item's own rule
    seq = last_seq()
    with pytest.raises(NotAllowedForYou):
        pub.cleanup_update(actor=world.publisher, task=task, data={"title": "修订后的标题"})
    assert reload(task).status == "open" and audit_actions(since=seq) == []
    assert reload(task.item).status == "published"
    Membership.objects.create(user=world.publisher, agency=world.dept, role=Role.DRAFTER)
    publisher = type(world.publisher).objects.get(pk=world.publisher.pk)  # fresh role cache
    pub.cleanup_update(actor=publisher, task=task, data={"title": "关于印发2024年政务公开工作要点（2026年修订）的通知"},
                       note="依据新规定修订")
    item = reload(task.item)
    assert audit_actions(since=seq) == ["workflow.item.edit", "publishing.cleanup.update"]
    assert item.status == "draft" and item.online
    assert item.published_revision_id != item.current_revision_id
    assert item.current_revision.kind == "update"
    assert reload(task).decision == "update"
    # while it is being updated the tick opens no new cleanup task for it
    with freeze_time("2026-02-01 10:00:00+08:00"):
        assert pub.open_due_cleanup(item=item) is None


def test_withdraw_takes_it_offline(world, task):
    seq = last_seq()
    pub.cleanup_withdraw(actor=world.publisher, task=task, reason="工作已结束，不再需要公开")
    item = reload(task.item)
    assert not item.online and item.status == "withdrawn" and item.offline_reason.startswith("定期清理")
    assert audit_actions(since=seq) == ["publishing.cleanup.withdraw", "publishing.item.withdraw"]
    with pytest.raises(InvalidInput):
        pub.cleanup_withdraw(actor=world.publisher, task=due_task(world), reason="")


def test_mark_invalid_normative_document_stays_online_labelled(world):
    task = due_task(world, title="宿州市行政规范性文件管理办法", info_type="normative_document")
    seq = last_seq()
    pub.cleanup_mark_invalid(actor=world.publisher, task=task, validity="repealed", comment="已被宿政规〔2026〕1号废止")
    item = reload(task.item)
    assert item.validity == "repealed" and item.online
    assert audit_actions(since=seq) == ["publishing.cleanup.invalid", "publishing.validity.repeal"]


def test_mark_invalid_general_item_is_also_withdrawn(world, task):
    seq = last_seq()
    pub.cleanup_mark_invalid(actor=world.publisher, task=task, comment="活动已结束")
    item = reload(task.item)
    assert item.validity == "expired" and not item.online
    assert audit_actions(since=seq) == ["publishing.cleanup.invalid", "publishing.validity.expire",
                                        "publishing.item.withdraw"]
    with pytest.raises(InvalidInput):
        pub.cleanup_mark_invalid(actor=world.publisher, task=due_task(world), comment="x", validity="valid")


def test_withdrawing_outside_cleanup_closes_the_open_task(world, task):
    pub.withdraw_item(actor=world.publisher, item=task.item, reason="发现错误")
    assert reload(task).status == "closed"
    rec = AuditRecord.objects.filter(action="publishing.item.withdraw").get()
    assert rec.data == {"closed_cleanup_tasks": [task.pk]}


@freeze_time("2026-01-07 10:00:00+08:00")
def test_only_the_publishing_agencys_publisher_decides(world, task):
    seq = last_seq()
    for who in EVERYONE:
        if who == "publisher":
            continue
        actor = person(world, who)
        assert not cleanup_tasks_for(actor).filter(pk=task.pk).exists(), who  # the list and the check agree
        for decide in (
            lambda actor=actor: pub.cleanup_keep(actor=actor, task=task, next_review_date=D(2027, 1, 1)),
            lambda actor=actor: pub.cleanup_withdraw(actor=actor, task=task, reason="不再需要"),
            lambda actor=actor: pub.cleanup_mark_invalid(actor=actor, task=task, comment="失效"),
            lambda actor=actor: pub.cleanup_update(actor=actor, task=task, data={"title": "新标题"}),
        ):
            with pytest.raises(NotAllowedForYou):
                decide()
        assert reload(task).status == "open" and audit_actions(since=seq) == [], who
    assert cleanup_tasks_for(world.publisher).filter(pk=task.pk).exists()
    pub.cleanup_keep(actor=world.publisher, task=task, next_review_date=D(2027, 1, 1))
    assert audit_actions(since=seq) == ["publishing.cleanup.keep"]


def test_items_the_scanner_flags_today_come_first(world):
    clean = due_task(world, title="关于开展政务公开培训的通知")
    risky = due_task(world, title="关于依申请公开登记制的通知",
                     body="<p>全面实行依申请公开登记制，做到有申请必登记。</p>")
    assert not risky.privacy_flag
    # the agency adds a sensitive word after publication; a new cleanup pass sees it
    world.dept.sensitive_words = "登记制"
    world.dept.save()
    CleanupTask.objects.all().delete()
    with freeze_time("2026-01-06 10:00:00+08:00"):
        pub.open_due_cleanup(item=clean.item)
        pub.open_due_cleanup(item=risky.item)
    ordered = list(cleanup_tasks_for(world.publisher).filter(status="open"))
    assert [t.item_id for t in ordered] == [risky.item_id, clean.item_id]
    assert ordered[0].privacy_flag and ordered[0].privacy_findings[0]["kind"] == "sensitive_word"
    assert "登记制" not in str(ordered[0].privacy_findings)  # the finding itself is stored masked


# --- campaigns ---------------------------------------------------------------------------------------

def test_campaign_over_a_filter_is_tracked_to_completion(world, topics):
    with freeze_time("2024-06-01 10:00:00+08:00"):
        old_list = published(world, title="2024年低保对象名单公示", info_type="list_publicity", topic=topics["民政"])
        old_notice = published(world, title="关于2024年春节值班安排的通知")
    with freeze_time("2026-02-01 10:00:00+08:00"):
        new_list = published(world, title="2026年低保对象名单公示", info_type="list_publicity")
    seq = last_seq()
    with freeze_time("2026-03-01 10:00:00+08:00"):
        campaign = pub.start_campaign(actor=world.office, name="2026年名单公示类信息专项清理", agency=world.gov,
                                      info_type="list_publicity", published_before=D(2025, 1, 1))
    assert audit_actions(since=seq) == ["publishing.campaign.start"]
    rec = AuditRecord.objects.filter(seq__gt=seq).order_by("seq").first()
    assert rec.data["tasks_created"] == 1 and rec.data["info_type"] == "list_publicity"
    tasks = list(campaign.tasks.all())
    assert [t.item_id for t in tasks] == [old_list.pk]
    assert not CleanupTask.objects.filter(item__in=[old_notice, new_list]).exists()
    assert campaign.status == "running"
    with freeze_time("2026-03-02 10:00:00+08:00"):
        pub.cleanup_withdraw(actor=world.publisher, task=tasks[0], reason="公示期早已结束")
    campaign = reload(campaign)
    assert campaign.status == "completed" and campaign.completed_at is not None
    assert AuditRecord.objects.get(action="publishing.cleanup.withdraw").data["campaign_completed"] is True


def test_campaign_joins_an_already_open_task(world, task):
    campaign = pub.start_campaign(actor=world.office, name="全面清理", agency=world.dept)
    assert list(campaign.tasks.values_list("pk", flat=True)) == [task.pk]
    assert CleanupTask.objects.filter(item=task.item, status="open").count() == 1


def test_campaign_without_matches_is_complete_at_once(world):
    campaign = pub.start_campaign(actor=world.office, name="空行动", agency=world.dept)
    assert campaign.status == CleanupCampaign.Status.COMPLETED


def test_campaign_bad_input(world):
    with pytest.raises(InvalidInput):
        pub.start_campaign(actor=world.office, name=" ", agency=world.dept)
    with pytest.raises(InvalidInput):
        pub.start_campaign(actor=world.office, name="x", agency=world.dept, info_type="nonsense")
    assert not CleanupCampaign.objects.exists()


def test_only_the_disclosure_office_starts_campaigns(world):
    seq = last_seq()
    for who in EVERYONE:
        if who == "office":
            continue
        with pytest.raises(NotAllowedForYou):
            pub.start_campaign(actor=person(world, who), name="专项清理", agency=world.dept)
        assert not CleanupCampaign.objects.exists() and audit_actions(since=seq) == [], who
    pub.start_campaign(actor=world.office, name="专项清理", agency=world.dept)
    assert audit_actions(since=seq) == ["publishing.campaign.start"]
