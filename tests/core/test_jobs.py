"""Background jobs: enqueued in an action's transaction, run after commit, limits enforced, nothing lost."""
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone

from core import jobs
from core.errors import NotFound
from core.models import Job, JobStatus


@pytest.fixture
def kinds():
    """Job kinds of these tests only (the worker-process tests use the shipped core.probe kind)."""
    added = []

    def add(name, handler, **limits):
        jobs.register(name, handler, label=name, **limits)
        added.append(name)

    yield add
    for name in added:
        jobs._KINDS.pop(name, None)


def test_a_job_runs_when_the_enqueuing_transaction_commits(db, world, django_capture_on_commit_callbacks,
                                                           settings):
    settings.SHENFA = {**settings.SHENFA, "JOBS_BACKEND": "inline"}
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            job = jobs.enqueue(kind="core.probe", actor=world.auditor, params={"allocate_mb": 1})
            assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result == {"allocated_mb": 1} and job.progress == 100
    assert job.owner == world.auditor and job.attempts == 1


def test_a_rolled_back_action_starts_no_job(db, world, django_capture_on_commit_callbacks, settings):
    settings.SHENFA = {**settings.SHENFA, "JOBS_BACKEND": "inline"}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            jobs.enqueue(kind="core.probe", actor=world.auditor)
            raise RuntimeError("the action failed")
    assert callbacks == [] and not Job.objects.exists()


def test_failures_are_recorded_with_a_reason_and_files_are_stored(db, world, kinds):
    def refuse(job, progress):
        raise jobs.JobError("文件已损坏，无法读取")

    def crash(job, progress):
        raise KeyError("bug")

    def write(job, progress):
        path = jobs.job_workdir(job) / "out.csv"
        path.write_text("序号,动作\n1,创建\n", encoding="utf-8-sig")
        progress(50, "写入中")
        return jobs.JobResult(data={"rows": 1}, file_path=str(path), file_name="导出.csv")

    kinds("test.refuse", refuse)
    kinds("test.crash", crash)
    kinds("test.write", write)
    refused = jobs.run(Job.objects.create(kind="test.refuse", owner=world.auditor).pk)
    crashed = jobs.run(Job.objects.create(kind="test.crash", owner=world.auditor).pk)
    written = jobs.run(Job.objects.create(kind="test.write", owner=world.auditor).pk)
    assert refused.status == JobStatus.FAILED and refused.error == "文件已损坏，无法读取"
    assert crashed.status == JobStatus.FAILED and "内部错误" in crashed.error and "KeyError" not in crashed.error
    assert written.status == JobStatus.DONE and written.result == {"rows": 1} and written.result_name == "导出.csv"
    assert written.result_file.open("rb").read().decode("utf-8-sig").startswith("序号")
    # a job runs once: a second worker finds it taken
    assert jobs.run(written.pk) is None


def test_the_reaper_fails_jobs_whose_worker_died(db, world):
    job = Job.objects.create(kind="core.probe", owner=world.auditor)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now() - timedelta(hours=1))
    assert jobs.tick_job(timezone.now())["reaped"] == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "终止" in job.error


def test_only_the_owner_sees_a_job(db, world, client):
    job = Job.objects.create(kind="core.probe", owner=world.auditor)
    jobs.run(job.pk)
    with pytest.raises(NotFound):
        jobs.job_for(world.office, job.pk)
    client.force_login(world.office)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/status.json").status_code == 404
    client.force_login(world.auditor)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "资源限制自检" in page and "已完成" in page
    assert client.get(f"/jobs/{job.pk}/status.json").json()["status"] == "done"


# --- the worker process: OS limits (needs a database the child process can reach) --------------------------

def _child_can_reach_the_database():
    return connection.vendor == "postgresql"


def _wait(job, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job.pk} did not finish: {job.status}")


@pytest.mark.django_db(transaction=True)
def test_the_worker_process_enforces_the_memory_limit(world, settings):
    if not _child_can_reach_the_database():
        pytest.skip("the worker process needs the PostgreSQL test database")
    settings.SHENFA = {**settings.SHENFA, "JOBS_BACKEND": "process"}
    small = jobs.enqueue(kind="core.probe", actor=world.auditor, params={"allocate_mb": 8})
    big = jobs.enqueue(kind="core.probe", actor=world.auditor, params={"allocate_mb": 2048})  # limit: 512 MB
    assert _wait(small).status == JobStatus.DONE
    big = _wait(big)
    assert big.status == JobStatus.FAILED and "内存" in big.error


def test_the_worker_command_line_names_this_project(db):
    cmd = jobs.worker_command(7)
    assert Path(cmd[1]).name == "manage.py" and cmd[-3:] == ["run_jobs", "--id", "7"]
