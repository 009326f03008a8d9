"""Uploads checked while they stream (core.uploads.SizeLimitHandler, first in FILE_UPLOAD_HANDLERS for every
request): no attachment is read past ATTACHMENT_MAX_BYTES, and a request announcing more than the whole
upload may hold is refused before its body is read."""
from functools import wraps

from core.uploads import FORM_OVERHEAD, MAX_FILES, SizeLimitHandler

__all__ = ["FORM_OVERHEAD", "MAX_FILES", "SizeLimitHandler", "limit_uploads"]


def limit_uploads(run):
    """django-ninja operation decorator: make sure the size-limiting handler runs before request.FILES is
    parsed (it is installed for every request by the settings; this keeps the API safe without them)."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        if not any(isinstance(h, SizeLimitHandler) for h in request.upload_handlers):
            request.upload_handlers.insert(0, SizeLimitHandler(request))
        return run(request, *args, **kwargs)

    return wrapper
