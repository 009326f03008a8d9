"""Actions on annual reports (年度报告): the editable text sections."""
from django.db import transaction

from audit import log as audit
from audit.permissions import export_agency_ids, export_denial, report_edit_denial
from core import jobs as core_jobs
from core.errors import InvalidInput, NotFound, deny
from core.models import Agency, Job, Role

from .annual.layouts import layout_for_year
from .jobs import FORMATS, REVIEW_SHEETS
from .models import AnnualReportText

REPORT_TEXT_FIELDS = ("overview", "problems", "other_matters")
TEXT_MAX = 20000


@transaction.atomic
def save_report_text(*, actor, agency: Agency, year: int, data: dict) -> AnnualReportText:
    """Save the editable sections (一 supplement, 五, 六) of an agency's report for a year."""
    deny(report_edit_denial(actor, agency))
    layout = layout_for_year(year)
    errors = {f: "内容过长（最多 20000 字）" for f in REPORT_TEXT_FIELDS if len(data.get(f) or "") > TEXT_MAX}
    if errors:
        raise InvalidInput("年度报告内容过长", en="Text too long", errors=errors)
    # Lock the row (or the agency, for the first save) so two editors do not overwrite each other unseen.
    Agency.objects.select_for_update().get(pk=agency.pk)
    text, _ = AnnualReportText.objects.select_for_update().get_or_create(
        agency=agency, year=year, defaults={"layout": layout.version})
    changed = [f for f in REPORT_TEXT_FIELDS if f in data and (data[f] or "") != getattr(text, f)]
    if not changed:
        return text
    for f in changed:
        setattr(text, f, (data[f] or "").strip())
    text.updated_by = actor
    text.save()
    audit.record(action="audit.report.edit", actor=actor, role=Role.OFFICE_ADMIN, agency=agency, subject=text,
                 data={"year": year, "fields": changed})
    return text


@transaction.atomic
def request_review_sheets(*, actor, items, fmt: str) -> Job:
    """Queue the printing of the items' review sheets (one PDF, or a ZIP of PDFs) in the worker; audited now."""
    deny(export_denial(actor))
    if fmt not in FORMATS:
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
