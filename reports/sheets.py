"""The printable review sheet (审核单) of an item, after the real forms 信息公开保密审查审批表 and 常州
保密审查单: the item's particulars, then each step's person, opinion, date and the revision hash it
approved, and the full decision history. Rendered with WeasyPrint, outside any transaction."""
import io
import zipfile

from django.template.loader import render_to_string
from django.utils import timezone

from audit.models import AuditRecord
from workflow.models import ItemStatus, SecrecyResult, StepDecision, WithholdGround
from workflow.models.items import Carrier, Channel
from workflow.models.review import Step

#: Blocks of the form, in print order: (title, steps).
BLOCKS = [
    ("校对意见（编辑意见）", ("proof_1", "proof_2", "proof_3")),
    ("初审意见（承办处室）", ("first_review",)),
    ("复审意见（处室负责人）", ("second_review",)),
    ("合法性审查意见", ("legal_review",)),
    ("保密审查意见", ("secrecy_review",)),
    ("终审意见（主管领导 / 责任主编）", ("final_review",)),
]


def _entry(d: StepDecision):
    details = d.details or {}
    opinion = d.comment or d.get_decision_display()
    extra = []
    if d.step == Step.SECRECY_REVIEW and details.get("result"):
        extra.append(SecrecyResult(details["result"]).label)
        if details.get("ground") in WithholdGround.values:
            extra.append("理由：" + WithholdGround(details["ground"]).label)
        if details.get("override_ground"):
            extra.append("依据：" + details["override_ground"])
    if d.decision == StepDecision.Decision.RETURN and details.get("to_step"):
        extra.append("退回至" + Step(details["to_step"]).label)
    return {
        "step": Step(d.step).label, "actor": d.actor.get_full_name() or d.actor.get_username(),
        "decision": d.get_decision_display(), "opinion": opinion, "extra": "；".join(extra),
        "date": timezone.localtime(d.created_at), "hash": d.revision_hash, "voided": d.voided,
        "voided_reason": d.voided_reason,
    }


def sheet_context(item):
    """Everything one sheet prints, read in a few queries."""
    rounds = list(item.rounds.select_related("submitted_by", "submitted_revision").order_by("number"))
    decisions = list(StepDecision.objects.filter(round__item=item).select_related("actor", "round")
                     .order_by("round__number", "created_at", "pk"))
    latest = rounds[-1] if rounds else None
    blocks = []
    for title, steps in BLOCKS:
        entries = [_entry(d) for d in decisions
                   if latest and d.round_id == latest.pk and d.step in steps and not d.voided]
        required = bool(latest and any(s in latest.steps for s in steps))
        if entries or required:
            blocks.append({"title": title, "entries": entries})
    secrecy = next((d for d in reversed(decisions) if d.step == Step.SECRECY_REVIEW and not d.voided), None)
    result = (secrecy.details or {}).get("result") if secrecy else None
    ground = (secrecy.details or {}).get("ground") if secrecy else None
    publish = (AuditRecord.objects.filter(item=item, action="publishing.item.publish").order_by("-seq").first())
    revision = item.published_revision or item.current_revision
    attachments = list(revision.attachments.values_list("name", flat=True)) if revision else []
    return {
        "item": item,
        "agency": item.agency,
        "drafter": item.drafter.get_full_name() or item.drafter.get_username(),
        "carriers": [(c.label, item.carrier == c.value) for c in Carrier],
        "channels": [(c.label, c.value in item.channel_list()) for c in Channel],
        "planned_at": timezone.localtime(item.published_at or item.publish_at) if (
            item.published_at or item.publish_at) else None,
        "status": ItemStatus(item.status).label,
        "revision": revision,
        "attachments": attachments,
        "rounds": rounds,
        "latest": latest,
        "blocks": blocks,
        "history": [_entry(d) | {"round": d.round.number} for d in decisions],
        "secrecy_disclose": result in (SecrecyResult.DISCLOSABLE, SecrecyResult.PARTIAL),
        "secrecy_withhold": result == SecrecyResult.NOT_DISCLOSABLE,
        "secrecy_grounds": [(g.label, ground == g.value) for g in WithholdGround],
        "publish": publish,
        "printed_at": timezone.localtime(),
    }


def sheet_html(items) -> str:
    """One HTML document holding the sheets of `items`, one per page."""
    return render_to_string("audit/review_sheet.html", {"sheets": [sheet_context(i) for i in items]})


def sheet_pdf(items) -> bytes:
    from weasyprint import HTML

    return HTML(string=sheet_html(items)).write_pdf()


def sheets_zip(items) -> bytes:
    """A ZIP of one PDF per item, named by index number (or item id) and title."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in items:
            name = (item.index_number or f"item-{item.pk}").replace("/", "_")
            title = "".join(ch for ch in item.title[:40] if ch not in '\\/:*?"<>|')
            zf.writestr(f"{name}_{title}.pdf", sheet_pdf([item]))
    return buf.getvalue()
