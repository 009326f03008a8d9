"""Notices of request deadlines (notices.events.notify with plain data; sent after the tick's unit commits)."""
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.models import Role
from notices.events import notify
from notices.models import Kind


def deadline(app, *, overdue: bool, working_days_left: int | None) -> None:
    """The request handlers of the agency: a reply is due soon (3 … 1 working days) or overdue."""
    handlers = get_user_model().objects.filter(
        is_active=True, memberships__role=Role.REQUEST_HANDLER, memberships__agency_id=app.agency_id).values_list(
        "pk", flat=True).distinct()
    if overdue:
        kind, label = Kind.REQUEST_OVERDUE, "已超过答复期限"
    else:
        kind = Kind.REQUEST_DUE
        label = f"还剩 {working_days_left} 个工作日到达答复期限" if working_days_left else "即将到达答复期限"
    notify(kind=kind, recipient_ids=list(handlers), title=f"【依申请公开】{app.number} {label}",
           body=f"申请人：{app.applicant_name}\n答复截止日：{app.due_date:%Y年%m月%d日}\n请及时办理。",
           url=reverse("disclosure:detail", args=[app.pk]))
