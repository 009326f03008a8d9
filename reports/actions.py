"""Actions on annual reports (年度报告): the editable text sections."""
from django.db import transaction

from audit import log as audit
from audit.permissions import report_edit_denial
from core.errors import InvalidInput, deny
from core.models import Agency, Role

from .annual.layouts import layout_for_year
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
