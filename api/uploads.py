"""Uploads checked while they stream (core.uploads.SizeLimitHandler, put first by limit_uploads): no attachment
is read past ATTACHMENT_MAX_BYTES + 1 byte (the request ends there with a 400), and a request announcing more
than the whole upload may hold is refused before its body is read."""
from functools import wraps

from core.uploads import FORM_OVERHEAD, MAX_FILES, SizeLimitHandler

__all__ = ["FORM_OVERHEAD", "MAX_FILES", "SizeLimitHandler", "limit_uploads"]


def limit_uploads(run):
    """django-ninja operation decorator: the hard-stop size limit runs first, before request.FILES is parsed
    (the web form's skipping handler of the settings comes after it and never sees an oversize file)."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        request.upload_handlers.insert(0, SizeLimitHandler(request))
        return run(request, *args, **kwargs)

    return wrapper
