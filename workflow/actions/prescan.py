"""The privacy pre-check (保密预检) gate: when to scan, where reports are kept, what the secrecy step may see.

The scanner is the pure-Python package `privacy`. The title and body (bounded text) are scanned inside the
action; every attachment is scanned outside the request, in a worker (core.jobs kind "workflow.scan"), in a
child process under the privacy package's limits (privacy.sandbox), once per (bytes, file name,
configuration): a new revision that keeps a file reuses its result. Until every attachment of a revision is
scanned, the revision's report says "pending" (预检中) and the secrecy step cannot decide.

Revision.scan holds the combined report: {"status", "findings" (capped), "counts" (exact, per kind),
"total", "blocking", "warnings", "truncated", "summary", "body": <title+body report>,
"attachments": {name: AttachmentScan id}, "scanned_at"}."""
import hashlib
import json
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from viewflow import fsm as viewflow_fsm

import privacy
from core import fsm, jobs
from core.conf import shenfa_setting
from privacy import KIND_LABELS, scan
from privacy.limits import Limits
from privacy.sandbox import mask_file_isolated, scan_file_isolated

from ..models import Attachment, AttachmentScan, Revision, ScanStatus, WordingRule

JOB_KIND = "workflow.scan"


class ScanLifecycle:
    """The only code that changes AttachmentScan.status: pending until the worker stores the report."""

    state = viewflow_fsm.State(ScanStatus, default=ScanStatus.PENDING)

    def __init__(self, record: AttachmentScan):
        self.record = record

    @state.setter()
    def _set_status(self, value):
        self.record.__dict__["status"] = value

    @state.getter()
    def _get_status(self):
        return self.record.status

    @state.transition(source=ScanStatus.PENDING, target=ScanStatus.DONE, label="预检完成")
    def finish(self):
        """The worker stored the attachment's report."""
MAX_FINDINGS_SHOWN = 500


@lru_cache(maxsize=1)
def scanner_fingerprint() -> str:
    """A hash of the scanner's code and shipped rules: improving them rescans files for new revisions."""
    digest = hashlib.sha256()
    root = Path(privacy.__file__).parent
    for path in sorted([*root.glob("*.py"), *root.glob("data/*")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def limits() -> Limits:
    return Limits.from_dict(shenfa_setting("SCAN_LIMITS"))


def options_for(agency) -> dict:
    """What the scanner needs to know of the agency: its sensitive words, its own 错敏词 rules (and those
    of agencies above it and of all agencies), and its public phones, addresses and e-mail."""
    ancestors, current, seen = [], agency, set()
    while current is not None and current.pk not in seen:
        ancestors.append(current.pk)
        seen.add(current.pk)
        current = current.parent
    rules = WordingRule.objects.filter(Q(agency__isnull=True) | Q(agency_id__in=ancestors), is_active=True)
    return {"sensitive_words": agency.sensitive_word_list(),
            "wording_rules": [r.as_rule_line() for r in rules.order_by("pk")],
            "public_values": agency.public_value_list()}


def config_key(options: dict) -> str:
    payload = {"scanner": scanner_fingerprint(), "options": options, "limits": limits().to_dict()}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _scan_text(revision: Revision, options: dict) -> dict:
    title = (revision.metadata or {}).get("title") or revision.item.title
    report = scan(revision.body or "", (), sensitive_words=options["sensitive_words"], title=title,
                  wording_rules=options["wording_rules"], public_values=options["public_values"], limits=limits())
    return report.to_json()  # findings (capped), exact counts, blocking, truncated; no raw values


def scan_revision(revision: Revision) -> dict:
    """Scan the title and body now and schedule every attachment not yet scanned under this configuration.
    Runs inside the action's transaction; the attachment scans start when it commits."""
    options = options_for(revision.item.agency)
    key = config_key(options)
    scans = {}
    for att in revision.attachments.select_related("blob"):
        record, created = AttachmentScan.objects.get_or_create(blob=att.blob, name=att.name, config_key=key)
        if created:
            record.job = jobs.enqueue(kind=JOB_KIND, params={"scan": record.pk}, agency=revision.item.agency,
                                      subject=f"workflow.attachmentscan:{record.pk}")
            AttachmentScan.objects.filter(pk=record.pk).update(job=record.job)
        scans[att.name] = record.pk
    # read them back: a scan may have finished meanwhile (reused result, or a worker that ran at once)
    by_pk = AttachmentScan.objects.in_bulk(scans.values())
    data = combine(_scan_text(revision, options), {name: by_pk[pk] for name, pk in scans.items()})
    _store(revision, data)
    return data


def _store(revision: Revision, data: dict) -> None:
    revision.scan = data
    revision.save(allow_scan_update=True, update_fields=["scan"])


def combine(body: dict, scans: dict) -> dict:
    """The revision's report: the title/body report plus each attachment's (pending ones make it pending)."""
    parts = [body] + [s.report for s in scans.values() if s.status == ScanStatus.DONE and s.report]
    pending = sorted(name for name, s in scans.items() if s.status != ScanStatus.DONE)
    counts: dict[str, int] = {}
    for part in parts:
        for kind, n in (part.get("counts") or {}).items():
            counts[kind] = counts.get(kind, 0) + n
    findings = [f for part in parts for f in part.get("findings", [])]
    total = sum(part.get("total", len(part.get("findings", []))) for part in parts)
    data = {
        "status": ScanStatus.PENDING.value if pending else ScanStatus.DONE.value,
        "pending": pending,
        "findings": findings[:MAX_FINDINGS_SHOWN],
        "counts": counts,
        "total": total,
        "blocking": any(part.get("blocking") for part in parts),
        "warnings": sum(part.get("warnings", 0) for part in parts),
        "truncated": any(part.get("truncated") for part in parts) or len(findings) > MAX_FINDINGS_SHOWN,
        "summary": summary(counts),
        "body": body,
        "attachments": {name: s.pk for name, s in scans.items()},
        "scanned_at": timezone.now().isoformat(),
    }
    return data


def summary(counts: dict) -> str:
    if not counts:
        return "未发现个人信息、密级标志或错敏词"
    return "发现" + "、".join(f"{KIND_LABELS.get(k, k)} {n} 处" for k, n in counts.items())


def scan_findings(revision) -> list:
    return (revision.scan or {}).get("findings", []) if revision else []


def is_pending(revision) -> bool:
    return bool(revision and (revision.scan or {}).get("status") == ScanStatus.PENDING)


# --- the worker ---------------------------------------------------------------------------------------

def _copy_to(blob, path: Path) -> None:
    with blob.file.open("rb") as src, open(path, "wb") as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)


def scan_job(job, progress) -> dict:
    """core.jobs handler: scan one attachment in the sandbox, store the report, update waiting revisions."""
    record = AttachmentScan.objects.select_related("blob").filter(pk=job.params.get("scan")).first()
    if record is None or record.status == ScanStatus.DONE:
        return {"skipped": True}
    revision = Revision.objects.select_related("item__agency").filter(
        attachments__blob=record.blob, attachments__name=record.name).order_by("-pk").first()
    options = options_for(revision.item.agency) if revision else {}
    progress(10, f"正在检查附件“{record.name}”")
    workdir = Path(tempfile.mkdtemp(prefix="shenfa-scan-"))
    try:
        path = workdir / ("input" + os.path.splitext(record.name)[1].lower()[:10])
        _copy_to(record.blob, path)
        report = scan_file_isolated(str(path), record.name, options=options, limits=limits())
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    progress(90, "保存结果")
    finish_scan(record.pk, report)
    return {"total": report.get("total", 0), "blocking": report.get("blocking", False), "run": report.get("run")}


@transaction.atomic
def finish_scan(scan_id: int, report: dict) -> None:
    """Store an attachment's report and recombine every revision that was waiting for it."""
    record = AttachmentScan.objects.select_for_update().get(pk=scan_id)
    if record.status == ScanStatus.DONE:
        return
    record.report = report
    record.finished_at = timezone.now()
    fsm.run(ScanLifecycle(record), "finish")
    record.save(update_fields=["report", "finished_at", "status"])
    waiting = Revision.objects.filter(attachments__blob_id=record.blob_id, attachments__name=record.name,
                                      scan__status=ScanStatus.PENDING).values("pk")
    # Lock by primary key: PostgreSQL refuses FOR UPDATE together with the DISTINCT the join would need.
    for revision in Revision.objects.filter(pk__in=waiting).select_for_update().order_by("pk"):
        names = dict(Attachment.objects.filter(revision=revision).values_list("name", "blob_id"))
        scans = {s.name: s for s in AttachmentScan.objects.filter(
            pk__in=(revision.scan or {}).get("attachments", {}).values())}
        if set(scans) != set(names):
            continue  # an older report format: left for the next edit to rescan
        _store(revision, combine((revision.scan or {}).get("body") or {}, scans))


# --- masking (the secrecy reviewer's one click), through the same guarded readers and limits -----------

def mask_file(blob, name: str, options: dict) -> dict:
    """Mask one attachment in the sandbox. Returns {"ok", "count", "error", "data" (masked bytes)}."""
    workdir = Path(tempfile.mkdtemp(prefix="shenfa-mask-"))
    try:
        ext = os.path.splitext(name)[1].lower()[:10]
        src, out = workdir / f"input{ext}", workdir / f"output{ext}"
        _copy_to(blob, src)
        result = mask_file_isolated(str(src), name, str(out), options=options, limits=limits())
        result["data"] = out.read_bytes() if result.get("ok") and out.exists() else b""
        return result
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
