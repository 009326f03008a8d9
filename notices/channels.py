"""Channels that carry notices out of the system. In-app is the Notice row itself; these send copies.

A channel is a class with `name`, `label`, `available(user) -> bool` and `send(user, messages) -> None`
(raise ChannelError on failure). SHENFA["NOTICE_CHANNELS"] lists them as dotted paths, so an office can
plug in SMS or 政务微信 without touching this app:

    SHENFA = {"NOTICE_CHANNELS": ["notices.channels.EmailChannel", "myoffice.sms.SmsChannel"]}
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from functools import cache

from django.core.mail import send_mail
from django.utils.module_loading import import_string

from core.conf import shenfa_setting


class ChannelError(Exception):
    """A channel could not deliver (server down, refused, misconfigured)."""


@dataclass(frozen=True)
class Message:
    """A notice as plain data, the only thing a channel sees."""

    kind: str
    kind_label: str
    title: str
    body: str
    url: str
    created_at: str


class Channel:
    name = ""
    label = ""

    def available(self, user) -> bool:
        return True

    def send(self, user, messages: list[Message], *, digest: bool = False) -> None:
        raise NotImplementedError


def absolute(url: str) -> str:
    base = shenfa_setting("SITE_URL").rstrip("/")
    return f"{base}{url}" if url.startswith("/") and base else url


def render_text(messages: list[Message], *, digest: bool) -> tuple[str, str]:
    """(subject, plain-text body) of one notice or of a digest."""
    if digest or len(messages) > 1:
        subject = f"【审发】今日通知汇总（{len(messages)} 条）"
    else:
        subject = f"【审发】{messages[0].title}"
    lines = []
    for m in messages:
        lines.append(f"［{m.kind_label}］{m.title}")
        if m.body:
            lines.append(m.body)
        if m.url:
            lines.append(f"查看：{absolute(m.url)}")
        lines.append("")
    lines.append("（此邮件由政务公开审核发布系统自动发送；可在“通知设置”中更改接收方式。）")
    return subject, "\n".join(lines)


class EmailChannel(Channel):
    """E-mail through Django's configured mail backend (EMAIL_BACKEND)."""

    name = "email"
    label = "电子邮件"

    def available(self, user) -> bool:
        return bool(user.email)

    def send(self, user, messages, *, digest=False):
        subject, text = render_text(messages, digest=digest)
        try:
            send_mail(subject, text, None, [user.email], fail_silently=False)
        except (OSError, ValueError) as exc:
            raise ChannelError(f"邮件发送失败：{exc}") from exc


class WebhookChannel(Channel):
    """POST the notices as JSON to SHENFA["NOTICE_WEBHOOK_URL"]: the bridge to an SMS gateway or 政务微信.

    Body: {"user": {"username", "name", "phone"}, "digest": bool, "notices": [{kind, kind_label, title, body,
    url, created_at}]}. A 2xx answer is success; anything else, or no answer within the timeout, fails."""

    name = "webhook"
    label = "短信/政务微信（Webhook）"

    def available(self, user) -> bool:
        return bool(shenfa_setting("NOTICE_WEBHOOK_URL"))

    def send(self, user, messages, *, digest=False):
        payload = {
            "user": {"username": user.get_username(), "name": user.get_full_name() or user.get_username(),
                     "email": user.email or ""},
            "digest": digest,
            "notices": [{**asdict(m), "url": absolute(m.url)} for m in messages],
        }
        headers = {"Content-Type": "application/json; charset=utf-8"}
        token = shenfa_setting("NOTICE_WEBHOOK_TOKEN")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(shenfa_setting("NOTICE_WEBHOOK_URL"), method="POST", headers=headers,
                                         data=json.dumps(payload, ensure_ascii=False).encode("utf-8"))
        try:
            with urllib.request.urlopen(request, timeout=shenfa_setting("NOTICE_WEBHOOK_TIMEOUT")) as resp:
                if not 200 <= resp.status < 300:
                    raise ChannelError(f"Webhook 返回 {resp.status}")
        except urllib.error.HTTPError as exc:
            raise ChannelError(f"Webhook 返回 {exc.code}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise ChannelError(f"Webhook 无法连接：{exc}") from exc


@cache
def _load(paths: tuple[str, ...]) -> tuple[Channel, ...]:
    return tuple(import_string(p)() for p in paths)


def configured() -> dict[str, Channel]:
    """{name: channel} of SHENFA["NOTICE_CHANNELS"], in their order."""
    return {c.name: c for c in _load(tuple(shenfa_setting("NOTICE_CHANNELS")))}
