"""Task routing with viewflow.workflow: one process per review round.

    start → route ─┬→ step (one human task per required step, looping back to route)
                   ├→ publish (the authorised publisher's task once every step approved)
                   └→ end (rejected, not disclosed, or published)

Which step comes next is data (the round's policy snapshot and position), so one flow serves every
review policy. Who may claim or execute a task is answered by workflow.permissions, the same policy
that builds the inboxes."""
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from .models import ReviewRound


class PolicyTaskMixin:
    """Ask workflow.permissions, not Django model permissions, who may claim and execute a task."""

    def can_assign(self, user, task):
        from . import permissions

        if task.owner_id or user is None or user.is_anonymous:
            return False
        return permissions.task_denial(user, task) is None

    def can_execute(self, user, task):
        from . import permissions

        return task.owner_id == getattr(user, "pk", None) and permissions.task_denial(user, task) is None


class StepTask(PolicyTaskMixin, flow.View):
    pass


class PublishTask(PolicyTaskMixin, flow.View):
    pass


def _task_view(name):
    def view(request, *args, **kwargs):
        from .views import tasks

        return getattr(tasks, name)(request, *args, **kwargs)

    return view


class ReviewFlow(flow.Flow):
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
        StepTask(_task_view("step_task"))
        .Annotation(title=_("审核步骤"))
        .onCreate(this.label_step_task)
        .Next(this.route)
    )

    publish = (
        PublishTask(_task_view("publish_task"))
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
