"""Signed checkpoints of the audit chains, kept outside the database.

A checkpoint is the head (length, last hash) of every chain at one moment. write_checkpoint() records it twice:
  - in the database, as an "audit.checkpoint" record of the system chain: it cross-links the chains (a deleted
    tail of any agency's chain contradicts the next checkpoint record), keyed like every record;
  - outside the database: one JSON line appended to the checkpoint file (SHENFA["AUDIT_CHECKPOINT_FILE"] or the
    environment variable SHENFA_AUDIT_CHECKPOINT_FILE; make it append-only, e.g. `chattr +a`, or on another
    host) and logged to the "shenfa.audit.checkpoint" logger (point a SysLogHandler at a remote syslog/WORM
    store), signed with HMAC-SHA256 over the line's canonical JSON with the current audit key.
verify_audit checks every chain against both and names the checkpoint a forgery contradicts. The tick writes a
checkpoint when the last one is older than AUDIT_CHECKPOINT_MINUTES and a chain has moved; `manage.py
audit_checkpoint` writes one at once. latest_for() gives the checkpoint a report was made from."""
import json
import logging
import os
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.conf import shenfa_setting

from . import hashing
from . import log as audit
from .keys import keyring
from .models import SYSTEM_CHAIN, AuditChain, AuditRecord, chain_for

ACTION = "audit.checkpoint"
log = logging.getLogger("shenfa.audit.checkpoint")


def checkpoint_file() -> str:
    return os.environ.get("SHENFA_AUDIT_CHECKPOINT_FILE") or shenfa_setting("AUDIT_CHECKPOINT_FILE") or ""


def _canonical(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sign_line(payload: dict) -> str:
    """The file line for `payload` (at, seq, heads, key_id), signed with the current key."""
    key_id, key = keyring().current_key()
    body = {**payload, "key_id": key_id}
    return json.dumps({**body, "sig": hashing.sign(key, _canonical(body))}, ensure_ascii=False, sort_keys=True)


def check_line(line: str) -> tuple[dict | None, str]:
    """(payload, "") if the line's signature holds, else (None, the reason)."""
    try:
        body = json.loads(line)
        sig = body.pop("sig")
        heads = body["heads"]
        if not isinstance(heads, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError, AttributeError):
        return None, "格式不正确"
    key = keyring().get(str(body.get("key_id", "")))
    if key is None:
        return None, f"密钥“{body.get('key_id')}”未配置，无法核对签名"
    if hashing.sign(key, _canonical(body)) != sig:
        return None, "签名不符（检查点被改动或伪造）"
    return body, ""


def read_file(path: str):
    """Yield (line number, payload or None, problem) for each line of the checkpoint file."""
    if not path or not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if line.strip():
                payload, problem = check_line(line)
                yield n, payload, problem


def _append(path: str, line: str):
    # O_APPEND: concurrent writers never overwrite each other; fsync: a crash does not lose a checkpoint.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def last_checkpoint_record():
    return (AuditRecord.objects.filter(chain=SYSTEM_CHAIN, action=ACTION).order_by("-chain_seq")
            .values("seq", "created_at", "data", "hash").first())


def write_checkpoint(*, actor=None, force: bool = False) -> dict | None:
    """Sign every chain head now: a system-chain record, a line in the checkpoint file, a log line.

    Returns the file payload, or None when no chain has moved since the last checkpoint (unless `force`)."""
    with transaction.atomic():
        heads = {c: [n, h] for c, n, h in AuditChain.objects.exclude(chain=SYSTEM_CHAIN)
                 .order_by("chain").values_list("chain", "count", "last_hash")}
        last = last_checkpoint_record()
        if not force and last is not None and last["data"].get("heads") == heads:
            return None
        rec = audit.record(action=ACTION, actor=actor, comment=f"审计检查点：{len(heads)} 条链",
                           data={"heads": heads})
    payload = {"at": rec.created_at.isoformat(timespec="seconds"), "seq": rec.seq,
               "heads": {**heads, SYSTEM_CHAIN: [rec.chain_seq, rec.hash]}}
    line = sign_line(payload)
    path = checkpoint_file()
    if path:
        _append(path, line)
    log.info("%s", line)
    return json.loads(line)


def tick_job(now) -> dict:
    """core.tick job: a checkpoint when the last one is AUDIT_CHECKPOINT_MINUTES old (0: never by the tick)."""
    minutes = shenfa_setting("AUDIT_CHECKPOINT_MINUTES")
    if not minutes:
        return {"checkpoint": 0}
    last = last_checkpoint_record()
    if last is not None and last["created_at"] > now - timedelta(minutes=minutes):
        return {"checkpoint": 0}
    return {"checkpoint": int(write_checkpoint() is not None)}


@dataclass
class ChainCheckpoint:
    """The checkpoint an agency's chain was last signed in: cite it in a report ("made from checkpoint ...")."""

    at: object          # datetime of the checkpoint record
    seq: int            # the checkpoint record's global seq
    record_hash: str    # the checkpoint record's hash (the file line lists it as the system chain's head)
    chain: str
    count: int          # the chain's length at the checkpoint
    last_hash: str      # the chain's last hash at the checkpoint

    def label(self) -> str:
        when = timezone.localtime(self.at).strftime("%Y-%m-%d %H:%M")
        return (f"审计检查点 {when}（序号 {self.seq}）：审计链 {self.chain} 共 {self.count} 条，"
                f"末条哈希 {self.last_hash[:16]}…")


def latest_for(agency=None, *, at=None) -> ChainCheckpoint | None:
    """The latest checkpoint (at or before `at`) covering `agency`'s chain (None: the system chain), or None.

    Public for the annual report: its PDF can print ChainCheckpoint.label() as the checkpoint it was made from."""
    chain = chain_for(getattr(agency, "pk", agency))
    qs = AuditRecord.objects.filter(chain=SYSTEM_CHAIN, action=ACTION)
    if at is not None:
        qs = qs.filter(created_at__lte=at)
    for rec in qs.order_by("-chain_seq").values("seq", "chain_seq", "created_at", "data", "hash").iterator(
            chunk_size=50):
        head = [rec["chain_seq"], rec["hash"]] if chain == SYSTEM_CHAIN else (rec["data"].get("heads") or {}).get(chain)
        if head:
            return ChainCheckpoint(rec["created_at"], rec["seq"], rec["hash"], chain, head[0], head[1])
    return None
