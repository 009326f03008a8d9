"""Background jobs of the reports app (core.jobs): printing many review sheets runs in the worker, under the
kind's limits, with its progress on the job's page (/jobs/<id>/)."""
from core import jobs

from . import sheets

REVIEW_SHEETS = "reports.review_sheets"
FORMATS = {"pdf": "review-sheets.pdf", "zip": "review-sheets.zip"}


def review_sheets_job(job, progress):
    """Render the sheets of the items chosen when the job was requested, one (or one chunk) at a time."""
    fmt = job.params.get("format")
    if fmt not in FORMATS:
        raise jobs.JobError("格式只能是 pdf 或 zip")
    path = jobs.job_workdir(job) / FORMATS[fmt]
    progress(1, "正在生成审核单")
    count = sheets.write_batch(job.params.get("items") or [], fmt, path, progress)
    return jobs.JobResult(data={"sheets": count, "format": fmt}, file_path=str(path), file_name=FORMATS[fmt])


def register():
    # RLIMIT_AS counts address space, not resident memory: WeasyPrint with Pango/HarfBuzz and the CJK fonts
    # mapped takes ~1 GB of it for one chunk; the resident size stays near 400 MB whatever the batch size.
    jobs.register(REVIEW_SHEETS, review_sheets_job, label="批量打印审核单", memory_mb=2048, cpu_seconds=1200,
                  wall_seconds=1800)
