"""Verify the audit trail: every record's keyed hash, every link, every chain head, every checkpoint.

Streamed: rows are read through server-side cursors as plain tuples (no model instances); on PostgreSQL the
database builds each record's signed message (hashing.message_sql) and Python only computes the HMAC. Chains
(and segments of long chains, stitched at their boundaries) are verified in parallel worker processes on
PostgreSQL. Checkpoints, from the system chain's "audit.checkpoint" records (the cross-links between chains)
and from the signed checkpoint file outside the database, fix each chain's hash at given positions: a
forgery made with the key, or a deleted tail, contradicts them and the report names the checkpoint."""
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from django.db import connection, connections, transaction

from core.conf import shenfa_setting

from . import checkpoints, hashing
from .keys import keyring
from .models import GENESIS_HASH, LEGACY_CHAIN, SYSTEM_CHAIN, AuditChain, AuditRecord

SEGMENT = 250_000   # records per parallel task; longer chains are split and stitched
MAX_PROBLEMS = 20   # per task: enough to see a pattern, bounded for a wholesale forgery
MAX_CHECKPOINTS_PER_CHAIN = 500  # positions checked per chain (memory bound for years of hourly checkpoints)


@dataclass
class Problem:
    chain: str
    chain_seq: int | None
    seq: int | None
    message: str
    checkpoint: str = ""


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    message: str
    seq: int | None = None          # global seq of the first problem's record
    chain: str = ""
    chain_seq: int | None = None
    checkpoint: str = ""            # the checkpoint the first contradiction is against
    problems: list = field(default_factory=list)
    chains: int = 0
    checkpoints: int = 0
    workers: int = 1


def chain_label(chain: str) -> str:
    return f"审计链 {chain}"


# --- rows ------------------------------------------------------------------------------------------

_COLS = ["seq", "chain_seq", "prev_hash", "hash", "key_id"]


def _pg_rows(chain, lo, hi, batch):
    # A named (server-side) cursor inside a transaction: rows arrive `batch` at a time, memory stays flat.
    sql = (f"SELECT seq, chain_seq, prev_hash, hash, key_id, "
           f"CASE WHEN key_id = '' THEN NULL ELSE {hashing.message_sql()} END "
           f"FROM audit_auditrecord WHERE chain = %s AND chain_seq BETWEEN %s AND %s ORDER BY chain_seq")
    connection.ensure_connection()
    with connection.connection.cursor(name=f"audit_verify_{os.getpid()}_{lo}", binary=True) as cur:
        cur.itersize = batch
        cur.execute(sql, [chain, lo, hi])
        yield from cur


def _py_rows(chain, lo, hi, batch):
    qs = (AuditRecord.objects.filter(chain=chain, chain_seq__gte=lo, chain_seq__lte=hi).order_by("chain_seq")
          .values_list(*_COLS, *hashing.COLUMNS))
    for row in qs.iterator(chunk_size=batch):
        if row[4]:
            yield (*row[:5], hashing.message(row[5:]))
        else:
            yield (*row[:5], dict(zip(hashing.COLUMNS, row[5:], strict=True)))


# --- one task: a segment [lo, hi] of one chain ------------------------------------------------------

def verify_segment(task):
    """Verify records lo..hi of a chain. Returns a dict the caller stitches (first prev, last hash, problems)."""
    chain, lo, hi, expect, batch, parent_pid = task
    keys = keyring().keys
    problems = []
    checked = 0
    expected_pos, prev, first_prev, last_hash, last_pos = lo, None, None, None, lo - 1

    def problem(pos, seq, msg, cp=""):
        if len(problems) < MAX_PROBLEMS:
            problems.append((chain, pos, seq, msg, cp))

    fast = connection.vendor == "postgresql" and chain != LEGACY_CHAIN
    with transaction.atomic():
        rows = _pg_rows(chain, lo, hi, batch) if fast else _py_rows(chain, lo, hi, batch)
        for seq, pos, prev_hash, rec_hash, key_id, msg in rows:
            if first_prev is None:
                first_prev = prev_hash if pos == lo else None
            if pos != expected_pos:
                problem(expected_pos, seq, f"第 {expected_pos} 条审计记录缺失（被删除）")
            elif prev is not None and prev_hash != prev:
                problem(pos, seq, f"第 {pos} 条审计记录与前一条的哈希链接断开")
            if key_id:
                key = keys.get(key_id)
                if key is None:
                    problem(pos, seq, f"第 {pos} 条审计记录的密钥“{key_id}”未配置，无法校验")
                elif msg is None or hashing.sign(key, bytes(msg)) != rec_hash:
                    problem(pos, seq, f"第 {pos} 条审计记录内容被篡改（哈希不符）")
            elif chain != LEGACY_CHAIN:
                problem(pos, seq, f"第 {pos} 条审计记录没有密钥签名（只有迁移前的旧链可以不签名）")
            elif hashing.legacy_hash(hashing.legacy_canonical(msg)) != rec_hash:
                problem(pos, seq, f"第 {pos} 条审计记录内容被篡改（哈希不符）")
            for exp_hash, label in expect.get(pos, ()):
                if exp_hash != rec_hash:
                    problem(pos, seq, f"第 {pos} 条审计记录与{label}不符（检查点时哈希 {exp_hash[:12]}…，"
                                      f"现为 {rec_hash[:12]}…）：该记录或其之前的记录被改写", label)
            prev, last_hash, last_pos = rec_hash, rec_hash, pos
            expected_pos = pos + 1
            checked += 1
    if os.getpid() != parent_pid:
        connection.close()
    return {"chain": chain, "lo": lo, "hi": hi, "checked": checked, "first_prev": first_prev,
            "last_hash": last_hash, "last_pos": last_pos, "problems": problems}


# --- checkpoints ------------------------------------------------------------------------------------

def _collect_checkpoints(path, problems):
    """[(label, heads {chain: [count, hash]})] from the database's checkpoint records and the file."""
    found = []
    for seq, data in (AuditRecord.objects.filter(chain=SYSTEM_CHAIN, action=checkpoints.ACTION)
                      .order_by("chain_seq").values_list("seq", "data").iterator(chunk_size=500)):
        if isinstance(data, dict) and isinstance(data.get("heads"), dict):
            found.append((f"数据库检查点记录（序号 {seq}）", data["heads"]))
    for n, payload, bad in checkpoints.read_file(path):
        if payload is None:
            problems.append(Problem("", None, None, f"检查点文件 {path} 第 {n} 行{bad}", f"检查点文件第 {n} 行"))
        else:
            found.append((f"检查点文件第 {n} 行（{payload.get('at', '')}）", payload["heads"]))
    return found


def _all_chains():
    # A loose index scan over (chain, chain_seq): the distinct chains without reading every row.
    sql = ("WITH RECURSIVE c(chain) AS (SELECT MIN(chain) FROM audit_auditrecord UNION ALL "
           "SELECT (SELECT MIN(chain) FROM audit_auditrecord r WHERE r.chain > c.chain) FROM c "
           "WHERE c.chain IS NOT NULL) SELECT chain FROM c WHERE chain IS NOT NULL")
    with connection.cursor() as cur:
        cur.execute(sql)
        return [r[0] for r in cur.fetchall()]


def verify_chain(batch_size: int = 5000, *, workers: int | None = None, checkpoint_file: str | None = None,
                 segment: int = SEGMENT) -> VerifyResult:
    """Verify every chain, its head and every checkpoint; report the first problem (and up to 20 per part)."""
    problems: list[Problem] = []
    heads = {c: (n, h, closed) for c, n, h, closed in
             AuditChain.objects.values_list("chain", "count", "last_hash", "closed")}
    path = checkpoints.checkpoint_file() if checkpoint_file is None else checkpoint_file
    found = _collect_checkpoints(path, problems)
    furthest: dict[str, tuple[int, str]] = {}
    listed: dict[str, list[tuple[int, str, str]]] = {}   # chain -> [(count, hash, label)] in checkpoint order
    for label, cp_heads in found:
        for chain, head in cp_heads.items():
            try:
                count, last_hash = int(head[0]), str(head[1])
            except (TypeError, ValueError, IndexError):
                continue
            listed.setdefault(chain, []).append((count, last_hash, label))
            if count >= furthest.get(chain, (-1, ""))[0]:
                furthest[chain] = (count, label)
    expect: dict[str, dict[int, list]] = {}
    for chain, entries in listed.items():
        # The latest checkpoint of a chain alone detects any rewrite before it (its hash covers the whole chain);
        # earlier ones say since when. Keep the latest and at most MAX_CHECKPOINTS_PER_CHAIN spread over the rest.
        step = max(1, len(entries) // MAX_CHECKPOINTS_PER_CHAIN)
        for count, last_hash, label in entries[::step] + entries[-2:]:  # the last file line and DB record
            if count > 0 and (last_hash, label) not in expect.setdefault(chain, {}).get(count, []):
                expect[chain].setdefault(count, []).append((last_hash, label))
    present = set(_all_chains())
    for chain in sorted(present - set(heads)):
        problems.append(Problem(chain, None, None, f"{chain_label(chain)}有记录但链头缺失（链头被删除）"))
    limits = {c: h[0] for c, h in heads.items()}
    for chain in present - set(heads):
        limits[chain] = AuditRecord.objects.filter(chain=chain).order_by("-chain_seq").values_list(
            "chain_seq", flat=True).first()
    for chain in sorted(set(furthest) - set(limits)):
        count, label = furthest[chain]
        if count:
            problems.append(Problem(chain, None, None, f"{label}记录的{chain_label(chain)}（{count} 条）已不存在："
                                                       f"整条链被删除", label))
    tasks = []
    for chain, limit in limits.items():
        per_chain = expect.get(chain, {})
        for lo in range(1, max(limit, 0) + 1, segment):
            hi = min(lo + segment - 1, limit)
            tasks.append((chain, lo, hi, {p: v for p, v in per_chain.items() if lo <= p <= hi}, batch_size,
                          os.getpid()))
    tasks.sort(key=lambda t: t[1] - t[2])
    workers = workers or shenfa_setting("AUDIT_VERIFY_WORKERS") or os.cpu_count() or 1
    parallel = (workers > 1 and len(tasks) > 1 and connection.vendor == "postgresql"
                and not connection.in_atomic_block)
    if parallel:
        connections.close_all()  # the children open their own connections; never share a socket across fork
        with ProcessPoolExecutor(max_workers=min(workers, len(tasks)),
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            results = list(pool.map(verify_segment, tasks))
    else:
        results = [verify_segment(t) for t in tasks]
    checked = sum(r["checked"] for r in results)
    by_chain: dict[str, list] = {}
    for r in results:
        problems.extend(Problem(*p) for p in r["problems"])
        by_chain.setdefault(r["chain"], []).append(r)
    for chain, parts in by_chain.items():
        parts.sort(key=lambda r: r["lo"])
        for before, after in zip(parts, parts[1:], strict=False):
            if after["first_prev"] is not None and before["last_hash"] is not None \
                    and after["first_prev"] != before["last_hash"]:
                problems.append(Problem(chain, after["lo"], None,
                                        f"{chain_label(chain)}第 {after['lo']} 条审计记录与前一条的哈希链接断开"))
        if parts and parts[0]["first_prev"] not in (None, GENESIS_HASH):
            problems.append(Problem(chain, 1, None, f"{chain_label(chain)}第 1 条审计记录不是链的起点"))
        seen = parts[-1]["last_pos"] if parts else 0
        if chain in heads:
            count, last_hash, closed = heads[chain]
            if seen < count:
                problems.append(Problem(chain, seen + 1, None,
                                        f"{chain_label(chain)}末尾记录缺失：链头记录 {count} 条，实际 {seen} 条"))
            elif parts and parts[-1]["last_hash"] != last_hash:
                problems.append(Problem(chain, count, None, f"{chain_label(chain)}的链头与末条记录不符"))
        beyond = [(count, label) for count, _h, label in listed.get(chain, ()) if count > seen]
        for count, label in dict.fromkeys([beyond[0], beyond[-1]] if beyond else []):
            # the earliest checkpoint that saw more records than there are, and the latest one
            problems.append(Problem(chain, seen + 1, None, f"{chain_label(chain)}末尾记录缺失：{label}记录此链 "
                                                           f"{count} 条，实际只有 {seen} 条", label))
        if chain in heads and heads[chain][2] and chain in furthest and furthest[chain][0] != heads[chain][0]:
            count, label = furthest[chain]
            problems.append(Problem(chain, None, None, f"已封闭的{chain_label(chain)}长度与{label}不符", label))
    for chain in set(limits) - set(by_chain):
        if chain in heads and heads[chain][0] > 0:
            problems.append(Problem(chain, 1, None, f"{chain_label(chain)}的记录全部缺失"))
    result = VerifyResult(True, checked, "", chains=len(limits), checkpoints=len(found),
                          workers=min(workers, len(tasks)) if parallel else 1)
    if not problems:
        result.message = (f"审计链完整：{len(limits)} 条链共校验 {checked} 条记录，"
                          f"与 {len(found)} 个检查点一致")
        return result
    problems.sort(key=lambda p: (p.checkpoint == "", p.chain, p.chain_seq or 0))
    first = min(problems, key=lambda p: (p.chain_seq is None, p.chain, p.chain_seq or 0))
    contradiction = next((p for p in problems if p.checkpoint), None)
    message = first.message if first.message.startswith(("审计链", "检查点", "数据库")) or not first.chain \
        else f"{chain_label(first.chain)}{first.message}"
    if contradiction is not None and contradiction is not first:
        message += f"；与{contradiction.checkpoint}矛盾"
    return VerifyResult(False, checked, message, first.seq, first.chain, first.chain_seq,
                        contradiction.checkpoint if contradiction else "", problems, len(limits), len(found),
                        result.workers)
