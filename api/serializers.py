"""Model -> JSON for the API. Pure presentation: no queries that decide anything, no rules."""
from django.urls import reverse
from viewflow.workflow.status import STATUS

from workflow.actions import EDITABLE_FIELDS
from workflow.actions.prescan import scan_findings
from workflow.models import ReviewRound
from workflow.models.review import Step
from workflow.permissions import OPEN_STATUSES


def step_label(step):
    if step == "publish":
        return "发布"
    return Step(step).label if step in Step.values else (step or "")


def user_json(user):
    if user is None:
        return None
    return {"id": user.pk, "username": user.get_username(), "name": user.get_full_name() or user.get_username()}


def agency_json(agency):
    return {"id": agency.pk, "code": agency.code, "name": agency.name}


def revision_json(rev):
    if rev is None:
        return None
    return {
        "number": rev.number, "kind": rev.kind, "content_hash": rev.content_hash, "note": rev.note,
        "created_at": rev.created_at, "created_by": user_json(rev.created_by),
        "privacy_findings": len(scan_findings(rev)),
    }


def attachment_json(att, item):
    return {
        "id": att.pk, "name": att.name, "size": att.blob.size, "sha256": att.blob.sha256,
        "content_type": att.blob.content_type, "revision": att.revision.number,
        "download_url": reverse("api:attachment", kwargs={"item_id": item.pk, "attachment_id": att.pk}),
    }


def attachments_of(item, revision=None):
    revision = revision or item.current_revision
    if revision is None:
        return []
    return [attachment_json(a, item) for a in revision.attachments.select_related("blob", "revision")]


def item_summary(item):
    return {
        "id": item.pk, "title": item.title, "doc_number": item.doc_number, "info_type": item.info_type,
        "agency": agency_json(item.agency), "drafter": user_json(item.drafter), "status": item.status,
        "status_label": item.get_status_display(), "online": item.online, "index_number": item.index_number,
        "current_revision_hash": item.current_revision.content_hash if item.current_revision else None,
        "updated_at": item.updated_at,
    }


def decision_json(d):
    return {
        "id": d.pk, "step": d.step, "step_label": step_label(d.step), "decision": d.decision,
        "actor": user_json(d.actor), "revision_hash": d.revision_hash, "comment": d.comment, "details": d.details,
        "voided": d.voided, "voided_reason": d.voided_reason, "created_at": d.created_at,
    }


def round_json(rnd):
    if rnd is None:
        return None
    return {
        "number": rnd.number, "status": rnd.status, "policy_name": rnd.policy_name,
        "steps": [{"step": s, "label": step_label(s)} for s in rnd.steps], "position": rnd.position,
        "current_step": rnd.current_step, "submitted_revision_hash": rnd.submitted_revision.content_hash,
        "submitted_by": user_json(rnd.submitted_by), "started_at": rnd.started_at, "finished_at": rnd.finished_at,
        "decisions": [decision_json(d) for d in rnd.decisions.select_related("actor")],
    }


def task_brief(task):
    return {"id": task.pk, "step": task.data.get("step", ""), "step_label": step_label(task.data.get("step")),
            "status": str(task.status), "owner": user_json(task.owner), "created": task.created}


def item_detail(item):
    from viewflow.workflow.models import Task

    data = item_summary(item)
    for name in EDITABLE_FIELDS:
        field = item._meta.get_field(name)
        data[name] = getattr(item, field.attname)
    rnd = ReviewRound.objects.filter(item=item).select_related("submitted_revision", "submitted_by").order_by(
        "-number").first()
    tasks = Task.objects.filter(process__review_round__item=item, status__in=OPEN_STATUSES).select_related(
        "owner").order_by("pk")
    data.update({
        "validity": item.validity, "publish_at": item.publish_at, "published_at": item.published_at,
        "display_until": item.display_until, "offline_reason": item.offline_reason,
        "current_revision": revision_json(item.current_revision),
        "published_revision_hash": item.published_revision.content_hash if item.published_revision else None,
        "attachments": attachments_of(item),
        "review": round_json(rnd),
        "open_tasks": [task_brief(t) for t in tasks],
    })
    return data


def task_json(task, rnd, item):
    data = task_brief(task)
    data.update({
        "is_open": task.status in OPEN_STATUSES, "claimable": task.status == STATUS.NEW and task.owner_id is None,
        "round": rnd.number, "current_step": rnd.current_step, "item": item_summary(item),
        "current_revision": revision_json(item.current_revision),
    })
    return data


def audit_json(rec):
    return {
        "seq": rec.seq, "created_at": rec.created_at, "action": rec.action, "actor": rec.actor_id,
        "actor_name": rec.actor_name, "role": rec.role, "revision_hash": rec.revision_hash,
        "from_state": rec.from_state, "to_state": rec.to_state, "comment": rec.comment, "data": rec.data,
        "hash": rec.hash, "prev_hash": rec.prev_hash,
    }
