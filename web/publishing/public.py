"""The public 政府信息公开 column (no log-in). Everything shown comes from published revisions of online,
publicly scoped items (publishing.catalogue.public_entries); working drafts never reach these views."""
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from core.models import Agency
from core.richtext import body_excerpt, body_html
from publishing import catalogue
from publishing.models import PublicEntry
from workflow.models import Attachment, Category, InfoType

PAGE_SIZE = 20


def _sidebar():
    entries = catalogue.public_entries()
    agencies = (entries.values("agency__code", "agency__name").annotate(n=Count("pk")).order_by("agency__code"))
    topics = entries.exclude(topic=None).values("topic_id", "topic__name").annotate(n=Count("pk")).order_by(
        "topic__sort", "topic__name")
    facets = entries.exclude(facet=None).values("facet_id", "facet__name").annotate(n=Count("pk")).order_by(
        "facet__sort", "facet__name")
    return {"agencies": agencies, "topics": topics, "facets": facets,
            "valid_count": catalogue.currently_valid().count()}


def catalogue_list(request, agency_code=None, topic_id=None, facet_id=None, valid=False):
    """Browse by agency, 主题分类, 组配分类; the currently valid normative documents; full-text search."""
    qs = catalogue.public_entries()
    heading = "政府信息公开目录"
    agency_code = agency_code or request.GET.get("agency")
    topic_id = topic_id or request.GET.get("topic")
    facet_id = facet_id or request.GET.get("facet")
    if agency_code:
        agency = get_object_or_404(Agency, code=agency_code)
        qs = qs.filter(agency=agency)
        heading = agency.name
    if topic_id:
        topic = get_object_or_404(Category, pk=_int(topic_id), kind=Category.Kind.TOPIC)
        qs = qs.filter(topic=topic)
        heading = f"主题分类：{topic.name}"
    if facet_id:
        facet = get_object_or_404(Category, pk=_int(facet_id), kind=Category.Kind.FACET)
        qs = qs.filter(facet=facet)
        heading = f"组配分类：{facet.name}"
    info_type = request.GET.get("type")
    if info_type in InfoType.values:
        qs = qs.filter(info_type=info_type)
    if valid:
        qs = catalogue.currently_valid(qs)
        heading = "现行有效行政规范性文件"
    query = (request.GET.get("q") or "").strip()[:100]
    if query:
        qs = catalogue.search(qs, query)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "public/catalogue.html", {
        "page": page, "heading": heading, "query": query, "valid": valid, **_sidebar(),
        "querystring": _querystring(request),
    })


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("分类不存在") from None


def _querystring(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def item_detail(request, pk):
    """The item page: metadata block (seed 003), validity shown prominently, policy ⇄ interpretation links."""
    entry = catalogue.public_item_or_none(pk)
    if entry is None:
        raise Http404("该信息不存在或已撤回")
    item = entry.item
    revision = item.published_revision
    public = catalogue.public_entries()
    policy = public.filter(item_id=item.interprets_id).first() if item.interprets_id else None
    interpretations = public.filter(item__interprets=item)
    amended_by = public.filter(item_id=item.amended_by_id).first() if item.amended_by_id else None
    amends = public.filter(item__amended_by=item)
    return render(request, "public/item.html", {
        "entry": entry, "item": item, "revision": revision, "attachments": revision.attachments.all(),
        "normative": entry.info_type in catalogue.NORMATIVE_TYPES, "policy": policy,
        "interpretations": interpretations, "amended_by": amended_by, "amends": amends,
        "info_type_label": InfoType(entry.info_type).label if entry.info_type in InfoType.values else "",
    })


def attachment_download(request, pk, attachment_id):
    """An attachment of the published revision (only) of a public item."""
    entry = catalogue.public_item_or_none(pk)
    if entry is None:
        raise Http404("该信息不存在或已撤回")
    att = get_object_or_404(Attachment.objects.select_related("blob"), pk=attachment_id,
                            revision_id=entry.item.published_revision_id)
    return FileResponse(att.blob.file.open("rb"), as_attachment=True, filename=att.name,
                        content_type=att.blob.content_type or "application/octet-stream")


class LatestFeed(Feed):
    """Atom feed of the latest public information."""

    feed_type = Atom1Feed
    title = "政府信息公开 · 最新信息"
    subtitle = "主动公开的政府信息"

    def link(self):
        return reverse("publishing:catalogue")

    def items(self):
        return catalogue.public_entries().select_related("item__published_revision")[:50]

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        """The summary, then the body's first paragraphs, lists and tables as HTML (not run together)."""
        summary = f"<p>{escape(entry.summary)}</p>" if entry.summary else ""
        return summary + body_excerpt(entry.item.published_revision.body, 8)

    def item_link(self, entry):
        return reverse("publishing:item", args=[entry.item_id])

    def item_guid(self, entry):
        return f"urn:shenfa:index:{entry.item.index_number}"

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry.published_at

    def item_updateddate(self, entry):
        return entry.changed_at

    def item_author_name(self, entry):
        return entry.agency.name

    def item_categories(self, entry):
        return [c.name for c in (entry.topic, entry.facet) if c is not None]


def _entry_json(request, entry):
    item = entry.item
    visible = item.online and entry.scope == "public"
    base = {"id": item.pk, "index_number": item.index_number, "online": visible,
            "changed_at": entry.changed_at.isoformat()}
    if not visible:
        return base  # tombstone: the CMS must take its copy down
    revision = item.published_revision
    base.update({
        "url": request.build_absolute_uri(reverse("publishing:item", args=[item.pk])),
        "title": entry.title, "doc_number": entry.doc_number, "info_type": entry.info_type,
        "agency": {"code": entry.agency.code, "name": entry.agency.name},
        "topic": entry.topic.name if entry.topic else None, "facet": entry.facet.name if entry.facet else None,
        "created_date": entry.created_date.isoformat() if entry.created_date else None,
        "published_at": entry.published_at.isoformat() if entry.published_at else None,
        "validity": item.validity or None, "summary": entry.summary, "body_html": body_html(revision.body),
        "revision_hash": revision.content_hash,
        "attachments": [{"name": a.name, "sha256": a.blob_id, "size": a.blob.size,
                         "url": request.build_absolute_uri(reverse("publishing:attachment", args=[item.pk, a.pk]))}
                        for a in revision.attachments.select_related("blob")],
    })
    return base


def items_json(request):
    """For the website's CMS: entries changed since `since` (ISO 8601), oldest change first, paginated.
    Items taken offline (withdrawn, expired, scope narrowed) come as tombstones with online=false."""
    since_raw = request.GET.get("since")
    qs = PublicEntry.objects.filter(ever_public=True).select_related(
        "item", "agency", "topic", "facet", "item__published_revision").order_by("changed_at", "pk")
    if since_raw:
        try:
            since = parse_datetime(since_raw.replace(" ", "+"))  # a '+' in a query string arrives as ' '
        except ValueError:
            since = None
        if since is None:
            return JsonResponse({"code": "invalid_input", "field": "since",
                                 "message": "since 参数须为 ISO 8601 时间，如 2026-01-01T00:00:00+08:00",
                                 "message_en": "since must be an ISO 8601 timestamp"}, status=400)
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
        qs = qs.filter(changed_at__gt=since)
    try:
        size = max(1, min(int(request.GET.get("page_size", 50)), 200))
    except ValueError:
        size = 50
    paginator = Paginator(qs, size)
    page = paginator.get_page(request.GET.get("page"))
    next_url = None
    if page.has_next():
        params = request.GET.copy()
        params["page"] = page.next_page_number()
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return JsonResponse({
        "count": paginator.count, "page": page.number, "pages": paginator.num_pages, "next": next_url,
        "items": [_entry_json(request, e) for e in page.object_list],
    }, json_dumps_params={"ensure_ascii": False})
