"""Bare django-viewflow baseline: the same number of human tasks as a Shenfa lifecycle of N review steps (N step
tasks and a publish task), on viewflow's default Process and Task, with nothing of ours (no item, revision,
policy, permission query, audit chain or privacy scan). Both drivers (bench/run.py, bench/compare.py) walk it
the way our actions walk a review: per task one transaction to claim (assign) and one to complete."""
from django.db import transaction
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS


def _noop_view(request, **kwargs):  # never rendered: the benchmark calls the activations directly
    raise NotImplementedError


def _linear_flow(name, steps):
    """A flow class `name`: start -> s1 -> ... -> s<steps> -> publish -> end, every task a human View."""
    attrs = {"__module__": __name__, "__qualname__": name, "start": flow.StartHandle().Next(this.s1)}
    for k in range(1, steps + 1):
        attrs[f"s{k}"] = flow.View(_noop_view).Next(getattr(this, f"s{k + 1}") if k < steps else this.publish)
    attrs["publish"] = flow.View(_noop_view).Next(this.end)
    attrs["end"] = flow.End()
    return type(name, (flow.Flow,), attrs)


# Module-level names: viewflow stores a process's flow as "<module>/<class name>" and imports it back.
BaselineFlow = _linear_flow("BaselineFlow", 7)
BaselineFlow3 = _linear_flow("BaselineFlow3", 3)
FLOWS = {7: BaselineFlow, 3: BaselineFlow3}


def lifecycle(user, steps=7):
    """Start a process and walk its steps + 1 human tasks: claim, then complete, each in its own transaction."""
    flow_class = FLOWS[steps]
    with transaction.atomic():
        process = flow_class.start.run()
    for _ in range(steps + 1):
        with transaction.atomic():
            task = Task.objects.select_for_update().get(process=process, status=STATUS.NEW)
            task.flow_task.activation_class(task).assign(user)
        with transaction.atomic():
            task = Task.objects.select_for_update().get(pk=task.pk)
            activation = task.flow_task.activation_class(task)
            activation.start(None)
            activation.execute()
    return process
