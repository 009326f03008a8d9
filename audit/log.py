"""Write audit records. Call record() inside the action's transaction, never from signals.

Each agency has its own chain (models.chain_for): an action locks only its agency's chain head, so actions of
different agencies never wait on one another. Each record is signed with the current audit key (audit.keys)."""
from django.db import connection, transaction
from django.utils import timezone

from core.context import request_ip

from . import hashing
from .keys import keyring
from .models import AuditChain, AuditRecord, chain_for

_LOCK_SQL = {
    # The row lock serialises appends to one chain: two concurrent actions of the same agency must not both
    # link to the same predecessor, or the chain would fork and verify_audit would (rightly) report it.
    # nextval() gives the global order without a global lock.
    "postgresql": "SELECT count, last_hash, nextval('audit_record_seq') FROM audit_auditchain "
                  "WHERE chain = %s FOR UPDATE",
    # SQLite: the transaction holds the database's write lock (transaction_mode IMMEDIATE) already.
    "sqlite": "SELECT count, last_hash, (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_auditrecord) "
              "FROM audit_auditchain WHERE chain = %s",
}


def lock_chain(chain: str) -> tuple[int, str, int]:
    """Lock the chain's head (creating it on first use); return (count, last hash, next global seq)."""
    sql = _LOCK_SQL["postgresql" if connection.vendor == "postgresql" else "sqlite"]
    with connection.cursor() as cur:
        cur.execute(sql, [chain])
        row = cur.fetchone()
        if row is None:
            AuditChain.objects.bulk_create([AuditChain(chain=chain)], ignore_conflicts=True)
            cur.execute(sql, [chain])
            row = cur.fetchone()
    return row[0], row[1], row[2]


def record(
    *,
    action: str,
    actor=None,
    role: str = "",
    agency=None,
    item=None,
    subject=None,
    revision_hash: str = "",
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    data: dict | None = None,
    ip: str | None = None,
) -> AuditRecord:
    """Append one audit record to its agency's hash chain, in the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must run inside the action's transaction")
    key_id, key = keyring().current_key()
    if item is not None and agency is None:
        agency = item.agency
    subject_type = subject_id = ""
    if subject is not None:
        subject_type = subject._meta.label_lower
        subject_id = str(subject.pk)
    elif item is not None:
        subject_type, subject_id = "workflow.information", str(item.pk)
    chain = chain_for(agency.pk if agency is not None else None)
    count, last_hash, seq = lock_chain(chain)
    rec = AuditRecord(
        seq=seq,
        chain=chain,
        chain_seq=count + 1,
        key_id=key_id,
        created_at=timezone.now(),
        action=action,
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        actor_name=(actor.get_full_name() or actor.get_username()) if actor is not None and actor.pk else "系统",
        role=role or "",
        agency=agency,
        item=item,
        subject_type=subject_type,
        subject_id=subject_id,
        revision_hash=revision_hash or "",
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        comment=comment or "",
        data=hashing.normalise_data(data),
        ip=(ip if ip is not None else request_ip.get()) or "",
        prev_hash=last_hash,
    )
    rec.hash = rec.compute_hash(key)
    rec.save(force_insert=True)
    AuditChain.objects.filter(chain=chain).update(count=rec.chain_seq, last_hash=rec.hash, last_seq=seq)
    return rec


def on_commit(func):
    """Run a side effect only if the surrounding action commits."""
    transaction.on_commit(func)
