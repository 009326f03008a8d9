"""One place that turns the engine's errors into pages, and the Chinese error pages themselves.

Views and the actions they call raise core.errors (NotFound 404, NotAllowedForYou 403, NotAllowedInState 409,
InvalidInput 400); the middleware renders them with the reason. The "may see" rule is the same everywhere:
an object you may not see is a 404 that names nothing (not its agency, not whether it exists); an action you
may not take on an object you can see is a 403 with the reason. The API answers in JSON on its own."""
import logging

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from core.errors import NotFound, ShenfaError

TITLES = {400: "输入有误", 403: "无权操作", 404: "页面不存在", 409: "操作未完成", 429: "请求过于频繁"}


logger = logging.getLogger("shenfa.errors")


def _ours(response):
    response.shenfa_error_page = True
    return response


def add_form_error(form, error: ShenfaError) -> None:
    """Put an action's error next to the form field it names, or on top of the form if it names no field of it."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def error_page(request, error: ShenfaError):
    return _ours(render(request, "errors/error.html",
                        {"error": error, "title": TITLES.get(error.status, "操作未完成")}, status=error.status))


class EngineErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code in (404, 500) and not request.path.startswith("/api/"):
            return _debug_page_in_chinese(request, response)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, ShenfaError) and not request.path.startswith("/api/"):
            return error_page(request, exception)
        return None


def not_found(message: str = "您要找的页面不存在，或您无权查看") -> NotFound:
    return NotFound(message, en="Not found")


def _debug_page_in_chinese(request, response):
    """With DEBUG on, Django answers a 404 or a crash with its English technical page (URL patterns,
    settings, traceback). People see the Chinese page in every mode; the traceback stays in the log
    (django.request logs it), and the technical page is still there for a developer who sets
    SHENFA_DEBUG_TECHNICAL_PAGES = True."""
    if getattr(response, "shenfa_error_page", False) or getattr(settings, "SHENFA_DEBUG_TECHNICAL_PAGES", False):
        return response
    if "text/html" not in response.get("Content-Type", ""):
        return response
    if response.status_code == 404:
        return page_not_found(request)
    logger.error("server error on %s (the Chinese 500 page was shown instead of the debug page)", request.path)
    return server_error(request)


# Django's handlers for errors raised outside the engine (Http404, PermissionDenied, server errors). Under
# /api/ they answer in the API's JSON error format: an error raised before django-ninja takes the request
# (in a middleware, or while the body is parsed) is JSON too.
API_ERRORS = {
    400: ("bad_request", "请求过大或格式不正确", "Bad request"),
    403: ("permission_denied", "您无权执行此操作", "Forbidden"),
    404: ("not_found", "未找到该对象，或您无权查看", "Not found"),
    500: ("server_error", "服务器内部错误，请稍后再试；问题已记录", "Internal server error"),
}


def _is_api(request):
    return request.path.startswith("/api/")


def api_error(status, error: ShenfaError | None = None):
    if error is not None:
        return JsonResponse(error.as_dict(), status=error.status, json_dumps_params={"ensure_ascii": False})
    code, message, en = API_ERRORS[status]
    return JsonResponse({"code": code, "message": message, "message_en": en}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def page_not_found(request, exception=None):
    if _is_api(request):
        return api_error(404)
    return _ours(render(request, "errors/404.html", status=404))


def permission_denied(request, exception=None):
    if _is_api(request):
        return api_error(403)
    reason = str(exception) if exception and str(exception) else "您无权执行此操作"
    return _ours(render(request, "errors/403.html", {"reason": reason}, status=403))


def bad_request(request, exception=None):
    # An engine error raised where Django answers itself (an upload refused while CsrfViewMiddleware reads
    # the body) keeps its message and its status.
    if isinstance(exception, ShenfaError):
        return api_error(400, exception) if _is_api(request) else error_page(request, exception)
    if _is_api(request):
        return api_error(400)
    return _ours(render(request, "errors/400.html", status=400))


def server_error(request):
    if _is_api(request):
        return api_error(500)
    # No template context processors here: a broken request must still get a page.
    return _ours(render(request, "errors/500.html", status=500))


def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page says: the icon among the static files."""
    return redirect(static("shenfa/favicon.ico"), permanent=True)
