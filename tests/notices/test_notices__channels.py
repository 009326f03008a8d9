"""Channels: preferences, the daily digest, e-mail, and the webhook against a local HTTP server."""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import override_settings
from freezegun import freeze_time

from core.errors import InvalidInput
from notices import actions, channels
from notices.delivery import deliver, send_digests
from notices.events import store_and_send
from notices.models import Kind, Notice, Preference

pytestmark = pytest.mark.django_db


class Hook(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        Hook.received.append({"body": json.loads(self.rfile.read(length)),
                              "auth": self.headers.get("Authorization")})
        self.send_response(Hook.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def hook_server():
    Hook.received, Hook.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/notify"
    server.shutdown()
    server.server_close()


def webhook_settings(url, **extra):
    return override_settings(SHENFA={**django_settings.SHENFA, "NOTICE_WEBHOOK_URL": url,
                                     "NOTICE_WEBHOOK_TOKEN": "s3cret", "NOTICE_WEBHOOK_TIMEOUT": 2, **extra})


def send(user, title="待认领的初审任务：关于印发工作要点的通知", kind=Kind.TASK_QUEUED):
    return store_and_send(kind=kind, recipient_ids=[user.pk], title=title, body="机构：埇桥区", url="/tasks/1/",
                          key="")


def test_webhook_channel_posts_json_to_a_local_server(world, hook_server):
    actions.set_preference(actor=world.first, channel_names=["webhook"], digest=False)
    with webhook_settings(hook_server):
        [pk] = send(world.first)
    [call] = Hook.received
    assert call["auth"] == "Bearer s3cret"
    assert call["body"]["user"]["username"] == "first" and call["body"]["digest"] is False
    [n] = call["body"]["notices"]
    assert (n["kind"], n["kind_label"], n["url"]) == ("task_queued", "新的待认领任务", "/tasks/1/")
    assert Notice.objects.get(pk=pk).sent_channels == ["webhook"] and not mail.outbox


def test_a_failing_webhook_is_counted_and_stops_nothing(world, hook_server):
    world.first.email = "first@example.gov.cn"
    world.first.save()
    actions.set_preference(actor=world.first, channel_names=["email", "webhook"], digest=False)
    Hook.status = 500
    with webhook_settings(hook_server):
        ids = send(world.first)
        assert deliver(ids) == {"sent": 1, "failed": 1, "digest": 0}
    assert Notice.objects.get(pk=ids[0]).sent_channels == ["email"] and len(mail.outbox) == 2
    with webhook_settings("http://127.0.0.1:9/nothing-listens"):
        assert deliver(ids)["failed"] == 1


def test_digest_readers_get_one_mail_a_day_after_the_digest_hour(world, django_capture_on_commit_callbacks):
    world.first.email = "first@example.gov.cn"
    world.first.save()
    actions.set_preference(actor=world.first, channel_names=["email"], digest=True)
    with freeze_time("2026-03-02 15:00:00+08:00"):
        send(world.first, title="第一条")
        send(world.first, title="第二条")
    assert not mail.outbox and Notice.objects.filter(digest_pending=True).count() == 2
    with freeze_time("2026-03-03 07:00:00+08:00"):
        assert send_digests()["digests"] == 0  # before 08:00 Beijing
    with freeze_time("2026-03-03 08:05:00+08:00"), django_capture_on_commit_callbacks(execute=True):
        assert send_digests()["digests"] == 1
        assert send_digests()["digests"] == 0  # once a day
    [message] = mail.outbox
    assert "汇总（2 条）" in message.subject and "第一条" in message.body and "第二条" in message.body
    assert not Notice.objects.filter(digest_pending=True).exists()


def test_people_without_a_choice_get_mail_when_they_have_an_address(world):
    send(world.first)
    assert not mail.outbox  # no address on file: in-app only
    world.second.email = "second@example.gov.cn"
    world.second.save()
    send(world.second)
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("【审发】待认领的初审任务")


def test_preferences_are_validated(world):
    with pytest.raises(InvalidInput, match="未知的通知渠道"):
        actions.set_preference(actor=world.first, channel_names=["pigeon"], digest=False)
    with pytest.raises(InvalidInput, match="没有登记电子邮箱"):
        actions.set_preference(actor=world.first, channel_names=["email"], digest=False)
    pref = actions.set_preference(actor=world.first, channel_names=[], digest=True)
    assert (pref.channels, pref.digest) == ([], True) and Preference.objects.count() == 1


def test_channels_are_pluggable_by_dotted_path(world):
    with override_settings(SHENFA={**django_settings.SHENFA, "NOTICE_CHANNELS": ["notices.channels.EmailChannel"]}):
        assert list(channels.configured()) == ["email"]
    assert list(channels.configured()) == ["email", "webhook"]


def test_inactive_people_and_repeated_keys_get_nothing(world):
    world.first.is_active = False
    world.first.save()
    assert send(world.first) == []
    kw = dict(kind=Kind.CLEANUP_DUE, recipient_ids=[world.publisher.pk], title="t", body="", url="", key="cleanup:1")
    assert len(store_and_send(**kw)) == 1 and store_and_send(**kw) == []


def test_only_copies_to_send_start_a_worker_job(world):
    from core.models import Job

    send(world.first)  # no address, no channel: in-app only
    assert not Job.objects.filter(kind="notices.deliver").exists()
    world.second.email = "second@example.gov.cn"
    world.second.save()
    send(world.second)
    job = Job.objects.get(kind="notices.deliver")
    assert job.status == "done" and job.result == {"sent": 1, "failed": 0, "digest": 0}
