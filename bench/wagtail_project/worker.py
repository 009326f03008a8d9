"""One process of bench/compare.py on the Wagtail side; runs in bench/.venv-wagtail with this folder as cwd.

    python worker.py setup --steps 7 3
    python worker.py run --steps 7 --count 10

BENCH_WAGTAIL_DB names the database (benchsite/settings.py). `run` prints one JSON line (bench/measure.py's
figures plus versions) as its last line of output.

The lifecycle calls what Wagtail's admin views call, in the same order and with the same permission checks,
without HTTP, forms, templates or messages (Shenfa's side calls its action functions the same way):
  1. the drafter creates a page under the workflow's section and submits it for moderation in one request
     (CreateView.submit_action: add_child, save_revision, Workflow.start, the comment subscription);
  2. per GroupApprovalTask the approver approves (the WorkflowAction view: load the page, check a workflow is
     in progress, load the task state, check the task offers "approve" to this user, validate the comment
     form, Task.on_action); approving the last task finishes the workflow, which publishes the page
     (WAGTAIL_FINISH_WORKFLOW_ACTION, wagtail.workflows.publish_workflow_state).
"""
import argparse
import json
import os
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # bench/, for measure.py (plain Django, nothing of Shenfa)

#: The tasks of each benchmarked workflow, named like the Shenfa steps they stand for.
TASK_NAMES = {
    7: ["一校", "二校", "三校", "初审", "复审", "终审", "保密审查"],
    3: ["初审", "复审", "终审"],
}
BODY = ("<p>为深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，进一步提升政务公开质效，"
        "现将2025年政务公开工作要点印发给你们，请结合实际认真贯彻落实。</p>")
DRAFTER = "drafter"


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchsite.settings")
    import django

    django.setup()


def _section_slug(steps):
    return f"lifecycle-{steps}"


def _approver_name(steps, k):
    return f"w{steps}_approver{k}"


def setup(steps_list):
    """Migrate, then per lifecycle a section page with a workflow of N GroupApprovalTasks, one group and approver
    per task; the drafter is in Wagtail's own "Editors" group (may add and edit pages, not publish). The last
    approver's group may publish in the section: approving the last task publishes as that user."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.core.management import call_command
    from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowTask

    call_command("migrate", verbosity=0)
    User = get_user_model()
    drafter, _ = User.objects.get_or_create(username=DRAFTER, defaults={"first_name": "起草人"})
    drafter.groups.add(Group.objects.get(name="Editors"))
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    publish_page = Permission.objects.get(content_type__app_label="wagtailcore", codename="publish_page")
    home = Page.objects.get(depth=2)  # the site's home page, created by Wagtail's migrations
    for steps in steps_list:
        if Page.objects.filter(slug=_section_slug(steps), depth=3).exists():
            continue
        section = home.add_child(instance=Page(title=f"{steps}步审核栏目", slug=_section_slug(steps)))
        workflow = Workflow.objects.create(name=f"{steps}步审核")
        for k, name in enumerate(TASK_NAMES[steps], start=1):
            group = Group.objects.create(name=f"{steps}步·{name}")
            group.permissions.add(access_admin)
            approver = User.objects.create(username=_approver_name(steps, k), first_name=name)
            approver.groups.add(group)
            task = GroupApprovalTask.objects.create(name=f"{steps}步·{name}")
            task.groups.set([group])
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=k)
        GroupPagePermission.objects.create(group=group, page=section, permission=publish_page)
        WorkflowPage.objects.create(workflow=workflow, page=section)


def wagtail_lifecycle(steps):
    """Return run(label): one page from creation through every approval to publication."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.core.exceptions import PermissionDenied
    from measure import request_user
    from wagtail.models import Page, PageSubscription, TaskState

    User = get_user_model()
    drafter = User.objects.get(username=DRAFTER)
    approvers = [User.objects.get(username=_approver_name(steps, k)) for k in range(1, steps + 1)]
    section_id = Page.objects.get(slug=_section_slug(steps), depth=3).pk

    def create_and_submit(user, label):
        # CreateView.dispatch
        parent = Page.objects.get(id=section_id).specific
        if not parent.permissions_for_user(user).can_add_subpage():
            raise PermissionDenied
        page_class = ContentType.objects.get_by_natural_key("benchpages", "benchpage").model_class()
        if page_class not in parent.creatable_subpage_models() or not page_class.can_create_at(parent):
            raise PermissionDenied
        page = page_class(owner=user, title=f"关于印发2025年政务公开工作要点的通知（{label}）",
                          slug=uuid.uuid4().hex, body=BODY)
        page.locale = parent.locale
        if not parent.has_workflow:  # CreateView.action_name_and_method: "submit" needs a workflow
            raise PermissionDenied
        # CreateView.submit_action (save_revision runs the model's full_clean; the admin form is left out)
        page.live = False
        parent.add_child(instance=page)
        page.save_revision(user=user, log_action=True)
        page.get_workflow().start(page, user)
        PageSubscription(page=page, user=user, comment_notifications=True).save()
        return page.pk

    def approve(user, page_id):
        # The approver follows the link of their dashboard task: page and task state ids.
        page = Page.objects.get(pk=page_id)
        if not page.workflow_in_progress:
            raise PermissionDenied
        task_state_id = page.current_workflow_task_state.pk
        # BaseWorkflowFormView.setup / dispatch, WorkflowAction.post
        task_state = TaskState.objects.get(id=task_state_id).specific
        task = task_state.task.specific
        if "approve" not in [name for name, _verbose, _modal in task.get_actions(page, user)]:
            raise PermissionDenied
        form = task.get_form_for_action("approve")({"comment": "同意"})
        if not form.is_valid():
            raise ValueError(form.errors)
        task.on_action(task_state, user, "approve", **form.cleaned_data)

    def run(label):
        page_id = create_and_submit(request_user(drafter), label)
        for approver in approvers:
            approve(request_user(approver), page_id)
        return page_id

    return run


def run(steps, count):
    from measure import measure
    from wagtail.models import Page

    one = wagtail_lifecycle(steps)
    published_before = Page.objects.filter(live=True, depth=4, slug__regex=r"^[0-9a-f]{32}$").count()
    result = measure(one, count)
    published = Page.objects.filter(live=True, depth=4, slug__regex=r"^[0-9a-f]{32}$").count() - published_before
    if published != count + 2:  # the warm and the counted lifecycle too
        raise AssertionError(f"{published} pages published, expected {count + 2}")
    result.update(system="wagtail", steps=steps, versions=versions())
    return result


def versions():
    import django
    import wagtail

    return {"Wagtail": wagtail.__version__, "Django": django.get_version(), "Python": sys.version.split()[0]}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["setup", "run"])
    ap.add_argument("--steps", type=int, nargs="+", default=[7])
    ap.add_argument("--count", type=int, default=10)
    a = ap.parse_args(argv)
    _django()
    if a.command == "setup":
        setup(a.steps)
        print(json.dumps({"setup": "ok", "versions": versions()}))
    else:
        if len(a.steps) != 1:
            ap.error("run needs exactly one --steps")
        print(json.dumps(run(a.steps[0], a.count)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
