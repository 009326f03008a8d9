"""Task routing with viewflow.workflow: one process per review round.

    start → route ─┬→ step (one human task per required step, looping back to route)
                   ├→ publish (the authorised publisher's task once every step approved)
                   └→ end (rejected, not disclosed, or published)

Which step comes next is data (the round's policy snapshot and position), so one flow serves every
review policy. Who may claim or execute a task is answered by workflow.permissions, the same policy
that builds the inboxes."""
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from . import permissions
from .models import ReviewRound


class PolicyTaskMixin:
    """Ask workflow.permissions, not Django model permissions, who may claim and execute a task."""

    def can_assign(self, user, task):
        if task.owner_id or user is None or user.is_anonymous:
            return False
        return permissions.task_denial(user, task) is None

    def can_execute(self, user, task):
        return task.owner_id == getattr(user, "pk", None) and permissions.task_denial(user, task) is None


class StepTask(PolicyTaskMixin, flow.View):
    pass


class PublishTask(PolicyTaskMixin, flow.View):
    pass


def task_page(request, *args, task_pk=None, **kwargs):
    """viewflow's frontend is not mounted: a task's page is the web app's task page (/tasks/<id>/)."""
    return redirect(f"/tasks/{task_pk}/")


class ReviewFlow(flow.Flow):
    # Lock the process row while viewflow routes (start, cancel): the actions already hold the item lock,
    # so this never waits on another item.
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    process_title = _("信息发布审核")
    process_description = _("先审后发、一事一审：按审核策略逐步审核，保密审查后由发布人发布")

    start = flow.StartHandle(this.start_round).Next(this.route)

    route = (
        flow.Switch()
        .Case(this.step, lambda act: ReviewFlow.round_of(act.process).current_step is not None)
        .Case(this.publish, lambda act: ReviewFlow.round_of(act.process).awaits_publication)
        .Default(this.end)
    )

    step = (
        StepTask(task_page)
        .Annotation(title=_("审核步骤"))
        .onCreate(this.label_step_task)
        .Next(this.route)
    )

    publish = (
        PublishTask(task_page)
        .Annotation(title=_("发布"))
        .onCreate(this.label_publish_task)
        .Next(this.end)
    )

    end = flow.End()

    def start_round(self, activation, round_id):
        activation.process.data = {"round": round_id}
        activation.process.save()
        ReviewRound.objects.filter(pk=round_id).update(process=activation.process)
        return activation.process

    @staticmethod
    def round_of(process):
        return ReviewRound.objects.select_related("item").get(pk=process.data["round"])

    def label_step_task(self, activation):
        rnd = self.round_of(activation.process)
        activation.task.data = {"step": rnd.current_step, "round": rnd.pk, "item": rnd.item_id,
                                "agency": rnd.item.agency_id, "position": rnd.position}
        activation.task.save(update_fields=["data"])

    def label_publish_task(self, activation):
        rnd = self.round_of(activation.process)
        activation.task.data = {"step": "publish", "round": rnd.pk, "item": rnd.item_id,
                                "agency": rnd.item.agency_id}
        activation.task.save(update_fields=["data"])
