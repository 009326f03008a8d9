"""Notices of publishing events (notices.events.notify with plain data; sent after the action commits)."""
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.models import Role
from notices.events import notify
from notices.models import Kind


def item_published(item, *, actor) -> None:
    """The drafter learns that the item is online, with its 索引号."""
    notify(kind=Kind.ITEM_PUBLISHED, recipient_ids=[item.drafter_id], exclude=[getattr(actor, "pk", None)],
           title=f"信息已发布：{item.title}", body=f"索引号：{item.index_number}",
           url=reverse("workflow:item", args=[item.pk]), key=f"published:{item.pk}:{item.current_revision_id}")


def item_withdrawn(item, *, actor, reason: str) -> None:
    notify(kind=Kind.ITEM_WITHDRAWN, recipient_ids=[item.drafter_id], exclude=[getattr(actor, "pk", None)],
           title=f"信息已撤回：{item.title}", body=f"撤回理由：{reason}", url=reverse("workflow:item", args=[item.pk]))


def cleanup_due(task, item) -> None:
    """谁公开、谁清理: the publishers of the item's agency get the cleanup task."""
    publishers = get_user_model().objects.filter(
        is_active=True, memberships__role=Role.PUBLISHER, memberships__agency_id=item.agency_id).values_list(
        "pk", flat=True).distinct()
    notify(kind=Kind.CLEANUP_DUE, recipient_ids=list(publishers), title=f"定期清理到期：{item.title}",
           body=f"复核日期：{task.due_date:%Y-%m-%d}，请确认继续公开、更新或撤回。",
           url=reverse("publishing:cleanup", args=[task.pk]), key=f"cleanup:{task.pk}")
