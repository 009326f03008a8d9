"""The JSON API under /api/v1/ (django-ninja): the routers, the OpenAPI document at openapi.json, and a JSON
404 for any other path below the prefix."""
from django.urls import re_path

from .auth import AUTH
from .base import DESCRIPTION, Api, error_response, json_errors
from .errors import not_found
from .routers import audit, auth, disclosure, items, publishing, reference, requests, tasks

api = Api(title="审发 · 政务公开审核发布系统 API", version="1.0.0", description=DESCRIPTION, auth=AUTH,
          urls_namespace="api", openapi_url="/openapi.json")
for module in (auth, reference, items, tasks, publishing, disclosure, requests, audit):
    api.add_router("", module.router)


def unknown_path(request, rest=""):
    """JSON 404 for any path under /api/v1/ that is not an endpoint (instead of an HTML page)."""
    return error_response(not_found(en="No such API endpoint"))


unknown_path.csrf_exempt = True

patterns, app_name, namespace = api.urls
for pattern in patterns:
    pattern.callback = json_errors(pattern.callback)
urlpatterns = [*patterns, re_path(r"^(?P<rest>[\s\S]*)$", unknown_path)]
