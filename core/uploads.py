"""Uploads checked while they stream, on the web form as on the API: no attachment is kept past
ATTACHMENT_MAX_BYTES (neither in memory nor on disk), and a request announcing more than a whole upload may
hold (MAX_FILES attachments at the limit) is refused before its body is read.

Two modes of one handler:
  * SizeLimitHandler (the API, api.uploads.limit_uploads): the first byte past the limit ends the request
    with UploadRefused; the rest of the body is not read.
  * SkippingSizeLimitHandler (every other request: first in settings.FILE_UPLOAD_HANDLERS): the file is
    dropped at the first byte past the limit (SkipFile: the rest of that file is read and discarded, never
    stored), the reason is kept in refused_uploads(request), and the other fields are parsed, so the web
    form shows the error next to the attachment field with everything else the person typed.

UploadRefused is an InvalidInput (a 400 with a Chinese message where the view or the API maps engine errors)
and a SuspiciousOperation (a 400 where Django itself answers: CsrfViewMiddleware reads request.POST, and so
the upload, before any view runs)."""
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from core.conf import shenfa_setting
from core.errors import InvalidInput

MAX_FILES = 20             # files in one upload request
FORM_OVERHEAD = 64 * 1024  # multipart headers and the small form fields beside the files


class UploadRefused(InvalidInput, SuspiciousOperation):
    """An upload over the limits: the rest of the body is not read."""


def too_large(name, limit):
    return UploadRefused(f"附件“{name}”超过大小限制（{limit // (1024 * 1024)} MB）",
                         en=f"Attachment larger than {limit} bytes", field="attachments")


class SizeLimitHandler(FileUploadHandler):
    """First in the chain of upload handlers: counts each file's bytes as they arrive and stops at the limit.

    It passes every chunk on unchanged, so Django's own handlers still keep small files in memory and
    spool larger ones to a temporary file."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = shenfa_setting("ATTACHMENT_MAX_BYTES")
        self.received = 0
        self.files = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > MAX_FILES * self.limit + FORM_OVERHEAD:
            raise UploadRefused(f"上传内容过大（每个附件最多 {self.limit // (1024 * 1024)} MB，最多 {MAX_FILES} 个）",
                                en="Upload too large", field="attachments")

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.files += 1
        if self.files > MAX_FILES:
            raise UploadRefused(f"一次最多上传 {MAX_FILES} 个附件", en="Too many files", field="file")

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise too_large(self.file_name, self.limit)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file


REFUSED_ATTR = "shenfa_refused_uploads"


def refused_uploads(request) -> list[str]:
    """The reasons files of this request were dropped while streaming (read request.POST/FILES first)."""
    return list(getattr(request, REFUSED_ATTR, ()))


class SkippingSizeLimitHandler(SizeLimitHandler):
    """The web form's mode: drop the oversize file, remember why, keep parsing the other fields."""

    def receive_data_chunk(self, raw_data, start):
        try:
            return super().receive_data_chunk(raw_data, start)
        except UploadRefused as exc:
            if self.request is not None:
                setattr(self.request, REFUSED_ATTR, [*refused_uploads(self.request), exc.message])
            raise SkipFile() from exc
