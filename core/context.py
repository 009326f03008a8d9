"""Per-request context (client IP) that actions record without views passing it around."""
import contextvars

request_ip = contextvars.ContextVar("shenfa_request_ip", default=None)


def client_ip(request):
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip()[:45]
    return (request.META.get("REMOTE_ADDR") or "")[:45] or None
