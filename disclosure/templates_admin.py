"""The office's own wording of letters (文书模板): who may edit, and the one action that saves a template."""
from django.db import transaction

from audit import log as audit
from core import org
from core.errors import InvalidInput, deny
from core.models import Agency, Role

from . import letters
from .models import LetterTemplate

EDIT_ROLES = (Role.OFFICE_HEAD, Role.OFFICE_ADMIN)


def template_agencies(user):
    """Agencies whose letter templates the user may edit (office heads and admins, their agency and below)."""
    if user is None or not user.is_authenticated:
        return Agency.objects.none()
    return Agency.objects.filter(pk__in=org.agencies_with_role(user, *EDIT_ROLES, descendants=True))


def template_denial(user, agency):
    if user is None or not user.is_authenticated:
        return "请先登录"
    if any(org.has_role_at_or_above(user, agency, role) for role in EDIT_ROLES):
        return None
    return f"您不是“{agency.name}”的政务公开办负责人或管理员，不能编辑文书模板"


@transaction.atomic
def save_letter_template(*, actor, agency, key: str, data: dict) -> LetterTemplate:
    """Save the agency's wording of one letter (an outcome of table 三, a notice, or the remedies paragraph)."""
    # Lock the agency row: two editors saving the same template serialise, and the audit shows both versions.
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    deny(template_denial(actor, agency))
    if key not in letters.DEFAULTS:
        raise InvalidInput("没有这种文书类型", en="Unknown letter kind", field="key")
    clean = {}
    for field, label, limit in (("title", "标题", 100), ("basis", "法律依据", 300), ("body", "正文模板", 10000),
                                ("number_prefix", "文号前缀", 40)):
        value = (data.get(field) or "").strip()
        if not value and field != "number_prefix":
            raise InvalidInput(f"请填写{label}", en=f"{field} is required", field=field)
        if len(value) > limit:
            raise InvalidInput(f"{label}不能超过{limit}个字", en=f"{field} too long", field=field)
        clean[field] = value
    letters.check_template_text(clean["body"])
    if key == letters.REMEDIES and not ("复议" in clean["body"] and "诉讼" in clean["body"]):
        raise InvalidInput("救济途径须写明行政复议和行政诉讼", en="Remedies must name reconsideration and litigation",
                           field="body")
    old = LetterTemplate.objects.filter(agency=agency, key=key).first()
    before = {f: getattr(old, f) for f in clean} if old else {}
    template, _created = LetterTemplate.objects.update_or_create(agency=agency, key=key,
                                                                 defaults={**clean, "updated_by": actor})
    audit.record(action="disclosure.template.save", actor=actor, role=Role.OFFICE_ADMIN, agency=agency,
                 subject=template, data={"key": key, "before": before, "after": clean})
    return template
