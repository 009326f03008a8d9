"""The printable review sheet (审核单) of an item, after the real forms 信息公开保密审查审批表 and 常州
保密审查单: the item's particulars, then each step's person, opinion, date and the revision hash it
approved, and the full decision history. Rendered with WeasyPrint, outside any transaction."""
import io
import zipfile

from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfWriter
from weasyprint import HTML

from audit.models import AuditRecord
from workflow.models import Information, ItemStatus, SecrecyResult, StepDecision, WithholdGround
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
    return HTML(string=sheet_html(items)).write_pdf()


#: Sheets per WeasyPrint document when a batch becomes one PDF: the fonts are subset once per chunk, and the
#: memory of the layout is that of one chunk, whatever the batch size.
PDF_CHUNK = 10


def sheet_file_name(item) -> str:
    name = (item.index_number or f"item-{item.pk}").replace("/", "_")
    title = "".join(ch for ch in item.title[:40] if ch not in '\\/:*?"<>|')
    return f"{name}_{title}.pdf"


def iter_items(item_ids):
    """The items of `item_ids` in id order, read a few at a time."""
    ids = sorted(set(item_ids))
    for start in range(0, len(ids), PDF_CHUNK):
        yield from Information.objects.filter(pk__in=ids[start:start + PDF_CHUNK]).select_related(
            "agency", "drafter", "current_revision", "published_revision").order_by("pk")


def write_batch(item_ids, fmt: str, path, progress=None) -> int:
    """Write the sheets of `item_ids` into the file `path`: a ZIP of one PDF per item (fmt "zip") or one PDF
    (fmt "pdf", rendered in chunks of PDF_CHUNK sheets and joined page by page). Only one sheet (zip) or one
    chunk (pdf) is held in memory at a time. progress(percent, note) is called after each sheet or chunk.
    Returns the number of sheets."""
    total = len(set(item_ids)) or 1
    done = 0
    if fmt == "zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for item in iter_items(item_ids):
                zf.writestr(sheet_file_name(item), sheet_pdf([item]))
                done += 1
                if progress:
                    progress(done * 100 // total, f"已生成 {done}/{total} 份")
        return done
    writer = PdfWriter()
    chunk = []
    for item in iter_items(item_ids):
        chunk.append(item)
        if len(chunk) == PDF_CHUNK:
            writer.append(io.BytesIO(sheet_pdf(chunk)))
            done += len(chunk)
            chunk = []
            if progress:
                progress(done * 100 // total, f"已生成 {done}/{total} 份")
    if chunk:
        writer.append(io.BytesIO(sheet_pdf(chunk)))
        done += len(chunk)
    with open(path, "wb") as fh:
        writer.write(fh)
    return done
