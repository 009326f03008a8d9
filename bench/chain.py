"""Bulk writer for the audit hash chain: the same records and hashes as audit.log.record, many per query."""
from datetime import UTC

from django.db import transaction
from django.utils import timezone

from audit.models import AuditRecord, ChainHead


class ChainWriter:
    """Append audit records in batches. Use inside one transaction; call flush() before it commits.

    Each record is built exactly like audit.log.record builds it (same fields, same canonical hash over the
    previous record's hash), so `manage.py verify_audit` accepts the result."""

    def __init__(self, batch_size=5000):
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("ChainWriter must be used inside a transaction")
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            ChainHead.objects.get_or_create(pk=1)
            head = ChainHead.objects.select_for_update().get(pk=1)
        self.head = head
        self.pending = []
        self.batch_size = batch_size
        self.written = 0

    def add(self, *, action, actor_id=None, actor_name="系统", role="", agency_id=None, item_id=None,
            subject_type="", subject_id="", revision_hash="", from_state="", to_state="", comment="", data=None,
            created_at=None, ip=""):
        if item_id is not None and not subject_type:
            subject_type, subject_id = "workflow.information", str(item_id)
        # Stored and re-read in UTC: hash the UTC form, as audit.log.record does with timezone.now().
        created_at = (created_at or timezone.now()).astimezone(UTC)
        rec = AuditRecord(
            seq=self.head.count + 1, created_at=created_at, action=action, actor_id=actor_id,
            actor_name=actor_name if actor_id else "系统", role=role, agency_id=agency_id, item_id=item_id,
            subject_type=subject_type, subject_id=subject_id, revision_hash=revision_hash,
            from_state=str(from_state or ""), to_state=str(to_state or ""), comment=comment, data=data or {},
            ip=ip or "", prev_hash=self.head.last_hash,
        )
        rec.hash = rec.compute_hash()
        self.head.count, self.head.last_hash = rec.seq, rec.hash
        self.pending.append(rec)
        if len(self.pending) >= self.batch_size:
            self.flush()
        return rec

    def flush(self):
        if self.pending:
            AuditRecord.objects.bulk_create(self.pending, batch_size=self.batch_size)
            self.written += len(self.pending)
            self.pending = []
        ChainHead.objects.filter(pk=1).update(count=self.head.count, last_hash=self.head.last_hash)
