"""Look-ups of the objects named in a path, each limited to what the user may see.

What a user may not see does not exist for them: the answer is the same 404 as for a missing object (no
oracle). api.auth runs these right after authentication, before the request body is read, so a caller
learns nothing about a foreign object from input errors either. The visibility rules are the permission
policies of the lower layers (workflow, publishing, disclosure, audit); nothing is decided here."""
from viewflow.workflow.models import Task

from audit.permissions import export_agency_ids
from core import jobs
from core.models import Agency
from disclosure.models import AppealCase, Application, Letter, OnlineApplication, Pause
from disclosure.online import submissions_for
from disclosure.permissions import visible_applications
from publishing.models import CleanupTask
from publishing.permissions import campaigns_for
from workflow import permissions
from workflow.models import Attachment, Information, Revision

from .errors import not_found
from .models import ApiToken


def item(user, item_id) -> Information:
    found = (permissions.visible_items(user)
             .select_related("agency", "drafter", "current_revision", "published_revision")
             .filter(pk=item_id).first())
    if found is None:
        raise not_found(en="No such item")
    return found


def task(user, task_id) -> Task:
    """A review or publish task (not the flow's start or routing nodes) of an item the user may see."""
    found = (Task.objects.filter(pk=task_id, data__has_key="step",
                                 process__review_round__item__in=permissions.visible_items(user))
             .select_related("owner").first())
    if found is None:
        raise not_found(en="No such task")
    return found


def attachment(an_item, attachment_id) -> Attachment:
    found = Attachment.objects.select_related("blob", "revision").filter(pk=attachment_id,
                                                                         revision__item=an_item).first()
    if found is None:
        raise not_found(en="No such attachment")
    return found


def revision(an_item, number) -> Revision:
    found = Revision.objects.select_related("created_by").filter(item=an_item, number=number).first()
    if found is None:
        raise not_found(en="No such revision")
    return found


def application(user, application_id) -> Application:
    found = (visible_applications(user).select_related("agency", "registered_by")
             .filter(pk=application_id).first())
    if found is None:
        raise not_found(en="No such application")
    return found


def online_application(user, online_id) -> OnlineApplication:
    """An online application with its identity data: the agency's request handlers only."""
    found = submissions_for(user).select_related("agency", "application").filter(pk=online_id).first()
    if found is None:
        raise not_found(en="No such online application")
    return found


def letter(user, letter_id) -> Letter:
    found = Letter.objects.filter(pk=letter_id, application__in=visible_applications(user)).first()
    if found is None:
        raise not_found(en="No such letter")
    return found


def pause(an_application, pause_id) -> Pause:
    found = Pause.objects.filter(pk=pause_id, application=an_application).first()
    if found is None:
        raise not_found(en="No such consultation")
    return found


def cleanup_task(user, cleanup_task_id) -> CleanupTask:
    """A cleanup task of an item the user may see (deciding it is the publishers' and checked by the action)."""
    found = (CleanupTask.objects.filter(pk=cleanup_task_id, item__in=permissions.visible_items(user))
             .select_related("item", "item__agency", "campaign", "decided_by").first())
    if found is None:
        raise not_found(en="No such cleanup task")
    return found


def campaign(user, campaign_id):
    found = campaigns_for(user).select_related("agency", "started_by").filter(pk=campaign_id).first()
    if found is None:
        raise not_found(en="No such campaign")
    return found


def appeal(user, appeal_id) -> AppealCase:
    """An appeal case of an agency whose reports the user may read (editing is checked by the action)."""
    found = (AppealCase.objects.filter(pk=appeal_id, agency_id__in=export_agency_ids(user))
             .select_related("agency").first())
    if found is None:
        raise not_found(en="No such appeal case")
    return found


def token(user, token_id) -> ApiToken:
    found = ApiToken.objects.filter(pk=token_id, user=user).first()
    if found is None:
        raise not_found(en="No such token")
    return found


def report_agency(user, agency_id) -> Agency:
    """An agency whose records and annual report the user may read (auditors and the disclosure office,
    over their agencies and those below); for anyone else it is not there, as on the web's report pages."""
    found = Agency.objects.filter(pk=agency_id, pk__in=export_agency_ids(user)).first()
    if found is None:
        raise not_found(en="No such agency")
    return found


def job(user, job_id):
    """A background job the user started (core.jobs.job_for: someone else's answers like a missing one)."""
    return jobs.job_for(user, job_id)


#: Path parameter -> look-up, run by api.auth before anything else about the request is considered.
PATH_OBJECTS = {
    "item_id": item,
    "task_id": task,
    "application_id": application,
    "cleanup_task_id": cleanup_task,
    "campaign_id": campaign,
    "appeal_id": appeal,
    "token_id": token,
    "agency_id": report_agency,
    "job_id": job,
    "online_id": online_application,
    "letter_id": letter,
}
