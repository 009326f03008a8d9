"""Production path: Celery beat's "core.tasks.tick" runs through the real Redis broker and a worker."""
import datetime
import os

import pytest
from django.utils import timezone

from audit.models import AuditRecord
from publishing.actions import publish_item
from tests.factories import approved, reload
from workflow.models import Information


def _redis_url():
    return os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


def _redis_reachable(url):
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return True
    except Exception:  # noqa: BLE001
        return False


def test_beat_schedule_names_the_task():
    from django.conf import settings

    from project.celery import app

    assert settings.CELERY_BEAT_SCHEDULE["shenfa-tick"]["task"] == "core.tasks.tick"
    app.loader.import_default_modules()
    assert "core.tasks.tick" in app.tasks


@pytest.mark.django_db(transaction=True)
def test_tick_task_runs_through_redis_and_a_worker(world):
    url = _redis_url()
    if not _redis_reachable(url):
        pytest.skip("Redis is not reachable")
    from celery.contrib.testing.worker import start_worker

    from core.tasks import tick
    from project.celery import app

    # given an item scheduled for a time that has now passed
    item = approved(world)
    publish_item(actor=world.publisher, item=item, at=timezone.now() + datetime.timedelta(hours=1))
    Information.objects.filter(pk=item.pk).update(publish_at=timezone.now() - datetime.timedelta(minutes=1))

    queue = f"shenfa-test-{os.getpid()}"  # never steal work from (or give it to) another worker
    app.conf.update(broker_url=url, result_backend=url, task_default_queue=queue, task_always_eager=False)
    with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=30):
        # when beat sends the task (here: sent the same way, by name, to the broker)
        result = tick.apply_async(queue=queue)
        summary = result.get(timeout=60)
    # then the worker ran the tick against the database
    assert summary["publishing"]["published"] == 1 and summary["errors"] == 0
    item = reload(item)
    assert item.status == "published" and item.online
    assert AuditRecord.objects.filter(item=item, action="publishing.item.publish").count() == 1
