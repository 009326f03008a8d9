"""The privacy pre-check (保密预检) of revisions: when to scan and where the report is kept.

The scanner itself is the pure-Python package `privacy`; this module only feeds it a revision's body,
attachments and the agency's own words, and stores the report on the revision."""
from django.utils import timezone

from privacy import scan

from ..models import Revision


def _attachment_bytes(revision):
    for att in revision.attachments.select_related("blob"):
        with att.blob.file.open("rb") as fh:
            yield att.name, fh.read()


def scan_revision(revision: Revision) -> dict:
    """Run the privacy pre-check over a revision's body and attachments; store and return the report."""
    words = revision.item.agency.sensitive_word_list()
    title = (revision.metadata or {}).get("title") or revision.item.title
    report = scan(revision.body or "", list(_attachment_bytes(revision)), sensitive_words=words, title=title)
    data = report.to_json()  # findings (capped per file), exact counts, blocking, truncated; no raw values
    data["scanned_at"] = timezone.now().isoformat()
    revision.scan = data
    revision.save(allow_scan_update=True, update_fields=["scan"])
    return data


def scan_findings(revision) -> list:
    return (revision.scan or {}).get("findings", []) if revision else []
