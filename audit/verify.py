"""Walk the audit chain and report the first broken link."""
from dataclasses import dataclass

from .models import GENESIS_HASH, AuditRecord, ChainHead


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    message: str
    seq: int | None = None


def verify_chain(batch_size: int = 5000) -> VerifyResult:
    """Recompute every record's hash in sequence order; check links, gaps and the chain head."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    last_seq = 0
    qs = AuditRecord.objects.order_by("seq")
    while True:
        chunk = list(qs.filter(seq__gt=last_seq)[:batch_size])
        if not chunk:
            break
        for rec in chunk:
            if rec.seq != expected_seq:
                return VerifyResult(False, checked, f"第 {expected_seq} 条审计记录缺失（被删除）", expected_seq)
            if rec.prev_hash != expected_prev:
                return VerifyResult(False, checked, f"第 {rec.seq} 条审计记录与前一条的哈希链接断开", rec.seq)
            if rec.compute_hash() != rec.hash:
                return VerifyResult(False, checked, f"第 {rec.seq} 条审计记录内容被篡改（哈希不符）", rec.seq)
            expected_prev = rec.hash
            expected_seq += 1
            checked += 1
        last_seq = chunk[-1].seq
    head = ChainHead.objects.filter(pk=1).first()
    head_count = head.count if head else 0
    head_hash = head.last_hash if head else GENESIS_HASH
    if head_count != checked or head_hash != expected_prev:
        return VerifyResult(False, checked, f"审计链末尾记录缺失：链头记录 {head_count} 条，实际 {checked} 条",
                            checked + 1)
    return VerifyResult(True, checked, f"审计链完整，共校验 {checked} 条记录")
