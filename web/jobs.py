"""Pages of background jobs (core.jobs): progress while it runs, the result link when it is ready."""
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, JsonResponse
from django.shortcuts import render

from core import jobs

from .errors import not_found


@login_required
def job_detail(request, pk):
    """A progress bar that refreshes itself until the job is done (or failed), then the link."""
    job = jobs.job_for(request.user, pk)
    return render(request, "jobs/job.html", {"job": job, "label": jobs.label_of(job.kind)})


@login_required
def job_status(request, pk):
    return JsonResponse(jobs.as_dict(jobs.job_for(request.user, pk)))


@login_required
def job_file(request, pk):
    job = jobs.job_for(request.user, pk)
    if not job.result_file:
        raise not_found("该任务没有结果文件")
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name or "result")
