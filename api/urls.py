"""The JSON API under /api/v1/: this route table is also the source of /api/v1/openapi.json."""
from functools import partial

from django.urls import path, re_path, register_converter

from . import openapi, views
from .http import resource as _resource
from .http import unknown_path

resource = partial(_resource, checks=views.PATH_CHECKS)


class IdConverter:
    """Positive ids of at most 18 digits: larger numbers never reach the database (no overflow)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")

app_name = "api"
urlpatterns = [
    path("openapi.json", openapi.schema_view, name="openapi"),
    path("auth/token", resource(views.token_create), name="token"),
    path("me", resource(views.me), name="me"),
    path("items", resource(views.item_list, views.item_create), name="items"),
    path("items/<id:item_id>", resource(views.item_read, views.item_update), name="item"),
    path("items/<id:item_id>/submit", resource(views.item_submit), name="item-submit"),
    path("items/<id:item_id>/attachments", resource(views.attachment_list, views.attachment_upload),
         name="attachments"),
    path("items/<id:item_id>/attachments/<id:attachment_id>",
         resource(views.attachment_download, views.attachment_delete), name="attachment"),
    path("items/<id:item_id>/audit", resource(views.item_audit), name="item-audit"),
    path("items/<id:item_id>/publish", resource(views.item_publish), name="item-publish"),
    path("items/<id:item_id>/withdraw", resource(views.item_withdraw), name="item-withdraw"),
    path("tasks/mine", resource(views.tasks_mine), name="tasks-mine"),
    path("tasks/queue", resource(views.tasks_queue), name="tasks-queue"),
    path("tasks/<id:task_id>", resource(views.task_read), name="task"),
    path("tasks/<id:task_id>/claim", resource(views.task_claim), name="task-claim"),
    path("tasks/<id:task_id>/unclaim", resource(views.task_unclaim), name="task-unclaim"),
    path("tasks/<id:task_id>/approve", resource(views.task_approve), name="task-approve"),
    path("tasks/<id:task_id>/reject", resource(views.task_reject), name="task-reject"),
    path("tasks/<id:task_id>/return", resource(views.task_return), name="task-return"),
    path("tasks/<id:task_id>/proofread", resource(views.task_proofread), name="task-proofread"),
    re_path(r"^(?P<rest>.*)$", unknown_path),
]
