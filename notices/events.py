"""The one entry point of the apps above: notify(kind=..., recipient_ids=..., title=...) with plain data.

Called inside an action's transaction, it stores and sends nothing until that transaction commits; then the
notices are written in their own short transaction and the worker (core.jobs "notices.deliver") sends the
copies by e-mail and the other channels. A rolled-back action notifies nobody."""
from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from core import jobs

from . import delivery
from .models import Kind, Notice

log = logging.getLogger("shenfa.notices")


def notify(*, kind: str, recipient_ids: Iterable[int], title: str, body: str = "", url: str = "",
           key: str = "", exclude: Iterable[int] = ()) -> None:
    """Notify people once the surrounding transaction commits (at once outside a transaction)."""
    if kind not in Kind.values:
        raise ValueError(f"Unknown notice kind {kind!r}")
    skip = {pk for pk in exclude if pk}
    ids = sorted({pk for pk in recipient_ids if pk and pk not in skip})
    if not ids:
        return
    payload = {"kind": kind, "recipient_ids": ids, "title": title[:200], "body": body[:4000], "url": url[:300],
               "key": key[:120]}
    transaction.on_commit(lambda: store_and_send(**payload))


def store_and_send(*, kind, recipient_ids, title, body, url, key) -> list[int]:
    """Write the notices (one per active recipient, once per key) and hand the copies to the worker."""
    try:
        with transaction.atomic():
            people = get_user_model().objects.filter(pk__in=recipient_ids, is_active=True)
            created, to_send = [], []
            for user in people:
                if key and Notice.objects.filter(recipient=user, key=key).exists():
                    continue
                route = delivery.route_of(user)
                try:
                    with transaction.atomic():
                        notice = Notice.objects.create(recipient=user, kind=kind, title=title, body=body, url=url,
                                                       key=key, digest_pending=route == "digest")
                except IntegrityError:  # the same key written by a concurrent tick
                    continue
                created.append(notice.pk)
                if route == "now":
                    to_send.append(notice.pk)
            # Only copies to send start a worker job; in-app-only and digest readers need none.
            if to_send:
                jobs.enqueue(kind="notices.deliver", params={"ids": to_send}, subject=title)
            return created
    except Exception:  # after commit: a failure to notify must never surface in the finished action
        log.exception("could not store notices %s for %s", kind, recipient_ids)
        return []
