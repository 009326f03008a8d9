"""Actions on administrative reconsideration and litigation cases (行政复议、行政诉讼) about disclosure,
counted in annual report table 四."""
from datetime import date

from django.db import transaction

from audit import log as audit
from audit.permissions import report_edit_denial
from core.errors import InvalidInput, deny
from core.models import Agency, Role

from .models import AppealCase


def clean_case(data, *, partial=False, instance=None):
    errors, clean = {}, {}
    kind = data.get("kind", instance.kind if instance else None)
    if kind not in AppealCase.Kind.values:
        errors["kind"] = "请选择案件类型（行政复议 / 直接起诉 / 复议后起诉）"
    clean["kind"] = kind
    result = data.get("result", instance.result if instance else AppealCase.Result.PENDING) or "pending"
    if result not in AppealCase.Result.values:
        errors["result"] = "请选择案件结果"
    clean["result"] = result
    dates = {}
    for f, label in (("filed_date", "受理（立案）日期"), ("closed_date", "审结日期")):
        value = data.get(f, getattr(instance, f) if instance else None)
        if isinstance(value, str):
            value = value.strip()
            try:
                value = date.fromisoformat(value) if value else None
            except ValueError:
                errors[f] = f"{label}格式不正确，应为 YYYY-MM-DD"
                value = None
        dates[f] = value
    if dates["filed_date"] is None and "filed_date" not in errors:
        errors["filed_date"] = "请填写受理（立案）日期"
    if result == "pending" and dates["closed_date"]:
        errors["closed_date"] = "尚未审结的案件不能填写审结日期"
    if result != "pending" and not dates["closed_date"] and "closed_date" not in errors:
        errors["closed_date"] = "已审结的案件须填写审结日期"
    if dates["filed_date"] and dates["closed_date"] and dates["closed_date"] < dates["filed_date"]:
        errors["closed_date"] = "审结日期不能早于受理日期"
    clean.update(dates)
    for f in ("case_number", "applicant", "summary"):
        clean[f] = (data.get(f, getattr(instance, f) if instance else "") or "").strip()
    app = data.get("application_id", instance.application_id if instance else None)
    if app in ("", None):
        clean["application_id"] = None
    else:
        try:
            clean["application_id"] = int(app)
        except (TypeError, ValueError):
            errors["application_id"] = "关联申请编号应为数字"
    if errors:
        raise InvalidInput("复议诉讼案件信息有误：" + "；".join(errors.values()), en="Invalid appeal case",
                           errors=errors)
    return clean


@transaction.atomic
def create_appeal_case(*, actor, agency: Agency, data: dict) -> AppealCase:
    """Register a reconsideration or lawsuit about disclosure against an agency (annual report table 四)."""
    deny(report_edit_denial(actor, agency))
    clean = clean_case(data)
    case = AppealCase.objects.create(agency=agency, created_by=actor, **clean)
    audit.record(action="audit.appeal.create", actor=actor, role=Role.OFFICE_ADMIN, agency=agency, subject=case,
                 to_state=case.result, data={"kind": case.kind, "filed_date": str(case.filed_date),
                                             "case_number": case.case_number})
    return case


@transaction.atomic
def update_appeal_case(*, actor, case: AppealCase, data: dict) -> AppealCase:
    """Update a case, typically to record its result and closing date."""
    # Lock before comparing: two office admins closing the same case must not both win.
    case = AppealCase.objects.select_for_update().select_related("agency").get(pk=case.pk)
    deny(report_edit_denial(actor, case.agency))
    clean = clean_case(data, instance=case)
    changed = {f: v for f, v in clean.items() if getattr(case, f) != v}
    if not changed:
        return case
    from_state = case.result
    for f, v in changed.items():
        setattr(case, f, v)
    case.save()
    audit.record(action="audit.appeal.update", actor=actor, role=Role.OFFICE_ADMIN, agency=case.agency,
                 subject=case, from_state=from_state, to_state=case.result,
                 data={"fields": sorted(changed), **{f: str(v) for f, v in changed.items() if v is not None}})
    return case
