"""One command for the benchmark figures of issue 8; prints a table (figures, not timed tests).

    python bench/run.py --db sqlite|postgres --scale small|medium

It recreates the benchmark database (bench/dbs.py), migrates it, generates data in two halves
(bench/generate.py) and measures the inbox after each half (queries per page must not grow with data), then:
complete item lifecycles through the action functions (create -> every step of the default 三审三校 +
保密审查 policy, each claimed then approved -> publish) against the same 8 human tasks on bare
django-viewflow (bench/baseline.py); verify_audit; audit export; annual report; PDF review sheet; privacy scan
of a 10,000-row spreadsheet. Parts another module provides are measured if that module exists, else skipped
with a note."""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import tracemalloc
from datetime import date

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SCALES = {
    "small": {"agencies": 20, "items": 2000, "applications": 200, "lifecycles": 10},
    "medium": {"agencies": 200, "items": 20000, "applications": 2000, "lifecycles": 30},
    "full": {"agencies": 200, "items": 200000, "applications": 20000, "lifecycles": 50},
}
YEAR = 2025


def machine():
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    mem = ""
    try:
        kb = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
        mem = f"{kb / 1024 / 1024:.0f} GB"
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), {mem} RAM, Python {platform.python_version()}"


def timed(fn, repeat=1):
    best, result = None, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return best, result


# --- the measurements ---------------------------------------------------------------------------------

def inbox_user():
    """Someone holding the role of the (agency, step) with the most claimable tasks: the fullest inbox."""
    from django.db.models import Count
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from core.models import Membership, Role
    from workflow.models.review import STEP_ROLE

    top = (Task.objects.filter(status=STATUS.NEW, owner__isnull=True).exclude(data__step=None)
           .values("data__agency", "data__step").annotate(n=Count("pk")).order_by("-n").first())
    role = Role.PUBLISHER if top["data__step"] == "publish" else STEP_ROLE[top["data__step"]]
    return Membership.objects.filter(role=role, agency_id=top["data__agency"]).select_related("user").first().user


def measure_inbox(user):
    """(queries, seconds, how, open tasks visible): the real inbox page if it exists, else the inbox queries."""
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core.org import forget_roles
    from workflow import permissions

    client = Client()
    client.force_login(user)
    how = "page /"
    try:
        response = client.get("/")
        ok = response.status_code == 200
    except Exception:  # noqa: BLE001 - the page may not exist yet
        ok = False
    if ok:
        def run():
            return client.get("/")
    else:
        how = "queue_for[:50] + my_tasks"

        def run():
            forget_roles(user)
            return list(permissions.queue_for(user).order_by("-pk")[:50]), list(permissions.my_tasks(user))
    from django.core.signals import request_started

    # A request resets the connection's query log at its start: keep it, to count the page's queries.
    request_started.disconnect(reset_queries)
    try:
        run()  # warm
        with CaptureQueriesContext(connection) as ctx:
            run()
        n_queries = len(ctx.captured_queries)  # read now: the next request clears the log
    finally:
        request_started.connect(reset_queries)
    t, _ = timed(run, repeat=5)
    forget_roles(user)
    visible = permissions.queue_for(user).count()
    return n_queries, t, how, visible


def our_lifecycles(n):
    """Complete lifecycles through the actions with the default 7-step policy (bench/lifecycle.py)."""
    from bench.lifecycle import shenfa_lifecycle

    one = shenfa_lifecycle(7)
    one(-1)  # warm
    items = []
    t, _ = timed(lambda: items.extend(one(i) for i in range(n)))
    return n / t, items[-1]


def baseline_lifecycles(n):
    from django.contrib.auth import get_user_model

    from bench.baseline import lifecycle

    user = get_user_model().objects.order_by("pk").first()
    lifecycle(user)  # warm
    t, _ = timed(lambda: [lifecycle(user) for _ in range(n)])
    return n / t


def measure_verify():
    from audit.verify import verify_chain

    t, result = timed(verify_chain)
    assert result.ok, result.message
    return result.checked / t, result.checked


def measure_export():
    from audit.models import AuditRecord

    try:
        from audit.exports import iter_csv
        how = "audit.exports.iter_csv (all records)"

        def run():
            size = 0
            for chunk in iter_csv(AuditRecord.objects.order_by("seq")):
                size += len(chunk)
            return size
    except ImportError:
        how = "AuditRecord.objects.iterator() (no export module yet)"

        def run():
            return sum(1 for _ in AuditRecord.objects.order_by("seq").iterator(chunk_size=2000))
    rows = AuditRecord.objects.count()
    t, size = timed(run)
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return rows / t, peak, how, size


def measure_report():
    from core.models import Agency

    try:
        from reports.annual.figures import build_report
    except ImportError:
        return None, "reports.annual not available"
    province = Agency.objects.filter(code__startswith="BENCH").order_by("code").first()
    t, _ = timed(lambda: build_report(province, YEAR))
    how = f"build_report(province incl. all {len(province.descendant_ids())} agencies, {YEAR})"
    try:
        from reports.annual.render import render_pdf
        report = build_report(province, YEAR)
        t_pdf, _ = timed(lambda: render_pdf(report))
        how += f"; PDF render {t_pdf:.2f}s"
    except Exception as exc:  # noqa: BLE001
        how += f"; PDF render failed: {type(exc).__name__}"
    return t, how


def measure_sheet(item):
    try:
        from reports.sheets import sheet_pdf
    except ImportError:
        return None, "reports.sheets not available"
    sheet_pdf([item])  # warm (fonts)
    t, pdf = timed(lambda: sheet_pdf([item]), repeat=3)
    return t, f"reports.sheets.sheet_pdf, one published item with 7 steps, {len(pdf) // 1024} KB"


def measure_privacy():
    try:
        import bench.bench_privacy as bp
    except ImportError:
        return None, "bench/bench_privacy.py not available"
    rows = bp.bench_rows(10_000)
    xlsx = bp.xlsx_bytes({"低保名单": rows})
    t, report = timed(lambda: bp.scan(None, [("低保名单.xlsx", xlsx)]))
    return t, f"scan, 10,000-row XLSX ({len(xlsx) // 1024} KB), {report.total} findings ({len(report.findings)} stored)"


# --- main ---------------------------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--scale", choices=list(SCALES), default="small")
    ap.add_argument("--lifecycles", type=int, default=None)
    a = ap.parse_args(argv)
    scale = SCALES[a.scale]
    n_life = a.lifecycles or scale["lifecycles"]

    from bench.dbs import fresh_database

    fresh_database(a.db)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from bench.generate import generate

    rows = []

    def row(name, value, note=""):
        rows.append((name, value, note))
        print(f"  {name}: {value}  {note}", flush=True)

    half = scale["items"] // 2
    t0 = time.perf_counter()
    g1 = generate(n_agencies=scale["agencies"], n_items=half, n_applications=scale["applications"] // 2,
                  year=YEAR, progress=False)
    user = inbox_user()
    q1, t1, how, v1 = measure_inbox(user)
    g2 = generate(n_agencies=scale["agencies"], n_items=scale["items"] - half,
                  n_applications=scale["applications"] - scale["applications"] // 2, year=YEAR, seed=2,
                  progress=False)
    gen_time = time.perf_counter() - t0
    from audit.models import AuditRecord
    from workflow.models import Information

    n_items, n_audit = Information.objects.count(), AuditRecord.objects.count()
    row("data generated", f"{n_items:,} items, {n_audit:,} audit records, "
        f"{g1['applications'] + g2['applications']:,} applications, {scale['agencies']} agencies",
        f"{gen_time:.0f}s ({(g1['items'] + g2['items']) / gen_time:,.0f} items/s incl. history)")
    q2, t2, _, v2 = measure_inbox(user)
    row("inbox SQL queries per page", f"{q1} at {half:,} items / {q2} at {n_items:,} items", how)
    row("inbox latency", f"{t1 * 1000:.0f} ms / {t2 * 1000:.0f} ms", f"{v1} / {v2} claimable tasks for the user")

    ours, item = our_lifecycles(n_life)
    row("lifecycles/s through the actions", f"{ours:.2f}",
        f"create, submit, 7 x (claim + approve), publish; {n_life} runs; 18 audit records each")
    base = baseline_lifecycles(n_life)
    row("lifecycles/s bare django-viewflow", f"{base:.2f}",
        f"start + 8 x (assign + complete) on viewflow's Process/Task; overhead x{base / ours:.1f}")

    rate, checked = measure_verify()
    row("verify_audit", f"{rate:,.0f} records/s", f"{checked:,} records")
    rate, peak, how, size = measure_export()
    row("audit export", f"{rate:,.0f} rows/s, peak {peak / 1024 / 1024:.1f} MB", f"{how}; {size:,} chars")
    t, how = measure_report()
    row("annual report", f"{t:.2f} s" if t is not None else "n/a", how)
    t, how = measure_sheet(item)
    row("PDF review sheet", f"{t:.2f} s" if t is not None else "n/a", how)
    t, how = measure_privacy()
    row("privacy scan", f"{t:.2f} s" if t is not None else "n/a", how)

    print()
    db_version = (connection.Database.sqlite_version if connection.vendor == "sqlite"
                  else getattr(connection, "pg_version", ""))
    print(f"Shenfa benchmark — {date.today().isoformat()} — {a.db} "
          f"({connection.vendor} {db_version}) — scale {a.scale}")
    print(f"Machine: {machine()}")
    try:
        load = os.getloadavg()
        print(f"Load average at the end: {load[0]:.1f} (shared machine)")
    except OSError:
        pass
    print()
    print("| measure | figure | notes |")
    print("|---|---|---|")
    for name, value, note in rows:
        print(f"| {name} | {value} | {note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
