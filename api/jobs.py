"""Background jobs of the API (core.jobs): audit exports and the annual report's figures run in a worker
under the kind's limits; the endpoint answers 202 at once with the job and its links.

Registered in ApiConfig.ready(), so the worker process (manage.py run_jobs) knows them too."""
from django.contrib.auth import get_user_model

from audit import exports
from audit.permissions import export_agency_ids
from core import jobs
from core.models import Agency
from reports.annual.figures import build_report
from reports.annual.render import render

EXPORT = "api.audit_export"
FIGURES = "api.annual_figures"
DOCUMENT = "api.annual_document"


def export_job(job, progress):
    """Write the audited export (the rows counted when it was requested) into a file."""
    params = job.params
    owner = get_user_model().objects.filter(pk=job.owner_id).first()
    if owner is None:
        raise jobs.JobError("发起人已不存在")
    qs = exports.build_queryset(exports.ExportFilter(**params["filter"]), export_agency_ids(owner))
    qs = qs.filter(seq__lte=params["up_to_seq"]).order_by("seq")
    name = params["file_name"]
    path = jobs.job_workdir(job) / name
    progress(5, "正在导出")
    with open(path, "wb") as fh:
        exports.write_export(qs, params["format"], fh)
    return jobs.JobResult(data={"rows": params["rows"], "format": params["format"]}, file_path=str(path),
                          file_name=name)


def figures_job(job, progress):
    """Compute every figure of the agency's annual report for the year (with its checks)."""
    agency = Agency.objects.filter(pk=job.params["agency"]).first()
    if agency is None:
        raise jobs.JobError("机构已不存在")
    progress(10, "正在统计")
    return build_report(agency, job.params["year"]).as_json()


def document_job(job, progress):
    """Render the agency's annual report for the year as html / pdf / docx: with its warning box, or without
    it when an office admin forced it (the reason was recorded by the endpoint, reports.actions.force_report)."""
    params = job.params
    agency = Agency.objects.filter(pk=params["agency"]).first()
    if agency is None:
        raise jobs.JobError("机构已不存在")
    progress(10, "正在统计")
    report = build_report(agency, params["year"])
    if params.get("forced_reason"):
        report = report.forced(params["forced_reason"])
    progress(50, "正在排版")
    content, _, ext = render(report, params["format"])
    name = f"annual-report-{agency.code}-{params['year']}.{ext}"
    path = jobs.job_workdir(job) / name
    path.write_bytes(content)
    return jobs.JobResult(data={"format": params["format"], "warnings": report.warnings,
                                "forced": bool(params.get("forced_reason"))}, file_path=str(path), file_name=name)


def register():
    jobs.register(EXPORT, export_job, label="导出审计记录（接口）", memory_mb=600, cpu_seconds=600, wall_seconds=900)
    jobs.register(FIGURES, figures_job, label="年度报告统计（接口）", memory_mb=600, cpu_seconds=300, wall_seconds=600)
    jobs.register(DOCUMENT, document_job, label="年度报告文档（接口）", memory_mb=800, cpu_seconds=300,
                  wall_seconds=600)
