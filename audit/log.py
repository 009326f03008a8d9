"""Write audit records. Call record() inside the action's transaction, never from signals."""
from django.db import connection, transaction
from django.utils import timezone

from core.context import request_ip

from .models import AuditRecord, ChainHead


def _lock_head():
    # The lock serialises appends: two concurrent actions must not both link to the same
    # predecessor, or the chain would fork and verify_audit would (rightly) report it.
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.get_or_create(pk=1)
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


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
    """Append one audit record to the hash chain, in the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must run inside the action's transaction")
    if item is not None and agency is None:
        agency = item.agency
    subject_type = subject_id = ""
    if subject is not None:
        subject_type = subject._meta.label_lower
        subject_id = str(subject.pk)
    elif item is not None:
        subject_type, subject_id = "workflow.information", str(item.pk)
    head = _lock_head()
    rec = AuditRecord(
        seq=head.count + 1,
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
        data=data or {},
        ip=(ip if ip is not None else request_ip.get()) or "",
        prev_hash=head.last_hash,
    )
    rec.hash = rec.compute_hash()
    rec.save(force_insert=True)
    head.last_hash, head.count = rec.hash, rec.seq
    head.save(update_fields=["last_hash", "count"])
    return rec


def on_commit(func):
    """Run a side effect only if the surrounding action commits."""
    transaction.on_commit(func)
