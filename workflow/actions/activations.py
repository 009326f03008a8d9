"""The only code that touches viewflow activations of the review flow (ReviewFlow, workflow/flows.py).

Everything goes through viewflow's own activation API (assign, unassign, reassign, start + execute,
cancel), so viewflow's task statuses, process status and task links stay consistent; the actions that
call these hold the item lock, and the flow's lock_impl locks the process row."""
from viewflow.workflow.models import Task

from core.locking import lock

from ..flows import ReviewFlow
from ..permissions import OPEN_STATUSES


def start_round(rnd) -> None:
    """Start the review process of a new round (its first task is created at once).

    `rnd` (with its item) is handed to the flow, which routes on it without reading it again."""
    rnd.process = ReviewFlow.start.run(rnd=rnd)
    rnd.save(update_fields=["process"])


def lock_task(task) -> Task:
    """Lock the task's row and return it fresh, with its process and the process's review round.

    The round comes in the same statement and is cached on the process, so the flow routes on the very
    round object the action changes (ReviewFlow.round_of)."""
    return lock(Task, task.pk, related=("process", "process__review_round"), of=("self",))


def task_step(task) -> str:
    """The review step of a task, or "publish" for the publisher's task."""
    return task.data.get("step", "")


def assign(task, user) -> None:
    task.flow_task.activation_class(task).assign(user)


def unassign(task) -> None:
    task.flow_task.activation_class(task).unassign()


def reassign(task, user) -> None:
    activation = task.flow_task.activation_class(task)
    if task.owner_id:
        activation.reassign(user)
    else:
        activation.assign(user)


def complete(task, actor=None) -> None:
    """Finish a task (assigning it to `actor` first if nobody holds it); the flow routes to the next node."""
    activation = task.flow_task.activation_class(task)
    if task.owner_id is None and actor is not None:
        activation.assign(actor)
    activation.start(None)
    activation.execute()


def open_tasks(item):
    return Task.objects.filter(process__review_round__item=item, status__in=OPEN_STATUSES)


def open_task_for(item, *, step: str | None = None) -> Task | None:
    """The open task of the item's latest round (optionally of a given step, or "publish")."""
    qs = open_tasks(item)
    if step:
        qs = qs.filter(data__step=step)
    return qs.order_by("-pk").first()


def cancel_rounds_of(item) -> None:
    """Cancel the open review processes of the item (their open tasks and the processes themselves)."""
    processes = {task.process for task in open_tasks(item).select_related("process")}
    for process in processes:
        ReviewFlow.instance.cancel(process)
