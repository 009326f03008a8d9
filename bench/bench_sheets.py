"""Review-sheet PDF (审核单) timing on an existing benchmark database (issue 15: <= 300 ms warm per sheet).

    python bench/bench_sheets.py [--db sqlite|postgres] [--repeat 5] [--batch 20] [--png /tmp/sheet]

Uses the data of bench/generate.py (BENCH_SQLITE / BENCH_PG_NAME as bench/dbs.py). Picks the published
item with the most step decisions, renders its sheet once to warm up (fonts), then --repeat times; prints
the median and best warm time per sheet, the PDF size, then a batch of --batch sheets rendered one by one
as the batch job does (time per sheet, peak RSS growth). --png writes page 1 as PNG with pdftoppm, to look at
the Chinese text.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--batch", type=int, default=20)
    ap.add_argument("--png", default="")
    a = ap.parse_args(argv)
    from bench import dbs

    dbs.configure(a.db)
    import django

    django.setup()
    from django.db.models import Count

    from reports.sheets import sheet_pdf
    from workflow.models import Information

    items = list(Information.objects.filter(status="published").annotate(n=Count("rounds__decisions"))
                 .order_by("-n", "pk")[: max(a.batch, 1)])
    item = items[0]
    t0 = time.perf_counter()
    sheet_pdf([item])
    cold = time.perf_counter() - t0
    times, cpu = [], []
    for _ in range(a.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        pdf = sheet_pdf([item])
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    print(f"sheet PDF, item {item.pk} ({item.n} decisions): first {cold * 1000:.0f} ms, warm median "
          f"{statistics.median(times) * 1000:.0f} ms wall (best {min(times) * 1000:.0f}, n={a.repeat}), "
          f"{statistics.median(cpu) * 1000:.0f} ms CPU (best {min(cpu) * 1000:.0f}); {len(pdf) // 1024} KB; "
          f"load average {os.getloadavg()[0]:.1f}")
    if a.png:
        with open(a.png + ".pdf", "wb") as f:
            f.write(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", a.png + ".pdf", a.png], check=True)
        print(f"page 1 as PNG: {a.png}-1.png")
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    for it in items:
        sheet_pdf([it])
    batch = time.perf_counter() - t0
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"batch of {len(items)} sheets one by one: {batch / len(items) * 1000:.0f} ms per sheet, "
          f"peak RSS {rss1 // 1024} MB (+{(rss1 - rss0) // 1024} MB during the batch)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
