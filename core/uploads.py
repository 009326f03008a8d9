"""Uploads checked while they stream, on the web form as on the API: no attachment is read past
ATTACHMENT_MAX_BYTES, and a request announcing more than a whole upload may hold is refused before its body
is read. Installed first in settings.FILE_UPLOAD_HANDLERS, so every multipart request passes it.

The refusal is an InvalidInput (a 400 with a Chinese message where the view or the API maps engine errors)
and a SuspiciousOperation (a 400 where Django itself answers: CsrfViewMiddleware reads request.POST, and
so the upload, before any view runs)."""
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadhandler import FileUploadHandler

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
