"""Audit: the records (auditors and the disclosure office, over their agencies and those below), their
export, and the annual report's figures.

Exports stream synchronously, as the web's /audit/export/ does: core.jobs (background jobs that answer 202
with a link) has not landed yet. The stream reads the records in chunks, so memory stays flat."""
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from audit import exports
from audit.permissions import export_agency_ids, export_denial, report_denial
from core.errors import InvalidInput, deny
from reports.annual.figures import build_report
from workflow import permissions

from .. import lookups
from ..fields import Day, PathId, PathYear, QueryId, bounded_text
from ..schemas.common import Pagination, responses
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


def _filter(user, f: RecordFilter) -> exports.ExportFilter:
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


class ExportQuery(RecordFilter):
    format: Literal[exports.FORMATS] = Field("csv", title="格式")


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/audit/export", response=responses(None, 200, 400, 403), summary="导出审计记录（csv / xlsx / jsonl）",
            description="同步流式导出（逐块读取记录，内存占用不随行数增长）；每次导出本身写入审计记录 audit.export。",
            openapi_extra={"responses": {200: {"description": "导出文件", "content": {
                ctype.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                for ctype in EXPORT_TYPES.values()}}}})
def record_export(request, query: Query[ExportQuery]):
    deny(export_denial(request.auth))
    filters = _filter(request.auth, query)
    qs, _count = exports.start_export(actor=request.auth, filters=filters, fmt=query.format)
    name = f"audit-{filters.agency or 'all'}-{timezone.localtime():%Y%m%d-%H%M%S}.{query.format}"
    if query.format == "xlsx":
        return FileResponse(exports.xlsx_tempfile(qs), as_attachment=True, filename=name,
                            content_type=EXPORT_TYPES["xlsx"])
    rows = exports.iter_csv(qs) if query.format == "csv" else exports.iter_jsonl(qs)
    response = StreamingHttpResponse(rows, content_type=EXPORT_TYPES[query.format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/reports/annual/{int:agency_id}/{int:year}", response=responses(dict[str, Any], 200, 400, 403, 404),
            tags=["年度报告"], summary="年度报告的统计数据（含核对结果）",
            description="机构及其下级机构在该年度的表二、表三、表四数字与核对；与网页 /audit/report/ 同一计算。")
def annual_figures(request, agency_id: PathId, year: PathYear):
    agency = lookups.agency(request.auth, agency_id)
    deny(report_denial(request.auth, agency))
    return build_report(agency, year).as_json()
