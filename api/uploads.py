"""Uploads checked while they stream: no attachment is read past ATTACHMENT_MAX_BYTES, and a request
announcing more than the whole upload may hold is refused before its body is read."""
from functools import wraps

from django.core.files.uploadhandler import FileUploadHandler

from core.conf import shenfa_setting
from core.errors import InvalidInput

MAX_FILES = 20           # files in one upload request
FORM_OVERHEAD = 64 * 1024  # multipart headers and the small form fields beside the files


def _too_large(name, limit):
    return InvalidInput(f"附件“{name}”超过大小限制（{limit // (1024 * 1024)} MB）",
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
            raise InvalidInput(f"上传内容过大（每个附件最多 {self.limit // (1024 * 1024)} MB，最多 {MAX_FILES} 个）",
                               en="Upload too large", field="attachments")

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.files += 1
        if self.files > MAX_FILES:
            raise InvalidInput(f"一次最多上传 {MAX_FILES} 个附件", en="Too many files", field="file")

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise _too_large(self.file_name, self.limit)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file


def limit_uploads(run):
    """django-ninja operation decorator: install the size-limiting handler before request.FILES is parsed."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        request.upload_handlers.insert(0, SizeLimitHandler(request))
        return run(request, *args, **kwargs)

    return wrapper
