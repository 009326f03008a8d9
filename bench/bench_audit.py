"""Audit trail benchmark: verify records/s, CSV export rows/s and memory, concurrent audited actions.

    .venv/bin/python -m bench.bench_audit --records 200000 [--db pg|sqlite] [--seconds 6] [--keep]

It recreates its own database (h_audit_bench on the PostgreSQL server, or /tmp/h_audit_bench.sqlite3),
migrates it, writes `--records` audit records over 8 agencies with audit.bulk.ChainWriter (the same keyed
chains as audit.log.record), then prints:
  - verify_audit records/s with 1 worker process and with `--workers` (default: CPUs),
  - CSV export rows/s (COPY on PostgreSQL) and the export process's peak RSS at two sizes (flat = good),
  - throughput of audited actions (one transaction: lock the agency's chain, insert, advance the head, commit)
    with 1 writer, 8 writers on 8 agencies, and 8 writers on one agency (the old single-chain situation).
Ratios first, absolute figures second."""
import argparse
import multiprocessing
import os
import platform
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import dbs

NAME = "h_audit_bench"
AGENCIES = 8


def setup(db, keep):
    url = dbs.named_url(db, NAME) if keep else dbs.recreate_named(db, NAME)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "project.settings.bench"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def agencies():
    from core.models import Agency

    out = []
    for i in range(AGENCIES):
        agency, _ = Agency.objects.get_or_create(code=f"BENCH{i:02d}", defaults={"name": f"基准机构{i}"})
        out.append(agency)
    return out


def generate(n, ags):
    from django.db import transaction

    from audit.bulk import ChainWriter
    from audit.models import AuditRecord

    have = AuditRecord.objects.count()
    t0 = time.perf_counter()
    done = 0
    while have + done < n:
        size = min(20000, n - have - done)
        with transaction.atomic():
            w = ChainWriter()
            for i in range(size):
                k = have + done + i
                agency = ags[k % len(ags)]
                w.add(action="workflow.review.approve", actor_name="审核人", role="first_reviewer",
                      agency_id=agency.pk, subject_type="workflow.information", subject_id=str(k),
                      revision_hash=f"{k:064x}", from_state="in_review", to_state="approved",
                      comment=f"同意，第{k}条，“引号”, 逗号", data={"step": "first_review", "round": k % 7,
                                                                  "reviewers": [1, 2, 3]}, ip="10.0.0.1")
            w.flush()
        done += size
    return done, time.perf_counter() - t0


def _proc_cpu(pid):
    """CPU seconds (user + system) of a local process, e.g. a PostgreSQL backend; 0 if not readable."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _backend_pid():
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        return cur.fetchone()[0]


def measure_verify(workers):
    """(records, seconds, processes, Python CPU s, database CPU s or None). The database's CPU is measurable
    only in-process (workers=1: one local backend, read from /proc)."""
    from audit.verify import verify_chain

    def cpu():
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    pid = _backend_pid() if workers == 1 else None
    db0 = _proc_cpu(pid) if pid else 0.0
    t0, c0 = time.perf_counter(), cpu()
    result = verify_chain(workers=workers, checkpoint_file="")
    dt, used_cpu = time.perf_counter() - t0, cpu() - c0
    db_cpu = (_proc_cpu(pid) - db0) if pid else None
    assert result.ok, result.message
    return result.checked, dt, result.workers, used_cpu, db_cpu


def _export_child(limit, conn_out):
    from django.db import connections

    from audit.exports import iter_csv_bytes
    from audit.models import AuditRecord

    connections["default"].connection = None  # never use the parent's socket
    qs = AuditRecord.objects.order_by("seq")
    if limit:
        qs = qs.filter(seq__in=AuditRecord.objects.order_by("seq").values("seq")[:limit])
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    pid = _backend_pid()
    db0 = _proc_cpu(pid)
    own0 = time.process_time()
    t0 = time.perf_counter()
    size = rows = 0
    for chunk in iter_csv_bytes(qs):
        size += len(chunk)
        rows += 1
    dt = time.perf_counter() - t0
    cpu = time.process_time() - own0 + _proc_cpu(pid) - db0
    conn_out.send((rows - 1, size, dt, rss0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, cpu))
    conn_out.close()


def measure_export(limit):
    from django.db import connections

    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    p = ctx.Process(target=_export_child, args=(limit, child))
    p.start()
    out = parent.recv()
    p.join()
    return out


def _writer(agency_ids, seconds, start_at, conn_out):
    from django.db import connections, transaction

    from audit import log as audit
    from core.models import Agency

    connections["default"].connection = None
    ags = list(Agency.objects.filter(pk__in=agency_ids))
    while time.time() < start_at:
        time.sleep(0.001)
    end = start_at + seconds
    n = 0
    while time.time() < end:
        with transaction.atomic():
            audit.record(action="bench.concurrent", agency=ags[n % len(ags)], comment="并发写入",
                         data={"n": n})
        n += 1
    connections.close_all()
    conn_out.send(n)


def measure_writers(assignments, seconds):
    """assignments: one list of agency ids per writer process. Returns actions/s over all writers."""
    from django.db import connections

    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    start_at = time.time() + 1.0
    pipes, procs = [], []
    for ids in assignments:
        parent, child = ctx.Pipe()
        p = ctx.Process(target=_writer, args=(ids, seconds, start_at, child))
        p.start()
        pipes.append(parent)
        procs.append(p)
    total = sum(pipe.recv() for pipe in pipes)
    for p in procs:
        p.join()
    return total / seconds


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", choices=["pg", "sqlite"], default="pg")
    ap.add_argument("--records", type=int, default=200_000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--seconds", type=float, default=6.0)
    ap.add_argument("--rounds", type=int, default=3, help="writer rounds (interleaved); the median is shown")
    ap.add_argument("--keep", action="store_true", help="reuse the database (and its records) of the last run")
    a = ap.parse_args(argv)
    setup(a.db, a.keep)
    from django.db import connection

    ags = agencies()
    made, gen_s = generate(a.records, ags)
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f} "
          f"(1-minute load average at start; load at the end: see below); "
          f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if made:
        print(f"generated {made:,} records over {AGENCIES} agencies in {gen_s:.1f}s ({made / gen_s:,.0f}/s)")

    n1, t1, _, cpu1, db1 = measure_verify(1)
    nw, tw, used, cpuw, _ = measure_verify(a.workers)
    ex_small = measure_export(a.records // 4)
    ex_all = measure_export(0)

    singles, spread, same = [], [], []
    ids = [g.pk for g in ags]
    for _ in range(a.rounds):   # interleaved rounds: load on this shared machine moves
        singles.append(measure_writers([ids], a.seconds))
        spread.append(measure_writers([[i] for i in ids], a.seconds))
        same.append(measure_writers([[ids[0]]] * AGENCIES, a.seconds))

    def median(xs):
        return sorted(xs)[len(xs) // 2]

    s1, s8, s8same = median(singles), median(spread), median(same)
    ratios = sorted(b / a_ for a_, b in zip(singles, spread, strict=True))
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    print("\n== ratios ==")
    rounds = ", ".join(f"{r:.2f}" for r in ratios)
    print(f"8 writers on 8 agencies / 1 writer:          x{s8 / s1:.2f}  (rounds: {rounds})")
    print(f"8 writers on ONE agency / 1 writer:          x{s8same / s1:.2f}  (one chain = one lock, as before)")
    print(f"verify, {used} processes / 1 process:          x{(nw / tw) / (n1 / t1):.2f}")
    print("\n== absolute ==")
    print(f"verify_audit, 1 process:     {n1 / t1:>10,.0f} records/s  ({n1:,} records, {t1:.2f}s; "
          f"Python CPU {cpu1 / n1 * 1e6:.1f} us/record, database CPU "
          f"{(db1 or 0) / n1 * 1e6:.1f} us/record)")
    if db1:
        per = (cpu1 + db1) / n1
        print(f"  -> CPU-bound ceiling on {os.cpu_count()} idle CPUs: {(os.cpu_count() or 1) / per:,.0f} records/s "
              f"(total CPU {per * 1e6:.1f} us/record)")
    print(f"verify_audit, {used} processes:   {nw / tw:>10,.0f} records/s  ({nw:,} records, {tw:.2f}s; "
          f"Python CPU {cpuw / nw * 1e6:.1f} us/record, the database's own CPU not counted)")
    for label, (rows, size, dt, rss0, rss1, cpu) in (("1/4", ex_small), ("all", ex_all)):
        print(f"CSV export ({label}):           {rows / dt:>10,.0f} rows/s     ({rows:,} rows, {size / 2**20:.1f} MB, "
              f"{dt:.2f}s, peak RSS {rss1 / 1024:.0f} MB, at start {rss0 / 1024:.0f} MB; "
              f"CPU app+database {cpu / max(rows, 1) * 1e6:.1f} us/row -> "
              f"one idle CPU: {rows / max(cpu, 1e-9):,.0f} rows/s)")
    print(f"audited actions, 1 writer:   {s1:>10,.0f} /s   (rounds: {', '.join(f'{x:.0f}' for x in singles)})")
    print(f"audited actions, 8 writers on 8 agencies: {s8:,.0f} /s (rounds: {', '.join(f'{x:.0f}' for x in spread)})")
    print(f"audited actions, 8 writers on 1 agency:   {s8same:,.0f} /s (rounds: {', '.join(f'{x:.0f}' for x in same)})")


if __name__ == "__main__":
    main()
