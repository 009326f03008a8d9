"""Figures on an already generated benchmark database (bench/generate.py), e.g. after the full-scale run:

    python bench/generate.py --db postgres --agencies 200 --items 200000 --applications 20000
    python bench/measure_scale.py --db postgres [--requests 40] [--skip-pdf]

Prints: the data size; the inbox page (/) for the user with the fullest queue and for users of a few other
agencies: SQL statements per page and latency p50/p95 over --requests warm requests (Django test client, so
the whole view and template, without HTTP); the annual report of the province (all agencies below it):
figures (reports.annual.figures.build_report) and the PDF (reports.annual.render.render_pdf), best and
median of 3 with CPU time; and the query plan of the inbox queue query (PostgreSQL EXPLAIN ANALYZE).
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

YEAR = 2025


def _pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def inbox(user, requests):
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    assert client.get("/").status_code == 200
    request_started.disconnect(reset_queries)
    try:
        with CaptureQueriesContext(connection) as ctx:
            client.get("/")
        n = len(ctx.captured_queries)
    finally:
        request_started.connect(reset_queries)
    times = []
    for _ in range(requests):
        t0 = time.perf_counter()
        client.get("/")
        times.append(time.perf_counter() - t0)
    return n, times


def timed3(fn):
    wall, cpu = [], []
    for _ in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return min(wall), statistics.median(wall), min(cpu)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    ap.add_argument("--requests", type=int, default=40)
    ap.add_argument("--skip-pdf", action="store_true")
    a = ap.parse_args(argv)
    from bench import dbs

    dbs.configure(a.db)
    import django

    django.setup()
    from django.db import connection
    from viewflow.workflow.models import Task

    from audit.models import AuditRecord
    from bench.run import inbox_user
    from core.models import Agency, Membership
    from workflow import permissions
    from workflow.models import Information

    print(f"data: {Information.objects.count():,} items, {AuditRecord.objects.count():,} audit records, "
          f"{Task.objects.count():,} tasks, {Agency.objects.count():,} agencies; load average "
          f"{os.getloadavg()[0]:.1f}")
    users = [inbox_user()]
    for m in Membership.objects.filter(role__in=["first_reviewer", "publisher", "proofreader"]).order_by("?")[:3]:
        users.append(m.user)
    for user in users:
        n, times = inbox(user, a.requests)
        queue = permissions.queue_for(user).count()
        print(f"inbox / for {user.username} ({queue} claimable): {n} statements, p50 {_pct(times, 50) * 1000:.0f} ms,"
              f" p95 {_pct(times, 95) * 1000:.0f} ms (n={len(times)})")
    if connection.vendor == "postgresql":
        qs = permissions.queue_for(users[0]).order_by("created")
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = [r[0] for r in cur.fetchall()]
        print("queue query plan (fullest inbox):")
        for line in plan:
            print("    " + line)

    from reports.annual.figures import build_report
    from reports.annual.render import render_pdf

    province = Agency.objects.filter(code__startswith="BENCH").order_by("code").first()
    best, med, cpu = timed3(lambda: build_report(province, YEAR))
    print(f"annual report figures, province + {len(province.descendant_ids()) - 1} agencies below, {YEAR}: "
          f"best {best:.2f} s, median {med:.2f} s, CPU {cpu:.2f} s")
    if not a.skip_pdf:
        report = build_report(province, YEAR)
        best, med, cpu = timed3(lambda: render_pdf(report))
        print(f"annual report PDF (render only): best {best:.2f} s, median {med:.2f} s, CPU {cpu:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
