"""索引号: `<agency code>/<period>-<serial>`, unique and gapless per agency and period, never changed."""
import threading

import pytest
from django.conf import settings as django_settings
from django.db import connections, transaction
from django.test import override_settings
from django.utils import timezone
from freezegun import freeze_time

from core.models import Role
from publishing import index_numbers
from publishing.actions import publish_item
from publishing.models import IndexCounter
from tests.factories import approve_all, approved, make_user, pg_only, published, reload
from workflow import actions


@freeze_time("2026-11-20 10:00:00+08:00")
def test_year_period_and_serials_per_agency(world):
    a = published(world)
    b = published(world, title="关于开展2026年政务公开专项检查的通知")
    assert a.index_number == "11341702000111222F/2026-00001"
    assert b.index_number == "11341702000111222F/2026-00002"
    with transaction.atomic():
        assert index_numbers.allocate(world.other, a.published_at) == "000014349/2026-00001"


@override_settings(SHENFA={**django_settings.SHENFA, "INDEX_PERIOD_FORMAT": "month"})
@freeze_time("2021-11-20 19:55:20+08:00")
def test_month_period_as_in_seed_003(world):
    item = published(world)
    assert item.index_number == "11341702000111222F/202111-00001"


def test_period_follows_local_time_not_utc(world):
    with freeze_time("2026-12-31 23:30:00+08:00"), transaction.atomic():
        assert index_numbers.allocate(world.dept, timezone.now()) == "11341702000111222F/2026-00001"
    with freeze_time("2027-01-01 00:30:00+08:00"), transaction.atomic():
        # still 2026-12-31 in UTC, but 2027 in Asia/Shanghai: a new period, serial 1 again
        assert index_numbers.allocate(world.dept, timezone.now()) == "11341702000111222F/2027-00001"


def test_index_number_is_kept_when_an_update_is_republished(world):
    item = published(world)
    number = item.index_number
    actions.edit_item(actor=world.drafter, item=item, data={"title": "关于印发2024年政务公开工作要点（修订）的通知"})
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item)
    publish_item(actor=world.publisher, item=item)
    item = reload(item)
    assert item.index_number == number
    assert IndexCounter.objects.get(agency=world.dept).last_serial == 1


def test_failed_publication_uses_no_serial(world):
    # given a publication that fails after the serial was allocated (rolled back with it)
    item = approved(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        publish_item(actor=world.publisher, item=item)
        raise RuntimeError("rollback")
    # then the next publication gets serial 1: no gap
    item = reload(item)
    assert item.index_number is None
    publish_item(actor=world.publisher, item=item)
    assert reload(item).index_number.endswith("-00001")


def _in_threads(funcs):
    barrier = threading.Barrier(len(funcs))
    results = [None] * len(funcs)

    def run(i, fn):
        try:
            barrier.wait(timeout=30)
            results[i] = ("ok", fn())
        except Exception as exc:  # noqa: BLE001
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(funcs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
        assert not t.is_alive(), "worker hung"
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_are_unique_and_gapless(world):
    pg_only()

    def allocate():
        with transaction.atomic():
            return index_numbers.allocate(world.dept, timezone.now())

    results = _in_threads([allocate] * 8)
    assert all(kind == "ok" for kind, _ in results), results
    serials = sorted(int(v.rsplit("-", 1)[1]) for _, v in results)
    assert serials == list(range(1, 9))
    assert IndexCounter.objects.get(agency=world.dept).last_serial == 8


@pytest.mark.django_db(transaction=True)
def test_two_publishers_publishing_at_the_same_moment(world):
    pg_only()
    publisher2 = make_user("publisher2", world.dept, Role.PUBLISHER, name="第二发布人")
    items = [approved(world, title=f"关于公布第{i}批政务公开标准目录的通知") for i in range(4)]
    actors = [world.publisher, publisher2, world.publisher, publisher2]
    results = _in_threads([lambda i=i: publish_item(actor=actors[i], item=items[i]) for i in range(4)])
    assert all(kind == "ok" for kind, _ in results), results
    numbers = sorted(reload(i).index_number for i in items)
    assert numbers == [f"11341702000111222F/{numbers[0][19:23]}-0000{n}" for n in range(1, 5)]
    assert IndexCounter.objects.get(agency=world.dept).last_serial == 4
