"""Entry points viewflow's task URLs resolve to: they hand over to the item's task page."""
from django.shortcuts import redirect


def step_task(request, *args, task_pk=None, **kwargs):
    return redirect("workflow:task", task_pk=task_pk)


def publish_task(request, *args, task_pk=None, **kwargs):
    return redirect("workflow:task", task_pk=task_pk)
