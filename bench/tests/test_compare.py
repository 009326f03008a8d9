"""The side-by-side benchmark's parts (bench/compare.py): the lifecycles it drives, what it counts, its table.

Run with `.venv/bin/python -m pytest -p no:cacheprovider bench/tests -q` (not in the default test paths: the
benchmark is not part of the product). The Wagtail worker test runs only where bench/.venv-wagtail exists
(created by `python bench/compare.py`)."""
import json
import os
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from bench import compare
from bench.baseline import FLOWS
from bench.baseline import lifecycle as bare_lifecycle
from bench.lifecycle import STEPS, shenfa_lifecycle
from bench.measure import is_transaction_control, measure, request_user


@pytest.mark.django_db
@pytest.mark.parametrize("steps", sorted(STEPS))
def test_shenfa_lifecycle_publishes_after_every_step(steps):
    from audit.models import AuditRecord
    from workflow.models import Information, ReviewRound, StepDecision

    run = shenfa_lifecycle(steps)
    item = run("a")
    shenfa_lifecycle(steps)("b")  # preparing again changes nothing and works

    item = Information.objects.get(pk=item.pk)
    assert item.status == "published"
    rnd = ReviewRound.objects.get(item=item)
    assert len(rnd.steps) == steps
    assert StepDecision.objects.filter(round=rnd, decision="approve").count() == steps
    actions = list(AuditRecord.objects.filter(item=item).order_by("seq").values_list("action", flat=True))
    assert actions.count("workflow.task.claim") == steps
    assert actions.count("workflow.review.approve") + actions.count("workflow.secrecy.decide") >= steps


@pytest.mark.django_db
@pytest.mark.parametrize("steps", sorted(FLOWS))
def test_bare_lifecycle_walks_steps_plus_publish(steps):
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    user = get_user_model().objects.create(username="bare")
    process = bare_lifecycle(user, steps)

    process.refresh_from_db()
    assert process.status == STATUS.DONE
    human = Task.objects.filter(process=process, owner=user, status=STATUS.DONE)
    assert human.count() == steps + 1


@pytest.mark.django_db
def test_measure_counts_statements_with_transaction_control():
    User = get_user_model()
    made = []

    def run(label):
        with transaction.atomic():
            made.append(User.objects.create(username=f"m{label}"))

    result = measure(run, 3)

    assert len(made) == 5  # warm-up, counted, 3 timed
    # Inside the test's transaction the atomic block is a savepoint: SAVEPOINT, INSERT, RELEASE SAVEPOINT.
    assert result["queries"] == 3
    assert result["transaction_queries"] == 2
    assert result["lifecycles"] == 3 and result["rate"] > 0
    assert result["cpu_seconds"] > 0
    if connection.vendor == "sqlite":
        assert result["db_cpu_seconds"] == 0.0  # in-process: all CPU is the worker's
    assert result["cpu_rate"] is None or result["cpu_rate"] > 0
    assert result["database"].split()[0] in ("SQLite", "PostgreSQL")
    assert connection.queries_log.maxlen  # the log was not left switched on for the timed part
    assert not connection.force_debug_cursor


def test_transaction_control_statements():
    for sql in ("BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK", 'SAVEPOINT "s1"', 'RELEASE SAVEPOINT "s1"',
                'ROLLBACK TO SAVEPOINT "s1"'):
        assert is_transaction_control(sql), sql
    for sql in ('SELECT 1', 'UPDATE "x" SET "committed" = 1', 'INSERT INTO "begin_log" VALUES (1)'):
        assert not is_transaction_control(sql), sql


@pytest.mark.django_db
def test_request_user_is_fresh_per_request():
    user = get_user_model().objects.create(username="u1", first_name="名")
    user._shenfa_roles = {1: {"drafter"}}

    fresh = request_user(user)

    assert fresh is not user
    assert (fresh.pk, fresh.username, fresh.first_name) == (user.pk, "u1", "名")
    assert not hasattr(fresh, "_shenfa_roles")
    assert not fresh._state.adding


def _figures(rate, queries, tx=10, cpu_rate=None):
    return {"rate": rate, "queries": queries, "transaction_queries": tx, "cpu_rate": cpu_rate}


def test_report_gives_paired_ratios_first_then_absolute_figures():
    rounds = [
        {"shenfa": _figures(2.0, 180, cpu_rate=4.0), "wagtail": _figures(1.0, 460, cpu_rate=1.0),
         "bare": _figures(4.0, 111)},
        {"shenfa": _figures(3.0, 180), "wagtail": _figures(1.0, 460), "bare": _figures(5.0, 111)},
        {"shenfa": _figures(1.0, 180), "wagtail": _figures(1.0, 460), "bare": _figures(1.0, 111)},
    ]
    summary = compare.summarise(rounds)
    assert summary["rate_vs_wagtail"] == [2.0, 3.0, 1.0]
    assert summary["rate_vs_bare"] == [0.5, 0.6, 1.0]
    assert summary["cpu_vs_wagtail"] == [4.0]  # only rounds where both sides could read their CPU time
    assert summary["cpu_vs_bare"] == []

    class Args:
        db, steps, rounds, per_round = ["sqlite"], [7], 3, 10

    versions = {"commit": "abc1234",
                "shenfa": {"Django": "5.2", "django-viewflow": "2.4.0", "Python": "3.11"},
                "wagtail": {"Wagtail": "7.4.4", "Django": "5.2", "Python": "3.11"},
                "databases": {"sqlite": {"version": "SQLite 3.40.1", "load_before": "0.50 / 0.40 / 0.30",
                                         "load_after": "0.60 / 0.40 / 0.30", "minutes": 1.0}}}
    text = compare.report({("sqlite", 7): summary}, Args, versions, started=0.0)

    ratios, absolute = text.index("**Ratios**"), text.index("**Absolute figures**")
    assert ratios < absolute
    assert "| 7-step, SQLite | **2.00×** (1.00–3.00; IQR 1.50–2.50) | **0.60×** (0.50–1.00; IQR 0.55–0.80) |" in text
    assert "| 7-step, SQLite | **4.00×** (4.00–4.00; IQR 4.00–4.00) | n/a |" in text
    assert text.index("per CPU-second") < absolute
    assert ("| 7-step lifecycle, SQLite | 2.00/s (1.00–3.00), 180 queries (10), 250 ms CPU | "
            "1.00/s (1.00–1.00), 460 queries (10), 1000 ms CPU | "
            "4.00/s (1.00–5.00), 111 queries (10), CPU n/a |") in text
    assert "2.00× Wagtail met; 0.60× bare met; 180 queries met" in text
    assert "Wagtail 7.4.4" in text and "SQLite 3.40.1" in text and "before 0.50 / 0.40 / 0.30" in text


def test_spread_of_one_value():
    assert compare.spread([1.5]) == (1.5, 1.5, 1.5, 1.5, 1.5)


@pytest.mark.skipif(not os.path.exists(compare.VENV_PYTHON), reason="bench/.venv-wagtail not created yet")
def test_wagtail_worker_publishes_through_the_workflow(tmp_path):
    env = compare._clean_env(BENCH_WAGTAIL_DB=f"sqlite:///{tmp_path}/wagtail.sqlite3",
                             DJANGO_SETTINGS_MODULE="benchsite.settings")

    def worker(*args):
        proc = subprocess.run([compare.VENV_PYTHON, "worker.py", *args], cwd=compare.WAGTAIL_DIR, env=env,
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr[-3000:]
        return json.loads(proc.stdout.strip().splitlines()[-1])

    worker("setup", "--steps", "3")
    result = worker("run", "--steps", "3", "--count", "1")  # raises inside unless every page got published

    assert result["system"] == "wagtail" and result["steps"] == 3 and result["lifecycles"] == 1
    assert result["queries"] > result["transaction_queries"] > 0
    assert result["versions"]["Wagtail"].startswith("7.")
