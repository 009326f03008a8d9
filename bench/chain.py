"""Bulk writer for the audit hash chain: the same records and hashes as audit.log.record, many per query."""
import json
from datetime import UTC
from functools import partial
from types import SimpleNamespace

from django.db import connection, transaction
from django.utils import timezone

from audit.models import AuditRecord, ChainHead
from bench import copywriter


def write_audit_records(records, *, batch_size=5000):
    """The one place the generator writes audit records (built and hashed by ChainWriter.add exactly as
    audit.log.record builds them): COPY of plain rows on PostgreSQL, bulk_create elsewhere. When the audit app
    changes its chain format, adapt ChainWriter.add and this function only."""
    if connection.vendor == "postgresql":
        copywriter.copy_rows(AuditRecord._meta.db_table, [f.column for f in _FIELDS],
                             ([_value(rec, f) for f in _FIELDS] for rec in records))
    else:
        AuditRecord.objects.bulk_create([AuditRecord(**{f.attname: getattr(rec, f.attname) for f in _FIELDS})
                                         for rec in records], batch_size=batch_size)


_FIELDS = [f for f in AuditRecord._meta.concrete_fields if not f.primary_key]


def _value(rec, field):
    value = getattr(rec, field.attname)
    return json.dumps(value, ensure_ascii=False) if field.attname == "data" else value


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
        # A plain object with the record's fields, hashed by the audit app's own canonical form
        # (AuditRecord.canonical reads attributes only); a model instance per record would double the cost.
        rec = SimpleNamespace(
            seq=self.head.count + 1, created_at=created_at, action=action, actor_id=actor_id,
            actor_name=actor_name if actor_id else "系统", role=role, agency_id=agency_id, item_id=item_id,
            subject_type=subject_type, subject_id=subject_id, revision_hash=revision_hash,
            from_state=str(from_state or ""), to_state=str(to_state or ""), comment=comment, data=data or {},
            ip=ip or "", prev_hash=self.head.last_hash,
        )
        rec.canonical = partial(AuditRecord.canonical, rec)
        rec.hash = AuditRecord.compute_hash(rec)
        self.head.count, self.head.last_hash = rec.seq, rec.hash
        self.pending.append(rec)
        if len(self.pending) >= self.batch_size:
            self.flush()
        return rec

    def flush(self):
        if self.pending:
            write_audit_records(self.pending, batch_size=self.batch_size)
            self.written += len(self.pending)
            self.pending = []
        ChainHead.objects.filter(pk=1).update(count=self.head.count, last_hash=self.head.last_hash)
