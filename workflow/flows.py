"""Task routing with viewflow.workflow: one process per review round.

    start → route ─┬→ step (one human task per required step, routed again when it is done)
                   ├→ publish (the authorised publisher's task once every step approved)
                   └→ end (rejected, not disclosed, or published)

Which step comes next is data (the round's policy snapshot and position), so one flow serves every
review policy. The `route` switch declares the routing once; the start and step nodes evaluate its cases
themselves when they finish and create the chosen task directly, already labelled, instead of
materialising a switch task (and its link, savepoint and round reads) between every two steps.
Who may claim or execute a task is answered by workflow.permissions, the same policy that builds the
inboxes."""
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.activation import Activation
from viewflow.workflow.models import Process
from viewflow.workflow.nodes.start import StartHandleActivation
from viewflow.workflow.nodes.view import ViewActivation

from . import permissions
from .models import ReviewRound

#: The reverse side of ReviewRound.process: the round cached on a process object (select_related or set).
_ROUND_OF_PROCESS = Process._meta.get_field("review_round")


class PolicyTaskMixin:
    """Ask workflow.permissions, not Django model permissions, who may claim and execute a task."""

    def can_assign(self, user, task):
        if task.owner_id or user is None or user.is_anonymous:
            return False
        return permissions.task_denial(user, task) is None

    def can_execute(self, user, task):
        return task.owner_id == getattr(user, "pk", None) and permissions.task_denial(user, task) is None


def _routed_next(activation):
    """Finish a node by evaluating the flow's `route` cases here and creating the chosen task directly."""
    node, data = activation.flow_class.instance.next_node(activation)
    yield node._create(activation, activation.task.token, data=data)


class RoutedStartActivation(StartHandleActivation):
    @Activation.status.super()
    def create_next(self):
        yield from _routed_next(self)


class RoutedViewActivation(ViewActivation):
    @Activation.status.super()
    def create_next(self):
        yield from _routed_next(self)


class RoutedStart(flow.StartHandle):
    activation_class = RoutedStartActivation


class StepTask(PolicyTaskMixin, flow.View):
    activation_class = RoutedViewActivation


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

    start = RoutedStart(this.start_round).Next(this.route)

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

    def start_round(self, activation, rnd):
        # The process row is inserted by the start activation right after this, with its data.
        activation.process.data = {"round": rnd.pk}
        _ROUND_OF_PROCESS.set_cached_value(activation.process, rnd)
        return activation.process

    @staticmethod
    def round_of(process):
        """The process's review round: the one the action already holds (cached on the process), else read."""
        if _ROUND_OF_PROCESS.is_cached(process):
            return _ROUND_OF_PROCESS.get_cached_value(process)
        rnd = ReviewRound.objects.select_related("item").get(pk=process.data["round"])
        _ROUND_OF_PROCESS.set_cached_value(process, rnd)
        return rnd

    def next_node(self, activation):
        """(node, task data) the `route` switch chooses after `activation`, without a switch task."""
        for node, condition in self.route._branches:
            if condition is None or condition(activation):
                return node, self.task_data(node, self.round_of(activation.process))
        raise AssertionError("route has a default case")

    def task_data(self, node, rnd):
        """The labels a review task carries (the inbox and the permission policy filter on them)."""
        if node is self.step:
            return {"step": rnd.current_step, "round": rnd.pk, "item": rnd.item_id,
                    "agency": rnd.item.agency_id, "position": rnd.position}
        if node is self.publish:
            return {"step": "publish", "round": rnd.pk, "item": rnd.item_id, "agency": rnd.item.agency_id}
        return None

    def label_step_task(self, activation):
        # Tasks created through the route switch (processes started before direct routing) get no data.
        if not activation.task.data.get("step"):
            activation.task.data = self.task_data(self.step, self.round_of(activation.process))
            activation.task.save(update_fields=["data"])

    def label_publish_task(self, activation):
        if not activation.task.data.get("step"):
            activation.task.data = self.task_data(self.publish, self.round_of(activation.process))
            activation.task.save(update_fields=["data"])
