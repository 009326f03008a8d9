"""Who may do what after publication, answering both ways (as workflow.permissions does for review).

谁公开、谁清理: the publishing agency's publishers own its published items (publish, withdraw, validity,
cleanup decisions); the disclosure office (office_admin) starts cleanup campaigns over its agency and
everything below it."""
from django.db.models import Q

from core import org
from core.models import Role
from workflow.permissions import agencies_with_role, publish_denial

from .models import CleanupCampaign, CleanupTask


def publisher_agencies(user):
    return agencies_with_role(user, Role.PUBLISHER)


def office_agencies(user):
    """Agencies an office admin looks after: their agency and every agency below it."""
    return org.agencies_with_role(user, Role.OFFICE_ADMIN, descendants=True)


def cleanup_tasks_for(user):
    """Cleanup tasks this user may decide: those of items of agencies where they publish."""
    if user is None or not user.is_authenticated:
        return CleanupTask.objects.none()
    return CleanupTask.objects.filter(item__agency_id__in=publisher_agencies(user))


def cleanup_denial(user, task):
    if user is None or not user.is_authenticated:
        return "请先登录"
    if cleanup_tasks_for(user).filter(pk=task.pk).exists():
        return None
    return "只有发布该信息的机构的发布人可以处理其清理任务（谁公开、谁清理）"


def campaigns_for(user):
    """Campaigns this user may follow: office admins over their agencies, publishers over their own."""
    if user is None or not user.is_authenticated:
        return CleanupCampaign.objects.none()
    office = office_agencies(user)
    own = publisher_agencies(user)
    return CleanupCampaign.objects.filter(Q(agency_id__in=office) | Q(tasks__item__agency_id__in=own)).distinct()


def internal_agencies(user):
    """Agencies whose scheduled and overdue lists the user may see (publishers and office admins)."""
    if user is None or not user.is_authenticated:
        return set()
    return publisher_agencies(user) | office_agencies(user)


def validity_denial(user, item):
    return publish_denial(user, item)
