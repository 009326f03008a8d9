"""Benchmark of the pre-check on hostile files, each scanned through the sandbox (child process
with RLIMIT_AS / RLIMIT_CPU and a wall timeout).

    python bench/bench_hostile.py [--scale 1.0] [--dir DIR] [--mask]

Prints per file: size, wall seconds, child CPU seconds, peak child memory (ru_maxrss), whether the
child was killed, and the verdict (the blocking finding kinds, with the limit named).  ``--mask``
also runs the masker on the DOCX/XLSX/CSV files.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from privacy.limits import Limits
from privacy.maskers import can_mask
from privacy.sandbox import mask_file_isolated, scan_file_isolated
from tests.privacy.hostile import build


def verdict(report: dict) -> str:
    bits = []
    for f in report["findings"]:
        if f["kind"] in ("incomplete", "unreadable"):
            bits.append(f"{f['kind']}:{f['context']}")
    if not bits:
        bits.append("blocking" if report["blocking"] else "clean")
        if report["counts"]:
            bits.append(",".join(f"{k}={v}" for k, v in report["counts"].items()))
    return " ".join(bits)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--dir")
    ap.add_argument("--mask", action="store_true")
    a = ap.parse_args(argv)
    limits = Limits()
    with tempfile.TemporaryDirectory() as tmp:
        d = a.dir or tmp
        t0 = time.perf_counter()
        files = build(d, a.scale)
        print(f"generated {len(files)} hostile files (scale {a.scale}) in {time.perf_counter() - t0:.1f}s; limits: "
              f"wall {limits.wall_seconds:g}s, cpu {limits.cpu_seconds:g}s, address space "
              f"{limits.address_space_bytes >> 20} MiB, rows {limits.rows:,}, pdf operators {limits.pdf_operators:,}")
        print(f"load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} CPUs")
        print(f"{'file':<30} {'bytes':>12} {'wall s':>7} {'cpu s':>6} {'peak MiB':>8} {'killed':>7}  verdict")
        for name, _what in files:
            path = os.path.join(d, name)
            r = scan_file_isolated(path, name, limits=limits)
            run = r["run"]
            print(f"{name:<30} {os.path.getsize(path):>12,} {run['wall']:>7.2f} {run['cpu']:>6.2f} "
                  f"{run['peak_rss_bytes'] / 2**20:>8.0f} {str(run['killed'] or '-'):>7}  {verdict(r)}", flush=True)
            if a.mask and can_mask(name):
                m = mask_file_isolated(path, name, os.path.join(tmp, "masked_" + name), limits=limits)
                run = m["run"]
                print(f"{'  mask':<30} {'':>12} {run['wall']:>7.2f} {run['cpu']:>6.2f} "
                      f"{run['peak_rss_bytes'] / 2**20:>8.0f} {str(run['killed'] or '-'):>7}  "
                      f"{'ok ' + str(m['count']) if m['ok'] else m['limit'] or 'error'}: {(m['error'] or '')[:50]}",
                      flush=True)


if __name__ == "__main__":
    main()
