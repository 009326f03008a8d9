"""`manage.py tick`: scheduled publication, 公示期 expiry, Art. 26 deadlines, cleanup due dates; idempotent."""
import datetime
import io
import threading

import chinese_calendar
import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from audit.models import AuditRecord
from core import calendar as workdays
from publishing import actions as publishing_actions
from publishing.actions import publish_item, withdraw_item
from publishing.models import CleanupTask, DisclosureDeadline
from publishing.scheduler import run_due_work
from tests.factories import approve_all, approved, audit_actions, draft, last_seq, pg_only, published, reload
from workflow import actions
from workflow.models import Information

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def test_scheduled_publication_happens_once_when_due(world, client):
    # given an approved item scheduled for 2026-03-02 09:00
    with freeze_time("2026-03-01 10:00:00+08:00"):
        item = approved(world)
        publish_item(actor=world.publisher, item=item, at=at("2026-03-02T09:00:00"))
    item = reload(item)
    assert item.status == "scheduled" and not item.online and item.index_number is None
    assert audit_actions(item)[-1] == "publishing.item.schedule"
    # when the tick runs before the time: nothing
    with freeze_time("2026-03-02 08:59:00+08:00"):
        assert run_due_work()["published"] == 0
    assert reload(item).status == "scheduled"
    # when it runs at the time: published, by the publisher who scheduled it
    seq = last_seq()
    with freeze_time("2026-03-02 09:00:30+08:00"):
        out = io.StringIO()
        call_command("tick", stdout=out)
    assert "publishing.published=1" in out.getvalue()
    item = reload(item)
    assert item.status == "published" and item.online and item.index_number.endswith("/2026-00001")
    assert audit_actions(item, since=seq) == ["publishing.item.publish"]
    record = AuditRecord.objects.get(item=item, action="publishing.item.publish")
    assert record.actor_id == world.publisher.pk and record.data["scheduled"] is True
    assert client.get(reverse("publishing:item", args=[item.pk])).status_code == 200
    # and a second run does nothing more
    with freeze_time("2026-03-02 09:01:30+08:00"):
        assert run_due_work()["published"] == 0
    assert audit_actions(item, since=seq) == ["publishing.item.publish"]


def test_unscheduling_before_the_time_keeps_it_unpublished(world):
    with freeze_time("2026-03-01 10:00:00+08:00"):
        item = approved(world)
        publish_item(actor=world.publisher, item=item, at=at("2026-03-02T09:00:00"))
        withdraw_item(actor=world.publisher, item=item, reason="发布时间待定")
    assert reload(item).status == "approved"
    assert audit_actions(item)[-2:] == ["publishing.item.schedule", "publishing.item.unschedule"]
    with freeze_time("2026-03-03 09:00:00+08:00"):
        assert run_due_work()["published"] == 0
    assert reload(item).status == "approved"


def test_display_period_ends_and_item_goes_offline(world, client):
    with freeze_time("2026-05-11 10:00:00+08:00"):
        item = published(world, title="关于2026年城乡居民最低生活保障对象的公示", info_type="list_publicity",
                         display_days=7)
    # 7 working days, counted from the day after publication (Mon 05-11): 05-12 … 05-20, to its end
    assert reload(item).display_until == at("2026-05-20T23:59:59")
    with freeze_time("2026-05-20 23:59:00+08:00"):
        assert run_due_work()["expired"] == 0
    seq = last_seq()
    with freeze_time("2026-05-21 00:00:00+08:00"):
        assert run_due_work()["expired"] == 1
        assert run_due_work()["expired"] == 0
    item = reload(item)
    assert item.status == "expired" and not item.online and item.offline_reason == "公示期满"
    assert audit_actions(item, since=seq) == ["publishing.item.expire"]
    record = AuditRecord.objects.get(item=item, action="publishing.item.expire")
    assert record.actor_id is None and record.actor_name == "系统"
    assert record.from_state == "published" and record.to_state == "expired"
    assert client.get(reverse("publishing:item", args=[item.pk])).status_code == 404


def test_display_period_counts_working_days_5_from_11_26_ends_12_03(world, client):
    # issue 13: a notice of 5 working days published on Thursday 2026-11-26 runs to 12-03, not 12-01
    with freeze_time("2026-11-26 10:00:00+08:00"):
        item = published(world, title="关于2026年第四批低保对象的公示", info_type="list_publicity", display_days=5)
    item = reload(item)
    assert item.display_until == at("2026-12-03T23:59:59")
    client.force_login(world.drafter)
    assert "5 个工作日（至 2026-12-03）" in client.get(reverse("workflow:item", args=[item.pk])).content.decode()
    with freeze_time("2026-12-02 10:00:00+08:00"):
        assert run_due_work()["expired"] == 0


def _expected_due(start, n):
    day, left = start, n
    while left:
        day += datetime.timedelta(days=1)
        if chinese_calendar.is_workday(day):
            left -= 1
    return day


def test_art26_limit_counts_working_days_over_national_day(world):
    # formed on Friday 2026-09-25; National Day holidays and the 调休 Saturday come in between
    expected = _expected_due(datetime.date(2026, 9, 25), 20)
    assert workdays.add_working_days(datetime.date(2026, 9, 25), 20) == expected
    assert expected > datetime.date(2026, 9, 25) + datetime.timedelta(days=28)  # more than 4 plain weeks


def test_overdue_proactive_information_is_flagged_once(world, client):
    # given proactive information formed on 2026-09-25, still in review weeks later
    with freeze_time("2026-09-25 09:00:00+08:00"):
        item = draft(world, created_date=datetime.date(2026, 9, 25))
        actions.submit_item(actor=world.drafter, item=item)
    due = _expected_due(datetime.date(2026, 9, 25), 20)
    with freeze_time(f"{due.isoformat()} 18:00:00+08:00"):
        assert run_due_work()["overdue_flagged"] == 0  # due today: not overdue yet
    deadline = DisclosureDeadline.objects.get(item=item)
    assert deadline.due_date == due and reload(item).disclosure_due == due and not deadline.overdue
    seq = last_seq()
    with freeze_time(f"{(due + datetime.timedelta(days=1)).isoformat()} 09:00:00+08:00"):
        assert run_due_work()["overdue_flagged"] == 1
        assert run_due_work()["overdue_flagged"] == 0
    assert audit_actions(item, since=seq) == ["publishing.deadline.overdue"]
    assert DisclosureDeadline.objects.get(item=item).overdue
    # the publisher sees it flagged on the overdue list
    client.force_login(world.publisher)
    page = client.get(reverse("publishing:overdue")).content.decode()
    assert item.title in page and "已超期" in page
    # publishing late meets it and records the lateness
    with freeze_time(f"{(due + datetime.timedelta(days=3)).isoformat()} 09:00:00+08:00"):
        approve_all(world, item)
        publish_item(actor=world.publisher, item=item)
    deadline = DisclosureDeadline.objects.get(item=item)
    assert deadline.met_on == due + datetime.timedelta(days=3) and deadline.late and not deadline.overdue
    assert AuditRecord.objects.get(item=item, action="publishing.item.publish").data["late"] is True


def test_update_of_published_information_starts_a_new_period(world):
    with freeze_time("2026-03-02 09:00:00+08:00"):
        item = published(world, created_date=datetime.date(2026, 3, 2))
    with freeze_time("2026-06-01 09:00:00+08:00"):
        actions.edit_item(actor=world.drafter, item=item,
                          data={"title": "关于印发2024年政务公开工作要点（修订）的通知"})
        run_due_work()
    deadline = DisclosureDeadline.objects.get(item=item)
    assert deadline.formed_on == datetime.date(2026, 6, 1) and deadline.met_on is None
    assert deadline.due_date == _expected_due(datetime.date(2026, 6, 1), 20)


def test_items_not_proactive_have_no_art26_deadline(world):
    with freeze_time("2026-03-02 09:00:00+08:00"):
        item = draft(world, disclosure_mode="on_request")
    with freeze_time("2026-06-01 09:00:00+08:00"):
        run_due_work()
    assert not DisclosureDeadline.objects.filter(item=item).exists()


def test_cleanup_due_date_opens_one_task(world, topics):
    with freeze_time("2026-01-05 10:00:00+08:00"):
        item = published(world, topic=topics["综合政务"])  # cleanup interval 180 days
    item = reload(item)
    assert item.next_review_date == datetime.date(2026, 7, 4)
    with freeze_time("2026-07-03 10:00:00+08:00"):
        assert run_due_work()["cleanup_opened"] == 0
    seq = last_seq()
    with freeze_time("2026-07-04 10:00:00+08:00"):
        assert run_due_work()["cleanup_opened"] == 1
        assert run_due_work()["cleanup_opened"] == 0
    task = CleanupTask.objects.get(item=item)
    assert task.status == "open" and task.due_date == datetime.date(2026, 7, 4) and not task.privacy_flag
    assert audit_actions(item, since=seq) == ["publishing.cleanup.open"]


def test_default_cleanup_interval_from_settings(world, settings):
    settings.SHENFA = {**settings.SHENFA, "CLEANUP_INTERVAL_DAYS": 30}
    with freeze_time("2026-01-05 10:00:00+08:00"):
        item = published(world)
    assert reload(item).next_review_date == datetime.date(2026, 2, 4)


def test_tick_runs_the_disclosure_apps_due_work(world):
    from core.tick import registered, run_all

    # by the apps, in INSTALLED_APPS order (audit: the signed checkpoints of the audit chains)
    assert registered()[:5] == ["jobs", "audit", "notices", "publishing", "disclosure"]
    summary = run_all()
    assert isinstance(summary["disclosure"], dict) and "closed_no_supplement" in summary["disclosure"]
    assert summary["errors"] == 0


@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_the_same_moment_publish_each_item_once(world):
    pg_only()
    with freeze_time("2026-03-01 10:00:00+08:00"):
        items = [approved(world, title=f"关于公布第{i}批政务服务事项目录的通知") for i in range(3)]
        for item in items:
            publish_item(actor=world.publisher, item=item, at=at("2026-03-02T09:00:00"))
    seq = last_seq()
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait(timeout=30)
            results.append(run_due_work(now=at("2026-03-02T09:00:05")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
        assert not t.is_alive()
    assert len(results) == 2 and all(r["errors"] == 0 for r in results), results
    assert sum(r["published"] for r in results) == 3
    publishes = AuditRecord.objects.filter(seq__gt=seq, action="publishing.item.publish")
    assert sorted(publishes.values_list("item_id", flat=True)) == sorted(i.pk for i in items)
    numbers = sorted(reload(i).index_number[-5:] for i in items)
    assert numbers == ["00001", "00002", "00003"]
    assert all(reload(i).status == "published" for i in items)


def test_tick_exits_non_zero_when_one_item_fails_and_still_does_the_others(world, monkeypatch):
    # given two scheduled items whose time has come, the first of which cannot be published
    first, second = approved(world), approved(world)
    for item in (first, second):
        publish_item(actor=world.publisher, item=item, at=timezone.now() + datetime.timedelta(hours=1))
    Information.objects.filter(pk__in=[first.pk, second.pk]).update(
        publish_at=timezone.now() - datetime.timedelta(minutes=1))
    real = publishing_actions.publish_due_item

    def broken(*, item, now=None):
        if item.pk == first.pk:
            raise RuntimeError("disk full")
        return real(item=item, now=now)

    monkeypatch.setattr(publishing_actions, "publish_due_item", broken)
    # when the tick runs
    with pytest.raises(CommandError):
        call_command("tick", stdout=io.StringIO())
    # then the other item was published all the same
    assert reload(second).status == "published" and reload(first).status == "scheduled"
