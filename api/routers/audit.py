"""Audit: the records (auditors and the disclosure office, over their agencies and those below), their
export and the annual report's figures as background jobs (core.jobs: 202 with the job, whose link gives
the result when it is ready), and the jobs themselves."""
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.http import FileResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from audit import exports
from audit.permissions import export_agency_ids, export_denial
from core import jobs as core_jobs
from core.errors import InvalidInput, deny
from core.models import Agency
from reports.annual.layouts import layout_for_year
from workflow import permissions

from .. import jobs, lookups
from ..fields import Day, PathId, PathYear, QueryId, bounded_text, json_body
from ..schemas.common import Empty, In, Pagination, responses
from ..schemas.items import AuditRecordOut

router = Router(tags=["审计"])


class RecordFilter(Schema):
    agency: bounded_text(32) | None = Field(None, title="机构代码（含下级机构）")
    date_from: Day | None = Field(None, title="起始日期（北京时间，含）")
    date_to: Day | None = Field(None, title="截止日期（北京时间，含）")
    item: QueryId | None = Field(None, title="信息编号")
    actor: bounded_text(150) | None = Field(None, title="操作人账号")
    action: bounded_text(80) | None = Field(None, title="动作",
                                            description="完整名称，或以 . 或 * 结尾的前缀，如 workflow.review.*")


def _filter(user, f) -> exports.ExportFilter:
    """The export filter, with the item and the person limited to what the user may see: a foreign one
    answers exactly like a missing one (no oracle)."""
    if f.item is not None and not permissions.visible_items(user).filter(pk=f.item).exists():
        raise InvalidInput(f"导出条件有误：信息编号“{f.item}”不存在", en="Invalid export filter",
                           errors={"item": [f"信息编号“{f.item}”不存在"]}, field="item")
    if f.actor and not get_user_model().objects.filter(
            username=f.actor, memberships__agency_id__in=export_agency_ids(user)).exists():
        raise InvalidInput(f"导出条件有误：用户“{f.actor}”不存在", en="Invalid export filter",
                           errors={"actor": [f"用户“{f.actor}”不存在"]}, field="actor")
    return exports.ExportFilter(agency=f.agency or "", date_from=f.date_from.isoformat() if f.date_from else "",
                                date_to=f.date_to.isoformat() if f.date_to else "",
                                item=str(f.item) if f.item else "", actor=f.actor or "", action=f.action or "")


@router.get("/audit/records", response=responses(list[AuditRecordOut], 200, 400, 403), summary="审计记录（筛选、分页）")
@paginate(Pagination)
def record_list(request, filters: Query[RecordFilter]):
    deny(export_denial(request.auth))
    qs = exports.build_queryset(_filter(request.auth, filters), export_agency_ids(request.auth))
    return qs.order_by("seq")


# --- jobs ----------------------------------------------------------------------------------------------

class JobOut(Schema):
    id: int
    kind: str
    label: str
    status: Literal["queued", "running", "done", "failed"]
    status_label: str
    progress: int = Field(..., description="进度（%）")
    note: str
    error: str = Field(..., description="失败原因")
    result: dict[str, Any] = Field(..., description="结果数据（年度报告统计即在此处）")
    has_file: bool
    file_name: str
    created_at: str
    finished_at: str | None
    status_url: str = Field(..., description="查询进度与结果")
    file_url: str | None = Field(..., description="完成后下载结果文件")


def job_answer(job):
    data = core_jobs.as_dict(job)
    data["status_url"] = f"/api/v1/jobs/{job.pk}"
    data["file_url"] = f"/api/v1/jobs/{job.pk}/file" if data["has_file"] else None
    return data


class ExportIn(In):
    format: Literal[exports.FORMATS] = Field("csv", title="格式")
    agency: bounded_text(32) | None = Field(None, title="机构代码（含下级机构）")
    date_from: Day | None = Field(None, title="起始日期（北京时间，含）")
    date_to: Day | None = Field(None, title="截止日期（北京时间，含）")
    item: QueryId | None = Field(None, title="信息编号", strict=True)
    actor: bounded_text(150) | None = Field(None, title="操作人账号")
    action: bounded_text(80) | None = Field(None, title="动作")


@router.post("/audit/exports", response=responses(JobOut, 202, 400, 403, 415), summary="导出审计记录（后台任务）",
             description="立即返回 202 与任务；任务完成后从 file_url 下载 csv / xlsx / jsonl。导出的行数在请求时确定，"
                         "每次导出本身写入审计记录 audit.export。")
def record_export(request, data: json_body(ExportIn)):
    user = request.auth
    deny(export_denial(user))
    filters = _filter(user, data)
    qs, count = exports.start_export(actor=user, filters=filters, fmt=data.format)
    up_to = qs.aggregate(m=Max("seq"))["m"] or 0
    name = f"audit-{filters.agency or 'all'}-{timezone.localtime():%Y%m%d-%H%M%S}.{data.format}"
    agency = Agency.objects.filter(code=filters.agency).first() if filters.agency else None
    with transaction.atomic():
        job = core_jobs.enqueue(kind=jobs.EXPORT, actor=user, agency=agency, params={
            "filter": filters.as_dict(), "format": data.format, "up_to_seq": up_to, "rows": count, "file_name": name})
    return Status(202, job_answer(job))


@router.post("/reports/annual/{int:agency_id}/{int:year}/figures", response=responses(JobOut, 202, 400, 404, 415),
             tags=["年度报告"], summary="年度报告的统计数据与核对（后台任务）",
             description="机构及其下级机构在该年度的表二、表三、表四数字与核对，与网页 /audit/report/ 同一计算；"
                         "结果在任务的 result 中。")
def annual_figures(request, agency_id: PathId, year: PathYear, data: json_body(Empty)):
    agency = lookups.report_agency(request.auth, agency_id)
    layout_for_year(year)  # a year without a national layout is a 400 now, not a failed job later
    with transaction.atomic():
        job = core_jobs.enqueue(kind=jobs.FIGURES, actor=request.auth, agency=agency,
                                params={"agency": agency.pk, "year": year})
    return Status(202, job_answer(job))


@router.get("/jobs/{int:job_id}", response=responses(JobOut, 200, 400, 404), tags=["后台任务"],
            summary="我发起的后台任务：进度与结果")
def job_read(request, job_id: PathId):
    return job_answer(core_jobs.job_for(request.auth, job_id))


@router.get("/jobs/{int:job_id}/file", response=responses(None, 200, 400, 404), tags=["后台任务"],
            summary="下载后台任务的结果文件",
            openapi_extra={"responses": {200: {"description": "结果文件", "content": {
                "*/*": {"schema": {"type": "string", "format": "binary"}}}}}})
def job_file(request, job_id: PathId):
    job = core_jobs.job_for(request.auth, job_id)
    if not job.result_file:
        raise lookups.not_found(en="The job has no result file (yet)")
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name or "result")
