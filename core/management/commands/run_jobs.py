"""`manage.py run_jobs --id N`: the worker process of one background job (core.jobs), under the job kind's OS
limits (memory, CPU, wall time). Started by the app when a job is enqueued (embedded), by the Celery worker
(production), or by hand; without --id it runs every queued job, each in its own child process."""
import subprocess

from django.core.management.base import BaseCommand

from core import jobs
from core.models import Job, JobStatus


class Command(BaseCommand):
    help = "在资源限制下运行后台任务（保密预检、批量生成 PDF、导出等）"

    def add_arguments(self, parser):
        parser.add_argument("--id", type=int, help="只运行这一个任务（在本进程中，施加该类任务的资源限制）")

    def handle(self, *args, id=None, **options):
        if id is not None:
            job = jobs.run(id, limits=True)
            if job is not None:
                self.stdout.write(f"job {job.pk} {job.status} {job.error}")
            return
        for job_id in Job.objects.filter(status=JobStatus.QUEUED).order_by("pk").values_list("pk", flat=True):
            subprocess.run(jobs.worker_command(job_id), check=False)
