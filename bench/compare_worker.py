"""One process of bench/compare.py on the Shenfa side: set up the database, or measure Shenfa or bare viewflow.

    python bench/compare_worker.py setup --db-url URL --steps 7 3
    python bench/compare_worker.py run shenfa|bare --db-url URL --steps 7 --count 10

`run` prints one JSON line (bench/measure.py's figures plus versions) as its last line of output.
"""
import argparse
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

BARE_USERNAME = "bare_viewflow"


def _django(db_url):
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "project.settings.bench"
    import django

    django.setup()


def setup(steps):
    """Migrate the empty database, prepare every lifecycle's agency, people and policy, and the bare user."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from bench.lifecycle import shenfa_lifecycle

    call_command("migrate", verbosity=0)
    for n in steps:
        shenfa_lifecycle(n)
    get_user_model().objects.get_or_create(username=BARE_USERNAME)


def run(system, steps, count):
    from django.contrib.auth import get_user_model

    from bench.measure import measure, request_user

    if system == "shenfa":
        from bench.lifecycle import shenfa_lifecycle

        one = shenfa_lifecycle(steps)

        def lifecycle(label):
            one(label)  # raises unless every step was approved and the item published

        result = measure(lifecycle, count)
    else:
        from viewflow.workflow.models import Process
        from viewflow.workflow.status import STATUS

        from bench.baseline import FLOWS
        from bench.baseline import lifecycle as bare_lifecycle

        user = get_user_model().objects.get(username=BARE_USERNAME)
        done = Process.objects.filter(flow_class=FLOWS[steps], status=STATUS.DONE)
        before = done.count()

        def lifecycle(label):
            bare_lifecycle(request_user(user), steps)

        result = measure(lifecycle, count)
        finished = done.count() - before
        if finished != count + 2:  # the warm-up and the counted lifecycle too
            raise AssertionError(f"{finished} bare processes finished, expected {count + 2}")
    result.update(system=system, steps=steps, versions=versions())
    return result


def versions():
    from importlib.metadata import version

    import django

    return {"Django": django.get_version(), "django-viewflow": version("django-viewflow"),
            "Python": sys.version.split()[0]}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["setup", "run"])
    ap.add_argument("system", nargs="?", choices=["shenfa", "bare"])
    ap.add_argument("--db-url", required=True)
    ap.add_argument("--steps", type=int, nargs="+", default=[7])
    ap.add_argument("--count", type=int, default=10)
    a = ap.parse_args(argv)
    _django(a.db_url)
    if a.command == "setup":
        setup(a.steps)
        print(json.dumps({"setup": "ok", "versions": versions()}))
    else:
        if a.system is None or len(a.steps) != 1:
            ap.error("run needs a system and exactly one --steps")
        print(json.dumps(run(a.system, a.steps[0], a.count)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
