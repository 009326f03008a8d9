"""Who may export review records, print review sheets, read and edit annual reports.

Auditors see their agency and every agency below it; office admins (公开办管理员) likewise for theirs."""
from core.models import Role
from core.org import agencies_with_role


def office_agencies(user) -> set[int]:
    """Agencies (with their sub-agencies) where the user is office admin."""
    return agencies_with_role(user, Role.OFFICE_ADMIN, descendants=True)


def export_agency_ids(user) -> set[int]:
    """Agencies whose audit records, review sheets and annual reports this user may read."""
    if user is None or not user.is_authenticated:
        return set()
    return agencies_with_role(user, Role.AUDITOR, Role.OFFICE_ADMIN, descendants=True)


def export_denial(user, agency=None) -> str | None:
    """None if the user may export records (of `agency`, if given), else a Chinese reason."""
    if user is None or not user.is_authenticated:
        return "请先登录"
    allowed = export_agency_ids(user)
    if not allowed:
        return "只有审计员和政务公开办管理员可以导出审核记录"
    if agency is not None and agency.pk not in allowed:
        return f"您无权导出“{agency.name}”的记录"
    return None


def report_denial(user, agency) -> str | None:
    """Reading an agency's annual report (figures and drill-downs): same people as exports."""
    if user is None or not user.is_authenticated:
        return "请先登录"
    if agency.pk in export_agency_ids(user):
        return None
    return f"您无权查看“{agency.name}”的年度报告"


def report_edit_denial(user, agency) -> str | None:
    """Editing report text and appeal cases: the agency's (or a parent's) office admin."""
    if user is None or not user.is_authenticated:
        return "请先登录"
    if agency.pk in office_agencies(user):
        return None
    return f"您不是“{agency.name}”的政务公开办管理员，不能编辑年度报告或复议诉讼案件"
