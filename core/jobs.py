"""Background jobs: heavy work (file scans, PDF batches, big exports, report renderings) runs outside the web
request, in a worker process with hard limits, and reports its progress.

    # in an app's AppConfig.ready():
    jobs.register("audit.export", export_job, label="导出审核记录", memory_mb=400, wall_seconds=900)
    # in an action (inside its transaction):
    job = jobs.enqueue(kind="audit.export", actor=actor, params={...}, agency=agency)

A handler is `handler(job, progress) -> JobResult | dict | None`; it calls `progress(percent, note)` now and
then, raises JobError with a Chinese message for a failure people should read, and writes a result file into
`job_workdir(job)` (returned as JobResult(file_path=..., file_name=...)); the runner stores it through the
default storage (object storage in production), so no result passes through memory whole.

Where jobs run (setting SHENFA["JOBS_BACKEND"]):
  "process"  the embedded default (demo, single server): when the enqueuing transaction commits, a
             `manage.py run_jobs --id N` child process is started (at most JOBS_MAX_CONCURRENT at once;
             the rest wait and are started by the next finishing job or by `manage.py tick`);
  "celery"   production: the Celery worker (Redis broker) receives core.tasks.run_job and runs the same
             `manage.py run_jobs --id N` child process, so limits are the same on every path;
  "inline"   the job runs in the committing process, on commit, without OS limits;
  "immediate" tests only: the job runs at once, inside the enqueuing transaction (pytest's test
             transactions never commit), without OS limits.
In the child process the job kind's limits apply as OS resource limits (RLIMIT_AS for memory, RLIMIT_CPU)
and an alarm for wall time. A job killed by the OS leaves its row "running"; the tick's reaper marks it
failed once its wall time plus a grace period has passed. Nothing is lost: a job is either done with its
result, or failed with a reason, and can be enqueued again."""
from __future__ import annotations

import logging
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone
from viewflow import fsm

from . import fsm as core_fsm
from .conf import shenfa_setting
from .errors import NotFound
from .models import Job
from .models import JobStatus as S

log = logging.getLogger("shenfa.jobs")

REAP_GRACE_SECONDS = 60


class JobError(Exception):
    """A failure with a message for people (Chinese), stored on the job."""


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: Callable
    label: str
    memory_mb: int = 1024      # address space of the whole worker process (Django itself takes ~150 MB)
    cpu_seconds: int = 300
    wall_seconds: int = 600


@dataclass
class JobResult:
    data: dict = field(default_factory=dict)
    file_path: str | None = None
    file_name: str = ""


_KINDS: dict[str, JobKind] = {}


def register(name: str, handler: Callable, *, label: str, memory_mb: int = 1024, cpu_seconds: int = 300,
             wall_seconds: int = 600) -> None:
    """Register a job kind (call it from the app's AppConfig.ready)."""
    _KINDS[name] = JobKind(name, handler, label, memory_mb, cpu_seconds, wall_seconds)


def kind_of(name: str) -> JobKind | None:
    return _KINDS.get(name)


def label_of(name: str) -> str:
    kind = _KINDS.get(name)
    return kind.label if kind else name


# --- the lifecycle -----------------------------------------------------------------------------------

class JobLifecycle:
    """The only code that changes Job.status."""

    state = fsm.State(S, default=S.QUEUED)

    def __init__(self, job: Job):
        self.job = job

    @state.setter()
    def _set_status(self, value):
        self.job.__dict__["status"] = value

    @state.getter()
    def _get_status(self):
        return self.job.status

    @state.transition(source=S.QUEUED, target=S.RUNNING, label="开始处理")
    def start(self):
        """A worker took the job."""

    @state.transition(source=S.RUNNING, target=S.DONE, label="完成")
    def finish(self):
        """The result is stored."""

    @state.transition(source=[S.QUEUED, S.RUNNING], target=S.FAILED, label="失败")
    def fail(self):
        """The job failed, or its worker died; the reason is stored."""


def _transition(job: Job, name: str) -> None:
    core_fsm.run(JobLifecycle(job), name, state_label=job.get_status_display())


# --- enqueueing ---------------------------------------------------------------------------------------

def enqueue(*, kind: str, actor=None, params: dict | None = None, agency=None, subject: str = "") -> Job:
    """Create a queued job; it is handed to a worker when the surrounding transaction commits."""
    if kind not in _KINDS:
        raise ValueError(f"Unknown job kind {kind!r}")
    job = Job.objects.create(kind=kind, owner=actor if getattr(actor, "pk", None) else None, agency=agency,
                             params=params or {}, subject=subject[:80])
    if shenfa_setting("JOBS_BACKEND") == "immediate":
        run(job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: dispatch(job.pk))
    return job


def dispatch(job_id: int) -> None:
    """Hand a committed job to the configured backend."""
    backend = shenfa_setting("JOBS_BACKEND")
    if backend == "inline":
        run(job_id)
    elif backend == "celery":
        from .tasks import run_job  # noqa: PLC0415  (Celery app loads after Django; tasks import this module)

        run_job.delay(job_id)
    else:
        start_workers()


def _manage_py() -> str:
    return str(Path(settings.BASE_DIR) / "manage.py")


def worker_command(job_id: int | None = None) -> list[str]:
    cmd = [sys.executable, _manage_py(), "run_jobs"]
    if job_id is not None:
        cmd += ["--id", str(job_id)]
    return cmd


def _child_env() -> dict:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", os.environ.get("DJANGO_SETTINGS_MODULE", "project.settings.dev"))
    db = connection.settings_dict
    if db["ENGINE"].endswith("postgresql"):
        # the child must use the same database this process uses (tests run on a per-run test database)
        user, host, port = db.get("USER") or "", db.get("HOST") or "", db.get("PORT") or ""
        auth = f"{user}:{db['PASSWORD']}@" if db.get("PASSWORD") else (f"{user}@" if user else "")
        env["DATABASE_URL"] = f"postgres://{auth}{host}{':' + str(port) if port else ''}/{db['NAME']}"
    elif db["ENGINE"].endswith("sqlite3") and str(db["NAME"]) not in (":memory:", "") and \
            "mode=memory" not in str(db["NAME"]):
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    return env


def start_workers() -> int:
    """Start worker processes for queued jobs, up to JOBS_MAX_CONCURRENT running at once. Returns how many."""
    limit = shenfa_setting("JOBS_MAX_CONCURRENT")
    running = Job.objects.filter(status=S.RUNNING).count()
    queued = list(Job.objects.filter(status=S.QUEUED).order_by("pk").values_list("pk", flat=True)[:limit])
    started = 0
    for job_id in queued[: max(0, limit - running)]:
        subprocess.Popen(worker_command(job_id), env=_child_env(), stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        started += 1
    return started


def run_isolated(job_id: int) -> int:
    """Run one job in a child process (the Celery path) and wait for it; returns the exit status."""
    job = Job.objects.filter(pk=job_id).first()
    kind = _KINDS.get(job.kind) if job else None
    timeout = (kind.wall_seconds if kind else 600) + REAP_GRACE_SECONDS
    try:
        return subprocess.run(worker_command(job_id), env=_child_env(), timeout=timeout,
                              stdin=subprocess.DEVNULL, check=False).returncode
    except subprocess.TimeoutExpired:
        fail(job_id, "任务超过时间限制，已终止")
        return -1


# --- running ------------------------------------------------------------------------------------------

def apply_limits(kind: JobKind) -> None:
    """OS limits for this (worker) process: address space, CPU seconds, and an alarm for wall time."""
    memory = kind.memory_mb * 1024 * 1024
    # Soft limit only: the worker's own allocations fail beyond it (MemoryError), while a sandbox child it
    # starts (privacy.sandbox) may still set its own, larger limit for its own work.
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (memory if hard == resource.RLIM_INFINITY else min(memory, hard), hard))
    resource.setrlimit(resource.RLIMIT_CPU, (kind.cpu_seconds, kind.cpu_seconds + 5))
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGALRM, _on_alarm)
        signal.alarm(kind.wall_seconds)


class _WallTimeExceeded(BaseException):
    """Raised by the alarm; BaseException so that a handler's `except Exception` cannot swallow it."""


def _on_alarm(signum, frame):
    raise _WallTimeExceeded()


def _claim(job_id: int) -> Job | None:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != S.QUEUED:
            return None  # taken by another worker, or already finished
        _transition(job, "start")
        job.attempts += 1
        job.started_at = job.heartbeat_at = timezone.now()
        job.save(update_fields=["status", "attempts", "started_at", "heartbeat_at"])
        return job


def job_workdir(job: Job) -> Path:
    """A private temporary directory for the job's files (removed when the job ends)."""
    path = Path(tempfile.gettempdir()) / f"shenfa-job-{job.pk}-{os.getpid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def run(job_id: int, *, limits: bool = False) -> Job | None:
    """Run a queued job to its end (done or failed). `limits`: apply the kind's OS limits to this process."""
    job = _claim(job_id)
    if job is None:
        return None
    kind = _KINDS.get(job.kind)
    if kind is None:
        return fail(job.pk, f"未知的任务类型：{job.kind}")
    if limits:
        apply_limits(kind)

    def progress(percent: int, note: str = "") -> None:
        Job.objects.filter(pk=job.pk).update(progress=max(0, min(100, int(percent))), progress_note=note[:200],
                                             heartbeat_at=timezone.now())

    workdir = Path(tempfile.gettempdir()) / f"shenfa-job-{job.pk}-{os.getpid()}"
    try:
        try:
            outcome = kind.handler(job, progress)
        finally:
            if limits:
                signal.alarm(0)
        return _finish(job, outcome)
    except JobError as exc:
        return fail(job.pk, str(exc))
    except (MemoryError, _WallTimeExceeded) as exc:
        reason = "任务超过内存限制" if isinstance(exc, MemoryError) else "任务超过时间限制"
        return fail(job.pk, f"{reason}（{kind.label}），已终止")
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        return fail(job.pk, "处理时发生内部错误，已记录，请稍后重试或联系管理员")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _finish(job: Job, outcome) -> Job:
    if isinstance(outcome, dict) or outcome is None:
        outcome = JobResult(data=outcome or {})
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.status != S.RUNNING:
            return job  # the reaper gave up on it meanwhile
        if outcome.file_path:
            name = outcome.file_name or os.path.basename(outcome.file_path)
            with open(outcome.file_path, "rb") as fh:
                job.result_file.save(f"{job.pk}-{name}", File(fh), save=False)
            job.result_name = name[:200]
        job.result = outcome.data
        job.progress = 100
        job.finished_at = timezone.now()
        _transition(job, "finish")
        job.save()
    start_next()
    return job


def fail(job_id: int, reason: str) -> Job | None:
    """Mark a job failed with a reason for people (idempotent)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return job
        job.error = reason[:2000]
        job.finished_at = timezone.now()
        _transition(job, "fail")
        job.save(update_fields=["status", "error", "finished_at"])
    start_next()
    return job


def start_next() -> None:
    if shenfa_setting("JOBS_BACKEND") == "process" and Job.objects.filter(status=S.QUEUED).exists():
        start_workers()


# --- the tick: start waiting jobs, give up on dead ones ------------------------------------------------

def tick_job(now) -> dict:
    """Registered with core.tick: fail jobs whose worker died, (re)start queued jobs of the process backend."""
    reaped = 0
    for job in Job.objects.filter(status=S.RUNNING).only("pk", "kind", "started_at", "heartbeat_at"):
        kind = _KINDS.get(job.kind)
        limit = timedelta(seconds=(kind.wall_seconds if kind else 600) + REAP_GRACE_SECONDS)
        if job.started_at and now - job.started_at > limit:
            fail(job.pk, "任务超过时间或内存限制，处理进程已被终止")
            reaped += 1
    started = start_workers() if shenfa_setting("JOBS_BACKEND") == "process" else 0
    return {"reaped": reaped, "started": started}


# --- reading ------------------------------------------------------------------------------------------

def job_for(user, job_id) -> Job:
    """The job if this user started it (404 otherwise, for a missing job as for someone else's)."""
    job = Job.objects.filter(pk=job_id).first() if str(job_id).isdigit() and int(job_id) < 2 ** 63 else None
    if job is None or user is None or not user.is_authenticated or job.owner_id != user.pk:
        raise NotFound("没有找到该任务", en="No such job")
    return job


def as_dict(job: Job) -> dict:
    return {"id": job.pk, "kind": job.kind, "label": label_of(job.kind), "status": job.status,
            "status_label": job.get_status_display(), "progress": job.progress, "note": job.progress_note,
            "error": job.error, "result": job.result, "has_file": bool(job.result_file),
            "file_name": job.result_name, "created_at": job.created_at.isoformat(),
            "finished_at": job.finished_at.isoformat() if job.finished_at else None}
