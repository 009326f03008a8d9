"""Where the statements of one Shenfa lifecycle go: per action, and per statement shape (issue 15).

    python bench/profile_lifecycle.py [--db sqlite|postgres] [--steps 7] [--top 40]

Recreates the benchmark database (bench/dbs.py: /tmp/shenfa-bench.sqlite3 or shenfa_bench), prepares the
lifecycle of bench/lifecycle.py, runs one warm-up lifecycle, then one whose statements are captured with the
action that issued them (the outermost engine action on the stack). Prints the count per action and the most
frequent statement shapes (literals replaced by ?), then the total.
"""
import argparse
import os
import re
import sys
import traceback
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

ACTIONS = ("create_item", "submit_item", "open_task_for", "claim_task", "approve_step", "publish_item")


def _shape(sql):
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    sql = re.sub(r"\(\?(, \?)+\)", "(?...)", sql)
    return sql[:160]


def _action():
    for frame in traceback.extract_stack():
        if frame.name in ACTIONS:
            return frame.name
    return "other"


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--steps", type=int, default=7)
    ap.add_argument("--top", type=int, default=40)
    a = ap.parse_args(argv)
    from bench import dbs

    dbs.fresh_database(a.db)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.lifecycle import shenfa_lifecycle

    call_command("migrate", verbosity=0)
    run = shenfa_lifecycle(a.steps)
    run("warm")
    captured = []

    def wrapper(execute, sql, params, many, context):
        captured.append((_action(), sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        run("profiled")
    per_action = Counter(action for action, _ in captured)
    print(f"{len(captured)} statements (execute_wrapper: BEGIN/COMMIT are not statements here) per {a.steps}-step "
          f"lifecycle on {a.db}")
    for action, n in per_action.most_common():
        print(f"  {n:4d}  {action}")
    print()
    for (action, shape), n in Counter((act, _shape(sql)) for act, sql in captured).most_common(a.top):
        print(f"{n:4d}  {action:14s} {shape}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
