"""One permission policy for applications, answering both ways ("may this user..." / "which ones...").

  * request handlers (依申请公开经办人) of the receiving agency register and handle applications;
  * legal reviewers (合法性审查人) and heads of the disclosure office (公开办负责人) of that agency or of
    an agency above it review and sign replies and approve extensions;
  * those people, plus office admins and auditors of the agency or above, may read;
  * nobody of another agency may do anything; the drafter of a reply reviews and signs none of it.
"""

from core import org
from core.models import Agency, Role

from .models import Application

HANDLER = Role.REQUEST_HANDLER
READ_ROLES = {Role.REQUEST_HANDLER, Role.LEGAL_REVIEWER, Role.OFFICE_HEAD, Role.OFFICE_ADMIN, Role.AUDITOR}


def handler_agencies(user):
    """Agencies where the user registers and handles applications."""
    return Agency.objects.filter(pk__in=[a for a, r in org.roles_by_agency(user).items() if HANDLER in r])


def handle_denial(user, agency):
    """None if the user may register/handle applications of `agency`, else a Chinese reason."""
    if user is None or not user.is_authenticated:
        return "请先登录"
    if HANDLER in org.roles_by_agency(user).get(agency.pk, ()):
        return None
    return f"您不是“{agency.name}”的依申请公开经办人"


def legal_denial(user, application, reply=None):
    if user is None or not user.is_authenticated:
        return "请先登录"
    if not org.has_role_at_or_above(user, application.agency, Role.LEGAL_REVIEWER):
        return f"您不是“{application.agency.name}”的合法性审查人"
    if reply is not None and reply.drafted_by_id == user.pk:
        return "答复书起草人不能审查自己起草的答复"
    return None


def head_denial(user, application, reply=None):
    if user is None or not user.is_authenticated:
        return "请先登录"
    if not org.has_role_at_or_above(user, application.agency, Role.OFFICE_HEAD):
        return f"您不是“{application.agency.name}”的政务公开办负责人"
    if reply is not None and user.pk in (reply.drafted_by_id, reply.legal_by_id):
        return "答复书起草人或合法性审查人不能签发同一答复"
    return None


def visible_applications(user):
    """Applications this user may read."""
    if user is None or not user.is_authenticated:
        return Application.objects.none()
    ids = org.agencies_with_role(user, HANDLER) | org.agencies_with_role(user, *(READ_ROLES - {HANDLER}),
                                                                         descendants=True)
    return Application.objects.filter(agency_id__in=ids)


def view_denial(user, application):
    if user is None or not user.is_authenticated:
        return "请先登录"
    if visible_applications(user).filter(pk=application.pk).exists():
        return None
    return "您无权查看其他机构的政府信息公开申请"
