"""Actions on annual reports (年度报告): the editable text sections (with their history), the table 二
figures kept in other systems (entered or imported), and forcing a document out despite its warnings."""
import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from audit import log as audit
from audit.permissions import export_agency_ids, export_denial, office_agencies, report_edit_denial
from core import jobs as core_jobs
from core.errors import InvalidInput, NotAllowedForYou, NotFound, deny
from core.models import Agency, Job, Role

from . import figure_files
from .annual.layouts import layout_for_year
from .jobs import FORMATS as SHEET_FORMATS
from .jobs import REVIEW_SHEETS
from .models import TEXT_FIELDS, AnnualReportText, AnnualReportTextVersion, ExternalFigure, ExternalFigureKind

REPORT_TEXT_FIELDS = TEXT_FIELDS
TEXT_MAX = 20000
REASON_MIN, REASON_MAX = 5, 500
FORMATS = ("html", "pdf", "docx")


@transaction.atomic
def save_report_text(*, actor, agency: Agency, year: int, data: dict) -> AnnualReportText:
    """Save the editable sections (一 final wording or supplement, 五, 六 and its key-task progress) of an
    agency's report for a year, keeping the previous wording as a version."""
    deny(report_edit_denial(actor, agency))
    layout = layout_for_year(year)
    errors = {f: "内容过长（最多 20000 字）" for f in REPORT_TEXT_FIELDS if len(data.get(f) or "") > TEXT_MAX}
    errors |= {f: "包含无效字符" for f in REPORT_TEXT_FIELDS if "\x00" in (data.get(f) or "")}
    if errors:
        raise InvalidInput("年度报告内容有误：" + "；".join(errors.values()), en="Invalid report text", errors=errors)
    # Lock the row (or the agency, for the first save) so two editors do not overwrite each other unseen.
    Agency.objects.select_for_update().get(pk=agency.pk)
    text, _ = AnnualReportText.objects.select_for_update().get_or_create(
        agency=agency, year=year, defaults={"layout": layout.version})
    new = {f: (data[f] or "").strip() for f in REPORT_TEXT_FIELDS if f in data}
    changed = [f for f, v in new.items() if v != getattr(text, f)]
    if not changed:
        return text
    for f in changed:
        setattr(text, f, new[f])
    text.updated_by = actor
    text.version += 1
    text.save()
    AnnualReportTextVersion.objects.create(text=text, number=text.version, changed=changed, created_by=actor,
                                           **{f: getattr(text, f) for f in REPORT_TEXT_FIELDS})
    audit.record(action="audit.report.edit", actor=actor, role=Role.OFFICE_ADMIN, agency=agency, subject=text,
                 data={"year": year, "fields": changed, "version": text.version})
    return text


# --- table 二 figures from other systems ----------------------------------------------------------------

def _figure_state(fig):
    return None if fig is None else {"value": str(fig.value), "source": fig.source, "note": fig.note, "via": fig.via}


@transaction.atomic
def save_external_figures(*, actor, agency: Agency, year: int, figures: dict) -> list[ExternalFigure]:
    """Enter (or clear, with value None or "") an agency's table 二 figures for a year:
    figures = {kind: {"value": ..., "source": ..., "note": ...}}."""
    deny(report_edit_denial(actor, agency))
    layout_for_year(year)
    this_year = timezone.localdate().year
    errors, clean = {}, {}
    for kind, entry in figures.items():
        entry = entry or {}
        if kind not in ExternalFigureKind.values:
            errors[kind] = "项目只能是行政许可、行政处罚、行政强制或行政事业性收费"
            continue
        raw = entry.get("value")
        if raw is None or str(raw).strip() == "":
            clean[kind] = None
            continue
        value, problems = figure_files.check_figure(kind, raw, (entry.get("source") or "").strip(),
                                                    (entry.get("note") or "").strip(), year, this_year=this_year)
        if problems:
            errors[kind] = "；".join(problems)
        clean[kind] = (value, (entry.get("source") or "").strip(), (entry.get("note") or "").strip())
    if errors:
        labels = dict(ExternalFigureKind.choices)
        raise InvalidInput("表二数据有误：" + "；".join(f"{labels.get(k, k)}：{v}" for k, v in errors.items()),
                           en="Invalid table 2 figures", errors=errors)
    # Lock the agency: entry and import of the same figures serialise on it.
    Agency.objects.select_for_update().get(pk=agency.pk)
    current = {f.kind: f for f in ExternalFigure.objects.select_for_update().filter(agency=agency, year=year)}
    changes, result = {}, []
    for kind, entry in clean.items():
        fig = current.get(kind)
        if entry is None:
            if fig is not None:
                changes[kind] = {"from": _figure_state(fig), "to": None}
                fig.delete()
            continue
        value, source, note = entry
        before = _figure_state(fig)
        if fig is None:
            fig = ExternalFigure(agency=agency, year=year, kind=kind)
        elif (fig.value, fig.source, fig.note, fig.via) == (value, source, note, ExternalFigure.Via.ENTERED):
            result.append(fig)
            continue
        fig.value, fig.source, fig.note, fig.via, fig.file_hash = value, source, note, ExternalFigure.Via.ENTERED, ""
        fig.updated_by = actor
        fig.save()
        changes[kind] = {"from": before, "to": _figure_state(fig)}
        result.append(fig)
    if changes:
        audit.record(action="audit.report.figures", actor=actor, role=Role.OFFICE_ADMIN, agency=agency,
                     data={"year": year, "changes": changes})
    return result


@dataclass
class ImportResult:
    sha256: str
    rows: int
    created: int
    updated: int
    agencies: list


@transaction.atomic
def import_external_figures(*, actor, file_name: str, data: bytes) -> ImportResult:
    """Import table 二 figures from a filled template (XLSX or CSV): every row is checked first, and one bad
    row imports nothing. One audit record per agency touched names the file and its SHA-256."""
    if not office_agencies(actor):
        deny("只有政务公开办管理员可以导入表二数据")
    rows = figure_files.read_rows(file_name, data, today=timezone.localdate())
    agencies = {a.code: a for a in Agency.objects.filter(code__in={r.agency_code for r in rows})}
    errors = {}
    for r in rows:
        agency = agencies.get(r.agency_code)
        if agency is None:
            errors[f"第{r.line}行"] = f"机构代码“{r.agency_code}”不存在"
        elif report_edit_denial(actor, agency):
            errors[f"第{r.line}行"] = f"您不是“{agency.name}”的政务公开办管理员，不能导入其数据"
    if errors:
        if len(errors) == len(rows) and all("政务公开办管理员" in e for e in errors.values()):
            raise NotAllowedForYou("文件中的机构均不在您的管理范围内，未导入任何数据", en="Not your agencies")
        raise InvalidInput(f"导入文件有 {len(errors)} 行错误，未导入任何数据", en="Invalid rows, nothing imported",
                           errors=dict(sorted(errors.items(), key=lambda kv: int(kv[0][1:-1]))), field="file")
    sha = hashlib.sha256(data).hexdigest()
    # Lock every agency of the file (in a fixed order: no deadlock with a concurrent import or entry).
    list(Agency.objects.select_for_update().filter(pk__in=[a.pk for a in agencies.values()]).order_by("pk"))
    existing = {(f.agency_id, f.year, f.kind): f for f in ExternalFigure.objects.select_for_update().filter(
        agency__in=agencies.values(), year__in={r.year for r in rows})}
    created = updated = 0
    per_agency = {}
    for r in rows:
        agency = agencies[r.agency_code]
        fig = existing.get((agency.pk, r.year, r.kind))
        before = _figure_state(fig)
        if fig is None:
            fig = ExternalFigure(agency=agency, year=r.year, kind=r.kind)
            created += 1
        else:
            updated += 1
        fig.value, fig.source, fig.note = r.value, r.source, r.note
        fig.via, fig.file_hash, fig.updated_by = ExternalFigure.Via.IMPORTED, sha, actor
        fig.save()
        per_agency.setdefault(agency, []).append({"line": r.line, "year": r.year, "kind": r.kind,
                                                  "from": before, "to": _figure_state(fig)})
    for agency, changes in sorted(per_agency.items(), key=lambda kv: kv[0].code):
        audit.record(action="audit.report.figures_import", actor=actor, role=Role.OFFICE_ADMIN, agency=agency,
                     comment=f"导入表二数据文件“{file_name[:200]}”", data={
                         "file_name": file_name[:200], "sha256": sha, "rows": len(rows), "changes": changes})
    return ImportResult(sha256=sha, rows=len(rows), created=created, updated=updated,
                        agencies=sorted(a.code for a in per_agency))


# --- forcing a document out ---------------------------------------------------------------------------------

@transaction.atomic
def force_report(*, actor, report, fmt: str, reason: str):
    """Record an office admin's decision to issue the report without its warning box (failed cross-checks or
    incomplete parts), with the reason; return the report to print without warnings."""
    deny(report_edit_denial(actor, report.agency))
    reason = (reason or "").strip()
    if fmt not in FORMATS:
        raise InvalidInput("格式只能是 html、pdf 或 docx", en="Format is html, pdf or docx", field="format")
    if not (REASON_MIN <= len(reason) <= REASON_MAX) or "\x00" in reason:
        raise InvalidInput(f"请填写强制出具的理由（{REASON_MIN} 至 {REASON_MAX} 字）", en="A reason is required",
                           field="reason")
    warnings = report.warnings
    if not warnings:
        return report
    audit.record(action="audit.report.force", actor=actor, role=Role.OFFICE_ADMIN, agency=report.agency,
                 comment=reason, data={"year": report.year, "format": fmt, "warnings": warnings,
                                       "failed_checks": [c.key for c in report.checks if not c.ok]})
    return report.forced(reason)


# --- review sheets in the worker -----------------------------------------------------------------------------

@transaction.atomic
def request_review_sheets(*, actor, items, fmt: str) -> Job:
    """Queue the printing of the items' review sheets (one PDF, or a ZIP of PDFs) in the worker; audited now."""
    deny(export_denial(actor))
    if fmt not in SHEET_FORMATS:
        raise InvalidInput("格式只能是 pdf 或 zip", en="format must be pdf or zip", field="format")
    items = list(items)
    if not items:
        raise InvalidInput("没有符合条件的信息", en="No matching items", field="ids")
    allowed = export_agency_ids(actor)
    if any(item.agency_id not in allowed for item in items):
        raise NotFound("没有找到该信息", en="No such item")
    ids = [item.pk for item in items]
    audit.record(action="audit.export", actor=actor, role="", agency=items[0].agency if len(items) == 1 else None,
                 item=items[0] if len(items) == 1 else None, comment=f"打印审核单 {len(items)} 份",
                 data={"kind": "review_sheets", "format": fmt, "items": ids, "rows": len(items)})
    return core_jobs.enqueue(kind=REVIEW_SHEETS, actor=actor, params={"items": ids, "format": fmt},
                             subject=f"审核单 {len(items)} 份")
