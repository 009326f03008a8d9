"""Shenfa against Wagtail and bare django-viewflow, side by side on one machine (issue 15). Prints a table.

    python bench/compare.py --db sqlite|postgres [--steps 7 3] [--rounds N] [--per-round M]

Three systems run the same lifecycle with the same number of human review steps:
  Shenfa   bench/lifecycle.py: create, submit, per step claim + approve, publish (7 = the default 三审三校 +
           保密审查; 3 = 初审/复审/终审 through a ReviewPolicy);
  Wagtail  bench/wagtail_project/worker.py, in its own virtualenv (bench/.venv-wagtail, created here once, the
           versions pinned in bench/wagtail_project/requirements.txt): create a page and submit it to a Workflow
           of N GroupApprovalTasks, each approver approves, the last approval publishes;
  bare     bench/baseline.py: django-viewflow's own Process/Task with N + 1 human tasks (N steps and publish).
Each has its own database, created empty at the start: SQLite files /tmp/shenfa-compare{,-bare,-wagtail}.sqlite3
or the PostgreSQL databases shenfa_compare{,_bare,_wagtail} on BENCH_PG_SERVER (postgres://postgres@127.0.0.1:5432);
BENCH_COMPARE_NAME replaces the "shenfa-compare" prefix.

Every round runs each system in a fresh process, in the order Shenfa, Wagtail, bare: one warm-up lifecycle,
one lifecycle whose statements are counted (Django's CaptureQueriesContext: every statement the connection
logs, BEGIN/COMMIT/ROLLBACK and SAVEPOINT/RELEASE included), then --per-round timed lifecycles (bare viewflow
4x as many: it is several times faster, so its timed window stays comparable). The table gives, per database
and step count, the median over rounds of the paired ratios Shenfa/Wagtail and Shenfa/bare (with min-max and
interquartile range) first, the same ratios of CPU cost next (steadier on a loaded machine), then the absolute
figures (median lifecycles/s, queries and CPU milliseconds per lifecycle).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, ROOT)

WAGTAIL_DIR = os.path.join(BENCH, "wagtail_project")
REQUIREMENTS = os.path.join(WAGTAIL_DIR, "requirements.txt")
VENV = os.path.join(BENCH, ".venv-wagtail")
VENV_PYTHON = os.path.join(VENV, "bin", "python")
SYSTEMS = ("shenfa", "wagtail", "bare")
LABELS = {"shenfa": "Shenfa", "wagtail": "Wagtail", "bare": "bare django-viewflow"}
DB_LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
#: Each system's database: /tmp/<name>.sqlite3 or <name> with underscores (prefix from BENCH_COMPARE_NAME, so that
#: two people on one server need not share them).
_PREFIX = os.environ.get("BENCH_COMPARE_NAME", "shenfa-compare")
DB_NAMES = {"shenfa": _PREFIX, "bare": f"{_PREFIX}-bare", "wagtail": f"{_PREFIX}-wagtail"}
BARE_FACTOR = 4

#: What issue 15 asks of the engine (printed as met / not met under the table).
TARGET_VS_WAGTAIL = 2.0
TARGET_VS_BARE = 0.5
TARGET_QUERIES_7 = 180


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def _clean_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(extra)
    return env


# --- the Wagtail virtualenv ----------------------------------------------------------------------------------

def ensure_wagtail_venv(rebuild=False):
    """Create bench/.venv-wagtail with the pinned requirements unless it already has exactly them."""
    with open(REQUIREMENTS, "rb") as f:
        wanted = hashlib.sha256(f.read()).hexdigest()
    stamp = os.path.join(VENV, ".requirements-sha256")
    if not rebuild and os.path.exists(VENV_PYTHON) and os.path.exists(stamp):
        with open(stamp) as f:
            if f.read().strip() == wanted:
                return
    log(f"== creating {os.path.relpath(VENV, ROOT)} with {os.path.relpath(REQUIREMENTS, ROOT)}")
    shutil.rmtree(VENV, ignore_errors=True)
    # From inside a virtualenv, `-m venv` builds on the base interpreter: the same Python as Shenfa's side.
    subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    pip = subprocess.run([VENV_PYTHON, "-m", "pip", "install", "-q", "-r", REQUIREMENTS],
                         capture_output=True, text=True, env=_clean_env())
    if pip.returncode:
        sys.exit(f"pip install into {VENV} failed:\n{pip.stdout[-2000:]}{pip.stderr[-4000:]}")
    with open(stamp, "w") as f:
        f.write(wanted)


# --- processes -----------------------------------------------------------------------------------------------

def _last_json(proc, what):
    if proc.returncode:
        sys.exit(f"{what} failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        sys.exit(f"{what} printed no result:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")


def _command(system, command, urls, args):
    if system == "wagtail":
        return ([VENV_PYTHON, "worker.py", command, *args], WAGTAIL_DIR,
                _clean_env(BENCH_WAGTAIL_DB=urls["wagtail"], DJANGO_SETTINGS_MODULE="benchsite.settings"))
    sub = [command] if command == "setup" else [command, system]
    return ([sys.executable, os.path.join(BENCH, "compare_worker.py"), *sub, "--db-url", urls[system], *args],
            ROOT, _clean_env())


def run_process(system, command, urls, args, timeout=1800):
    cmd, cwd, env = _command(system, command, urls, args)
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    return _last_json(proc, f"{LABELS[system]} {command}")


def prepare_databases(db, steps):
    """Empty databases; Shenfa's migrated and prepared, then copied for bare viewflow; Wagtail's prepared.
    Returns the URLs and each side's versions."""
    from bench import dbs

    urls = {system: dbs.recreate_named(db, name) for system, name in DB_NAMES.items()}
    t0 = time.perf_counter()
    ours = run_process("shenfa", "setup", urls, ["--steps", *map(str, steps)])["versions"]
    urls["bare"] = dbs.clone_named(db, DB_NAMES["shenfa"], DB_NAMES["bare"])
    theirs = run_process("wagtail", "setup", urls, ["--steps", *map(str, steps)])["versions"]
    log(f"== {DB_LABELS[db]}: databases migrated and prepared in {time.perf_counter() - t0:.0f}s")
    return urls, {"shenfa": ours, "wagtail": theirs}


# --- statistics and the table --------------------------------------------------------------------------------

def spread(values):
    """(median, min, max, q1, q3) of a list of numbers."""
    values = sorted(values)
    med = statistics.median(values)
    if len(values) >= 2:
        q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    else:
        q1 = q3 = med
    return med, values[0], values[-1], q1, q3


def fmt_ratio(values):
    if not values:
        return "n/a"
    med, lo, hi, q1, q3 = spread(values)
    return f"**{med:.2f}×** ({lo:.2f}–{hi:.2f}; IQR {q1:.2f}–{q3:.2f})"


def fmt_queries(values):
    med, lo, hi, _, _ = spread(values)
    return f"{med:.0f}" if lo == hi else f"{med:.0f} ({lo:.0f}–{hi:.0f})"


def summarise(rounds):
    """Per system: rates and query counts per round; paired ratios of Shenfa against the others."""
    out = {s: {"rate": [r[s]["rate"] for r in rounds], "queries": [r[s]["queries"] for r in rounds],
               "tx": [r[s]["transaction_queries"] for r in rounds],
               "cpu_ms": [1000 / r[s]["cpu_rate"] for r in rounds if r[s].get("cpu_rate")]} for s in SYSTEMS}
    for other in ("wagtail", "bare"):
        out[f"rate_vs_{other}"] = [r["shenfa"]["rate"] / r[other]["rate"] for r in rounds]
        out[f"cpu_vs_{other}"] = [r["shenfa"]["cpu_rate"] / r[other]["cpu_rate"] for r in rounds
                                  if r["shenfa"].get("cpu_rate") and r[other].get("cpu_rate")]
        out[f"queries_vs_{other}"] = [r["shenfa"]["queries"] / r[other]["queries"] for r in rounds]
    return out


def machine():
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(next(line.split()[1] for line in f if line.startswith("MemTotal")))
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}"


def load():
    try:
        return "{:.2f} / {:.2f} / {:.2f}".format(*os.getloadavg())
    except OSError:
        return "n/a"


def report(results, args, versions, started):
    """The table: ratios first, absolute figures second, then the circumstances."""
    lines = []
    add = lines.append
    ours, theirs = versions["shenfa"], versions["wagtail"]
    wagtail_v = theirs["Wagtail"]
    add(f"## Shenfa vs Wagtail {wagtail_v} vs bare django-viewflow — {date.today().isoformat()}")
    add("")
    add(f"{args.rounds} interleaved rounds (Shenfa, Wagtail, bare; each a fresh process) of {args.per_round} timed "
        f"lifecycles ({args.per_round * BARE_FACTOR} for bare viewflow) after one warm-up and one counted lifecycle.")
    add("")
    add("**Ratios** — Shenfa ÷ other, median of the per-round paired ratios (min–max; interquartile range). "
        "Above 1 means Shenfa is faster (lifecycles/s) or issues more statements (queries).")
    add("")
    add("| lifecycle | lifecycles/s Shenfa ÷ Wagtail | lifecycles/s Shenfa ÷ bare | "
        "queries Shenfa ÷ Wagtail | queries Shenfa ÷ bare |")
    add("|---|---|---|---|---|")
    for (db, steps), s in results.items():
        add(f"| {steps}-step, {DB_LABELS[db]} | {fmt_ratio(s['rate_vs_wagtail'])} | {fmt_ratio(s['rate_vs_bare'])} | "
            f"{statistics.median(s['queries_vs_wagtail']):.2f}× | {statistics.median(s['queries_vs_bare']):.2f}× |")
    add("")
    add("CPU cost, the same ratios of lifecycles per CPU-second (the worker process plus its PostgreSQL backend; "
        "SQLite runs in-process). Unlike wall time it leaves out waiting (fsync, other load on the shared "
        "machine), so it is steadier under load but does not replace the wall-clock figure:")
    add("")
    add("| lifecycle | per CPU-second Shenfa ÷ Wagtail | per CPU-second Shenfa ÷ bare |")
    add("|---|---|---|")
    for (db, steps), s in results.items():
        add(f"| {steps}-step, {DB_LABELS[db]} | {fmt_ratio(s['cpu_vs_wagtail'])} | {fmt_ratio(s['cpu_vs_bare'])} |")
    add("")
    add("**Absolute figures** — median over rounds of lifecycles/s (min–max); SQL statements per lifecycle "
        "(of which transaction control); CPU milliseconds per lifecycle (app + database).")
    add("")
    add(f"| lifecycle | Shenfa | Wagtail {wagtail_v} | bare django-viewflow |")
    add("|---|---|---|---|")
    for (db, steps), s in results.items():
        cells = []
        for system in SYSTEMS:
            med, lo, hi, _, _ = spread(s[system]["rate"])
            cpu = f"{statistics.median(s[system]['cpu_ms']):.0f} ms CPU" if s[system]["cpu_ms"] else "CPU n/a"
            cells.append(f"{med:.2f}/s ({lo:.2f}–{hi:.2f}), {fmt_queries(s[system]['queries'])} queries "
                         f"({fmt_queries(s[system]['tx'])}), {cpu}")
        add(f"| {steps}-step lifecycle, {DB_LABELS[db]} | " + " | ".join(cells) + " |")
    add("")
    add("**Targets of issue 15** (Shenfa ≥ 2× Wagtail, ≥ 0.5× bare viewflow, ≤ 180 queries per 7-step lifecycle):")
    add("")
    for (db, steps), s in results.items():
        vs_w = statistics.median(s["rate_vs_wagtail"])
        vs_b = statistics.median(s["rate_vs_bare"])
        parts = [f"{vs_w:.2f}× Wagtail {'met' if vs_w >= TARGET_VS_WAGTAIL else 'NOT met'}",
                 f"{vs_b:.2f}× bare {'met' if vs_b >= TARGET_VS_BARE else 'NOT met'}"]
        if steps == 7:
            q = statistics.median(s["shenfa"]["queries"])
            parts.append(f"{q:.0f} queries {'met' if q <= TARGET_QUERIES_7 else 'NOT met'}")
        add(f"- {steps}-step, {DB_LABELS[db]}: " + "; ".join(parts))
    add("")
    add("Per round, lifecycles/s:")
    add("")
    for (db, steps), s in results.items():
        per = "; ".join(f"{LABELS[sys_]} " + " ".join(f"{v:.2f}" for v in s[sys_]["rate"]) for sys_ in SYSTEMS)
        add(f"- {steps}-step, {DB_LABELS[db]}: {per}")
    add("")
    add(f"- Machine: {machine()}")
    for _db, info in versions["databases"].items():
        add(f"- {info['version']}: load average (1/5/15 min) before {info['load_before']}, "
            f"after {info['load_after']}; {info['minutes']:.1f} min")
    add(f"- Wagtail {wagtail_v} with Django {theirs['Django']}, Python {theirs['Python']} in "
        f"{os.path.relpath(VENV, ROOT)} (pinned in {os.path.relpath(REQUIREMENTS, ROOT)}); Shenfa "
        f"{versions['commit']} and bare viewflow with Django {ours['Django']}, django-viewflow "
        f"{ours['django-viewflow']}, Python {ours['Python']}")
    add("- Queries: Django's CaptureQueriesContext over one whole lifecycle after a warm-up one, so every "
        "statement incl. BEGIN/COMMIT/ROLLBACK and SAVEPOINT/RELEASE; not recorded during the timed lifecycles.")
    add(f"- Command: `python bench/compare.py --db {' '.join(args.db)} --steps {' '.join(map(str, args.steps))} "
        f"--rounds {args.rounds} --per-round {args.per_round}`; total {(time.perf_counter() - started) / 60:.1f} min")
    return "\n".join(lines)


def _commit():
    try:
        return subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", nargs="+", choices=list(DB_LABELS), default=["sqlite"])
    ap.add_argument("--steps", nargs="+", type=int, choices=[7, 3], default=[7, 3])
    ap.add_argument("--rounds", type=int, default=11)
    ap.add_argument("--per-round", type=int, default=10)
    ap.add_argument("--rebuild-venv", action="store_true", help="recreate bench/.venv-wagtail")
    args = ap.parse_args(argv)
    if args.rounds < 1 or args.per_round < 1:
        ap.error("--rounds and --per-round must be at least 1")
    started = time.perf_counter()

    from bench import dbs

    ensure_wagtail_venv(rebuild=args.rebuild_venv)
    versions = {"databases": {}, "commit": _commit()}
    results = {}
    for db in args.db:
        t0 = time.perf_counter()
        info = {"version": dbs.server_version(db), "load_before": load()}
        urls, sides = prepare_databases(db, args.steps)
        versions.update(sides)
        log(f"== Wagtail {sides['wagtail']['Wagtail']}, {info['version']}")
        for steps in args.steps:
            rounds = []
            for r in range(1, args.rounds + 1):
                figures = {}
                for system in SYSTEMS:
                    count = args.per_round * (BARE_FACTOR if system == "bare" else 1)
                    figures[system] = run_process(system, "run", urls, ["--steps", str(steps), "--count", str(count)])
                    if figures[system]["steps"] != steps:
                        sys.exit(f"{LABELS[system]} ran {figures[system]['steps']} steps, not {steps}")
                rounds.append(figures)
                log(f"   {DB_LABELS[db]} {steps}-step round {r}/{args.rounds}: " + ", ".join(
                    f"{LABELS[s]} {figures[s]['rate']:.2f}/s {figures[s]['queries']}q" for s in SYSTEMS))
            results[(db, steps)] = summarise(rounds)
        info.update(load_after=load(), minutes=(time.perf_counter() - t0) / 60)
        versions["databases"][db] = info
    print(report(results, args, versions, started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
