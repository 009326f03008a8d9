"""Sending the copies: the worker job "notices.deliver" (right after the action committed) and the daily
digest (a tick job). Each person's preference decides the channels; a channel failure is logged and counted
and never stops the other people or channels."""
from __future__ import annotations

import logging
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.conf import shenfa_setting

from . import channels
from .models import Kind, Notice, Preference

log = logging.getLogger("shenfa.notices")


def preference_of(user) -> tuple[list[str], bool]:
    """(channel names, digest?) of a person; without a saved choice, NOTICE_DEFAULT_CHANNELS and no digest."""
    pref = Preference.objects.filter(user=user).first()
    if pref is None:
        return list(shenfa_setting("NOTICE_DEFAULT_CHANNELS")), False
    return list(pref.channels or []), pref.digest


def route_of(user) -> str:
    """"now" (some chosen channel can reach the person), "digest" (they read a daily summary) or "none"."""
    wanted, digest = preference_of(user)
    reachable = any(name in wanted and channel.available(user) for name, channel in channels.configured().items())
    if not reachable:
        return "none"
    return "digest" if digest else "now"


def message_of(notice: Notice) -> channels.Message:
    return channels.Message(kind=notice.kind, kind_label=str(Kind(notice.kind).label), title=notice.title,
                            body=notice.body, url=notice.url,
                            created_at=timezone.localtime(notice.created_at).isoformat(timespec="seconds"))


def send_copies(user, notices: list[Notice], *, digest: bool) -> dict:
    """Send `notices` through the person's chosen channels; returns {"sent": n, "failed": n}."""
    wanted, _digest = preference_of(user)
    counts = {"sent": 0, "failed": 0}
    messages = [message_of(n) for n in notices]
    for name, channel in channels.configured().items():
        if name not in wanted or not channel.available(user):
            continue
        try:
            channel.send(user, messages, digest=digest)
        except channels.ChannelError as exc:
            log.warning("notice channel %s failed for %s: %s", name, user.pk, exc)
            counts["failed"] += 1
            continue
        counts["sent"] += 1
        for n in notices:
            n.sent_channels = sorted({*n.sent_channels, name})
    Notice.objects.bulk_update(notices, ["sent_channels"])
    return counts


def deliver(ids: list[int]) -> dict:
    """Send the copies of freshly stored notices (or mark them for the person's daily digest)."""
    counts = {"sent": 0, "failed": 0, "digest": 0}
    notices = list(Notice.objects.filter(pk__in=ids).select_related("recipient").order_by("pk"))
    by_user: dict[int, list[Notice]] = {}
    for n in notices:
        by_user.setdefault(n.recipient_id, []).append(n)
    for group in by_user.values():
        user = group[0].recipient
        _wanted, digest = preference_of(user)
        if digest:
            Notice.objects.filter(pk__in=[n.pk for n in group]).update(digest_pending=True)
            counts["digest"] += len(group)
            continue
        result = send_copies(user, group, digest=False)
        counts["sent"] += result["sent"]
        counts["failed"] += result["failed"]
    return counts


def deliver_job(job, progress) -> dict:
    """core.jobs handler of "notices.deliver"."""
    return deliver([int(i) for i in job.params.get("ids", [])][:1000])


def send_digests(now: datetime | None = None) -> dict:
    """Tick job: after NOTICE_DIGEST_HOUR (Beijing), send each digest reader one summary of the day's notices."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    today = local.date()
    counts = {"digests": 0, "errors": 0}
    if local.hour < shenfa_setting("NOTICE_DIGEST_HOUR"):
        return counts
    User = get_user_model()
    due = (Preference.objects.filter(digest=True).exclude(last_digest_on=today)
           .values_list("user_id", flat=True))
    for user_id in list(due):
        try:
            with transaction.atomic():
                pref = Preference.objects.select_for_update().get(user_id=user_id)
                if pref.last_digest_on == today:  # another tick was faster
                    continue
                pending = list(Notice.objects.filter(recipient_id=user_id, digest_pending=True).order_by("pk"))
                pref.last_digest_on = today
                pref.save(update_fields=["last_digest_on"])
                if not pending:
                    continue
                user = User.objects.get(pk=user_id)
                Notice.objects.filter(pk__in=[n.pk for n in pending]).update(digest_pending=False)
                transaction.on_commit(lambda u=user, p=pending: send_copies(u, p, digest=True))
                counts["digests"] += 1
        except Exception:
            log.exception("notices: digest failed for user %s", user_id)
            counts["errors"] += 1
    return counts
