"""Issue 16 finding 5: the web form's uploads are checked for size while they stream, as the API's are."""
import io

import pytest
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from core.uploads import SkippingSizeLimitHandler
from tests.factories import draft, reload
from tests.web.workflow.test_views__drafting import form_payload
from workflow.models import AttachmentBlob, Information

pytestmark = pytest.mark.django_db


class CountingInput(io.BytesIO):
    """The request body, counting how much of it the server read."""

    def __init__(self, data):
        super().__init__(data)
        self.consumed = 0

    def read(self, *args):
        chunk = super().read(*args)
        self.consumed += len(chunk)
        return chunk

    def readline(self, *args):
        line = super().readline(*args)
        self.consumed += len(line)
        return line


def post_multipart(client, path, data, **extra):
    body = encode_multipart(BOUNDARY, data)
    stream = CountingInput(body)
    resp = client.generic("POST", path, body, content_type=MULTIPART_CONTENT, **{"wsgi.input": stream}, **extra)
    return resp, stream, len(body)


def test_every_request_passes_the_size_limit_first(rf):
    request = rf.post("/")
    kinds = [type(h) for h in request.upload_handlers]
    assert kinds == [SkippingSizeLimitHandler, MemoryFileUploadHandler, TemporaryFileUploadHandler]


class Watching(SkippingSizeLimitHandler):
    """Records the largest number of bytes of one file passed on to the handlers that store it."""

    most = 0

    def receive_data_chunk(self, raw_data, start):
        chunk = super().receive_data_chunk(raw_data, start)
        Watching.most = max(Watching.most, self.received)
        return chunk


def test_an_oversize_upload_on_the_web_form_is_dropped_at_the_limit(world, settings):
    settings.SHENFA = {**settings.SHENFA, "ATTACHMENT_MAX_BYTES": 256 * 1024}
    settings.FILE_UPLOAD_HANDLERS = ["tests.web.test_uploads__streaming.Watching",
                                     *settings.FILE_UPLOAD_HANDLERS[1:]]
    Watching.most = 0
    client = Client()
    client.force_login(world.drafter)
    big = io.BytesIO(b"x" * (4 * 1024 * 1024))
    big.name = "大文件.pdf"
    resp, stream, total = post_multipart(client, "/items/new/", {**form_payload(), "attachments": big})
    # the form comes back with the reason next to the field and what was typed kept
    assert resp.status_code == 400
    form = resp.context["form"]
    assert "超过大小限制" in " ".join(form.errors["attachments"])
    assert form.data["title"] == form_payload()["title"]
    # nothing past the limit (and one chunk) was handed on to be kept in memory or on disk
    assert Watching.most <= 256 * 1024 + 64 * 1024
    assert not Information.objects.exists() and not AttachmentBlob.objects.exists()


def test_an_oversize_upload_when_editing_changes_nothing(world, settings):
    settings.SHENFA = {**settings.SHENFA, "ATTACHMENT_MAX_BYTES": 128 * 1024}
    item = draft(world)
    client = Client()
    client.force_login(world.drafter)
    big = io.BytesIO(b"x" * (1024 * 1024))
    big.name = "附件.pdf"
    payload = {**form_payload(), "attachments": big, "expected_hash": item.current_revision.content_hash}
    resp, stream, total = post_multipart(client, f"/items/{item.pk}/edit/", payload)
    assert resp.status_code == 400 and "超过大小限制" in " ".join(resp.context["form"].errors["attachments"])
    assert reload(item).current_revision.number == 1


def test_a_request_announcing_a_huge_body_is_refused_before_reading(world, settings):
    settings.SHENFA = {**settings.SHENFA, "ATTACHMENT_MAX_BYTES": 1024}
    client = Client()
    client.force_login(world.drafter)

    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("the body must not be read")

        readline = read

    body = encode_multipart(BOUNDARY, {"title": "x"})
    resp = client.generic("POST", "/items/new/", body, content_type=MULTIPART_CONTENT, CONTENT_LENGTH=str(10**9),
                          **{"wsgi.input": Unreadable()})
    assert resp.status_code == 400


def test_an_upload_within_the_limit_is_stored(world, settings):
    settings.SHENFA = {**settings.SHENFA, "ATTACHMENT_MAX_BYTES": 256 * 1024}
    client = Client()
    client.force_login(world.drafter)
    ok = io.BytesIO(b"%PDF-1.4 " + b"x" * 1000)
    ok.name = "附件.pdf"
    resp, _, _ = post_multipart(client, "/items/new/", {**form_payload(), "attachments": ok})
    assert resp.status_code == 302
    assert Information.objects.get().current_revision.attachments.count() == 1


def test_an_oversize_upload_read_by_the_csrf_check_is_a_400_with_the_reason(world, settings):
    settings.SHENFA = {**settings.SHENFA, "ATTACHMENT_MAX_BYTES": 64 * 1024}
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.drafter)
    client.get("/items/new/")
    big = io.BytesIO(b"x" * (1024 * 1024))
    big.name = "大文件.pdf"
    payload = {**form_payload(), "attachments": big, "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    resp, stream, total = post_multipart(client, "/items/new/", payload)
    assert resp.status_code == 400 and "超过大小限制" in resp.content.decode()
    assert not AttachmentBlob.objects.exists()


def test_the_api_still_stops_reading_at_the_limit(world, settings):
    from tests.api.conftest import token_for

    settings.SHENFA = {**settings.SHENFA, "ATTACHMENT_MAX_BYTES": 64 * 1024}
    item = draft(world)
    client = Client(headers={"Authorization": f"Token {token_for(world.drafter)}"})
    big = io.BytesIO(b"x" * (2 * 1024 * 1024))
    big.name = "大文件.pdf"
    resp, stream, total = post_multipart(client, f"/api/v1/items/{item.pk}/attachments", {"file": big})
    assert resp.status_code == 400 and resp.json()["field"] == "attachments"
    assert stream.consumed < 64 * 1024 + 2 * 64 * 1024 + 16 * 1024, (stream.consumed, total)
