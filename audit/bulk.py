"""Bulk writer for the audit chains: the same records and hashes as audit.log.record, many per query.

For generators and imports (bench/generate.py): records are built exactly like record() builds them (same
chain per agency, same keyed hash over the previous record of the chain), so verify_audit accepts them."""
from datetime import UTC

from django.db import connection, transaction
from django.utils import timezone

from . import hashing
from .keys import keyring
from .log import lock_chain
from .models import AuditChain, AuditRecord, chain_for


class ChainWriter:
    """Append audit records in batches. Use inside one transaction; call flush() before it commits."""

    def __init__(self, batch_size=5000):
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("ChainWriter must be used inside a transaction")
        self.key_id, self.key = keyring().current_key()
        self.heads: dict[str, list] = {}   # chain -> [count, last_hash, last_seq]
        self.dirty: set[str] = set()
        self.pending = []
        self.batch_size = batch_size
        self.written = 0
        self._seqs: list[int] = []

    def _next_seq(self):
        if not self._seqs:
            with connection.cursor() as cur:
                if connection.vendor == "postgresql":
                    cur.execute("SELECT nextval('audit_record_seq') FROM generate_series(1, %s)", [self.batch_size])
                    self._seqs = sorted((r[0] for r in cur.fetchall()), reverse=True)
                else:
                    cur.execute("SELECT COALESCE(MAX(seq), 0) FROM audit_auditrecord")
                    start = max(cur.fetchone()[0], max((h[2] for h in self.heads.values()), default=0))
                    self._seqs = list(range(start + self.batch_size, start, -1))
        return self._seqs.pop()

    def _head(self, chain):
        head = self.heads.get(chain)
        if head is None:
            count, last_hash, _seq = lock_chain(chain)
            head = self.heads[chain] = [count, last_hash, 0]
        return head

    def add(self, *, action, actor_id=None, actor_name="系统", role="", agency_id=None, item_id=None,
            subject_type="", subject_id="", revision_hash="", from_state="", to_state="", comment="", data=None,
            created_at=None, ip=""):
        if item_id is not None and not subject_type:
            subject_type, subject_id = "workflow.information", str(item_id)
        chain = chain_for(agency_id)
        head = self._head(chain)
        if not self.pending and connection.vendor != "postgresql":
            self._seqs = []  # SQLite: continue after what is in the table (and in this writer)
        seq = self._next_seq()
        # Stored and re-read in UTC: hash the UTC form, as audit.log.record does with timezone.now().
        created_at = (created_at or timezone.now()).astimezone(UTC)
        rec = AuditRecord(
            seq=seq, chain=chain, chain_seq=head[0] + 1, key_id=self.key_id, created_at=created_at, action=action,
            actor_id=actor_id, actor_name=actor_name if actor_id else "系统", role=role, agency_id=agency_id,
            item_id=item_id, subject_type=subject_type, subject_id=subject_id, revision_hash=revision_hash,
            from_state=str(from_state or ""), to_state=str(to_state or ""), comment=comment,
            data=hashing.normalise_data(data), ip=ip or "", prev_hash=head[1],
        )
        rec.hash = rec.compute_hash(self.key)
        head[0], head[1], head[2] = rec.chain_seq, rec.hash, seq
        self.dirty.add(chain)
        self.pending.append(rec)
        if len(self.pending) >= self.batch_size:
            self.flush()
        return rec

    def flush(self):
        if self.pending:
            AuditRecord.objects.bulk_create(self.pending, batch_size=self.batch_size)
            self.written += len(self.pending)
            self.pending = []
        for chain in self.dirty:
            count, last_hash, last_seq = self.heads[chain]
            AuditChain.objects.filter(chain=chain).update(count=count, last_hash=last_hash, last_seq=last_seq)
        self.dirty = set()
