"""Previews for drafters and reviewers: the public page of a draft or of a task's revision exactly as
/gk/ will show it (watermarked 预览, never cached, never indexed), and attachments shown in the browser
(PDF inline; DOCX/XLSX converted to HTML in the privacy sandbox, bounded and sanitised)."""
import datetime
import os
from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from workflow.actions.imports import PREVIEW_EXTENSIONS, attachment_preview
from workflow.models import Attachment, Category, InfoType, Revision

from .common import visible_item

NO_INDEX = "noindex, nofollow, noarchive"


def _no_index(response):
    response["X-Robots-Tag"] = NO_INDEX
    return response


def _entry_for(item, revision):
    """What publishing.catalogue would copy into the public entry, taken from the revision's metadata."""
    meta = revision.metadata or {}
    categories = Category.objects.in_bulk([pk for pk in (meta.get("topic_id"), meta.get("facet_id")) if pk])
    created = meta.get("created_date")
    return SimpleNamespace(
        item_id=item.pk, title=meta.get("title") or item.title, doc_number=meta.get("doc_number") or "",
        agency=item.agency, topic=categories.get(meta.get("topic_id")), facet=categories.get(meta.get("facet_id")),
        facet_id=meta.get("facet_id"), summary=meta.get("summary") or "", info_type=meta.get("info_type") or "",
        created_date=datetime.date.fromisoformat(created) if created else None,
        published_at=item.published_at or timezone.now(),
    )


def _public_preview(request, item, revision):
    entry = _entry_for(item, revision)
    links = [(a.name, reverse("workflow:attachment_preview", args=[item.pk, a.pk]))
             for a in revision.attachments.all()]
    response = render(request, "public/item.html", {
        "entry": entry, "item": item, "revision": revision, "attachment_links": links, "preview": True,
        "normative": False, "policy": None, "interpretations": [], "amended_by": None, "amends": [],
        "info_type_label": InfoType(entry.info_type).label if entry.info_type in InfoType.values else "",
    })
    return _no_index(response)


@never_cache
@login_required
def item_preview(request, pk):
    """The public page of the item's current revision (the draft being written or reviewed)."""
    item = visible_item(request.user, pk)
    if item.current_revision is None:
        raise Http404("该信息还没有版本")
    return _public_preview(request, item, item.current_revision)


@never_cache
@login_required
def revision_preview(request, pk, number):
    """The public page of one revision (a task's revision under review)."""
    item = visible_item(request.user, pk)
    revision = get_object_or_404(Revision, item=item, number=number)
    return _public_preview(request, item, revision)


@never_cache
@login_required
def attachment_view(request, pk, att_pk):
    """An attachment shown in the browser: PDF inline, DOCX/XLSX as sanitised HTML, else a download link."""
    item = visible_item(request.user, pk)
    att = get_object_or_404(Attachment.objects.select_related("blob", "revision"), pk=att_pk, revision__item=item)
    ext = os.path.splitext(att.name)[1].lower()
    if ext == ".pdf":
        try:
            fh = att.blob.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404("附件文件不存在") from exc
        response = FileResponse(fh, as_attachment=False, filename=att.name, content_type="application/pdf")
        # Shown by the browser's PDF viewer, always as a PDF: never sniffed into HTML.
        response["X-Content-Type-Options"] = "nosniff"
        return _no_index(response)
    result = None
    if ext in PREVIEW_EXTENSIONS:
        def read():
            with att.blob.file.open("rb") as fh:
                return fh.read()
        try:
            result = attachment_preview(name=att.name, sha256=att.blob_id, read=read)
        except FileNotFoundError as exc:
            raise Http404("附件文件不存在") from exc
    return _no_index(render(request, "workflow/attachment_preview.html", {
        "item": item, "attachment": att, "result": result, "supported": ext in PREVIEW_EXTENSIONS,
    }))
