"""The public catalogue (政府信息公开目录): what the world may see, built only from published revisions."""
import html
import re

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.html import strip_tags

from workflow.models import InfoType, Scope, Validity

from .models import PublicEntry

NORMATIVE_TYPES = (InfoType.NORMATIVE_DOCUMENT, InfoType.REGULATION)


def plain_text(body_html: str) -> str:
    text = html.unescape(strip_tags(body_html or ""))
    return re.sub(r"\s+", " ", text).strip()


def refresh_entry(item, *, moment=None):
    """Rebuild the catalogue copy of `item` from its published revision; bump its change time (for the CMS)."""
    rev = item.published_revision
    if rev is None:
        return None
    meta = rev.metadata or {}
    values = {
        "agency_id": item.agency_id,
        "title": meta.get("title", "")[:300],
        "doc_number": meta.get("doc_number") or "",
        "info_type": meta.get("info_type") or InfoType.GENERAL,
        "topic_id": meta.get("topic_id"),
        "facet_id": meta.get("facet_id"),
        "created_date": meta.get("created_date"),
        "summary": meta.get("summary") or "",
        "body_text": plain_text(rev.body),
        "scope": meta.get("scope") or Scope.PUBLIC,
        "published_at": item.published_at,
        "changed_at": moment or timezone.now(),
    }
    entry, _ = PublicEntry.objects.update_or_create(item=item, defaults=values)
    if entry.scope == Scope.PUBLIC and item.online and not entry.ever_public:
        entry.ever_public = True
        entry.save(update_fields=["ever_public"])
    return entry


def touch_entry(item, *, moment=None):
    """Record that the public state of `item` changed (withdrawn, expired, validity)."""
    PublicEntry.objects.filter(item=item).update(changed_at=moment or timezone.now())


def public_entries():
    """Everything the public site may show: online, published to the whole public."""
    return (PublicEntry.objects.filter(item__online=True, item__published_revision__isnull=False,
                                       scope=Scope.PUBLIC)
            .select_related("item", "agency", "topic", "facet", "item__published_revision")
            .order_by("-published_at", "-pk"))


def currently_valid(qs=None):
    """现行有效 normative documents: amended, expired and repealed ones leave this list."""
    qs = public_entries() if qs is None else qs
    return qs.filter(info_type__in=NORMATIVE_TYPES, item__validity=Validity.VALID)


def search(qs, query: str):
    """Full-text search over title and body. Every space-separated term must occur (title or body).

    Chinese has no word boundaries, so this is substring matching (ILIKE); on PostgreSQL the pg_trgm
    GIN indexes (migration 0004) serve it for terms of three characters or more. Title hits rank first."""
    terms = [t for t in re.split(r"\s+", (query or "").strip()) if t][:8]
    if not terms:
        return qs
    title_all = Q()
    for term in terms:
        qs = qs.filter(Q(title__icontains=term) | Q(body_text__icontains=term) | Q(doc_number__icontains=term))
        title_all &= Q(title__icontains=term)
    rank = Case(When(title_all, then=Value(0)), default=Value(1), output_field=IntegerField())
    return qs.annotate(title_rank=rank).order_by("title_rank", "-published_at", "-pk")


def public_item_or_none(pk):
    return public_entries().filter(item_id=pk).first()
