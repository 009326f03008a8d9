"""Bare django-viewflow baseline: the same number of human steps as our default policy (7 review steps and
a publish task), on viewflow's default Process and Task, with nothing of ours (no item, revision, policy,
permission query, audit chain or privacy scan). bench/run.py drives both the same way: per step one
transaction to claim (assign) and one to complete."""
from django.db import transaction
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS


def _noop_view(request, **kwargs):  # never rendered: the benchmark calls the activations directly
    raise NotImplementedError


class BaselineFlow(flow.Flow):
    start = flow.StartHandle().Next(this.s1)
    s1 = flow.View(_noop_view).Next(this.s2)
    s2 = flow.View(_noop_view).Next(this.s3)
    s3 = flow.View(_noop_view).Next(this.s4)
    s4 = flow.View(_noop_view).Next(this.s5)
    s5 = flow.View(_noop_view).Next(this.s6)
    s6 = flow.View(_noop_view).Next(this.s7)
    s7 = flow.View(_noop_view).Next(this.publish)
    publish = flow.View(_noop_view).Next(this.end)
    end = flow.End()


def lifecycle(user):
    """Start a process and walk its 8 human tasks: claim, then complete, each in its own transaction."""
    with transaction.atomic():
        process = BaselineFlow.start.run()
    for _ in range(8):
        with transaction.atomic():
            task = Task.objects.select_for_update().get(process=process, status=STATUS.NEW)
            task.flow_task.activation_class(task).assign(user)
        with transaction.atomic():
            task = Task.objects.select_for_update().get(pk=task.pk)
            activation = task.flow_task.activation_class(task)
            activation.start(None)
            activation.execute()
    return process
