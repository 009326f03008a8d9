"""The annual report's editable parts: table 二 figures kept in other systems (entered, or imported from the
downloadable template), the text sections with their history, and the documents (html / pdf / docx) as
background jobs, with their warning box or forced out without it with a recorded reason. The same actions as
the web pages under /audit/report/."""
from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.db import transaction
from django.http import HttpResponse
from ninja import Field, File, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from core import jobs as core_jobs
from core.errors import InvalidInput
from reports import actions, figure_files
from reports.annual.figures import build_report
from reports.annual.layouts import layout_for_year
from reports.models import AnnualReportText, ExternalFigure

from .. import jobs, lookups
from ..fields import PathId, PathYear, bounded_text, decimal, json_body
from ..schemas.common import In, responses
from ..uploads import limit_uploads
from .audit import JobOut, job_answer

router = Router(tags=["年度报告"])
BASE = "/reports/annual/{int:agency_id}/{int:year}"


# --- table 二 figures -------------------------------------------------------------------------------------

class FigureOut(Schema):
    kind: str = Field(..., description="admin_licensing | admin_penalty | admin_coercion | admin_fee")
    label: str
    value: Decimal = Field(..., description="处理决定数量（件），或行政事业性收费金额（万元）")
    source: str = Field(..., description="数据来源（业务系统或台账）")
    note: str
    via: Literal["entered", "imported"]
    file_hash: str = Field(..., description="导入文件的 SHA-256（录入的为空）")
    updated_at: datetime
    updated_by: str

    @staticmethod
    def resolve_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_updated_by(obj):
        return obj.updated_by.get_full_name() or obj.updated_by.username


class FiguresOut(Schema):
    agency: str
    year: int
    figures: list[FigureOut]
    table2: dict = Field(..., description="本报告表二中这四项的数字（含下级机构；未录入的机构按本系统信息统计）")


class FigureIn(In):
    value: decimal(16, 4) | None = Field(..., title="数值",
                                         description="件数（整数）或万元（最多四位小数）；null 删除该项")
    source: bounded_text(200) = Field("", title="数据来源")
    note: bounded_text(500) = Field("", title="备注")


class FiguresIn(In):
    admin_licensing: FigureIn | None = Field(None, title="行政许可（本年处理决定数量）")
    admin_penalty: FigureIn | None = Field(None, title="行政处罚（本年处理决定数量）")
    admin_coercion: FigureIn | None = Field(None, title="行政强制（本年处理决定数量）")
    admin_fee: FigureIn | None = Field(None, title="行政事业性收费（本年收费金额，万元）")


def _figures_answer(agency, year):
    report = build_report(agency, year)
    t2 = report.table2
    figures = ExternalFigure.objects.filter(agency=agency, year=year).select_related("updated_by")
    return {"agency": agency.code, "year": year, "figures": list(figures),
            "table2": {**t2["decisions"], "admin_fee": str(t2["admin_fee_wan"])}}


@router.get(f"{BASE}/external-figures", response=responses(FiguresOut, 200, 400, 404),
            summary="表二业务系统数据（行政许可、处罚、强制的决定数量，行政事业性收费）")
def figures_read(request, agency_id: PathId, year: PathYear):
    agency = lookups.report_agency(request.auth, agency_id)
    layout_for_year(year)
    return _figures_answer(agency, year)


@router.post(f"{BASE}/external-figures", response=responses(FiguresOut, 200, 400, 403, 404, 415),
             summary="录入表二业务系统数据（公开办管理员）",
             description="只改请求中给出的项目；value 为 null 删除该项（恢复按本系统信息统计）。写入审计记录 "
                         "audit.report.figures。")
def figures_save(request, agency_id: PathId, year: PathYear, data: json_body(FiguresIn)):
    agency = lookups.report_agency(request.auth, agency_id)
    given = data.model_dump(exclude_unset=True)
    figures = {k: {"value": None if v is None or v["value"] is None else str(v["value"]),
                   "source": (v or {}).get("source", ""), "note": (v or {}).get("note", "")}
               for k, v in given.items()}
    actions.save_external_figures(actor=request.auth, agency=agency, year=year, figures=figures)
    return _figures_answer(agency, year)


class TemplateQuery(Schema):
    format: Literal["xlsx", "csv"] = Field("xlsx", title="格式")


@router.get("/reports/annual/external-figures/template", response=responses(None, 200, 400),
            summary="下载表二业务系统数据导入模板（XLSX / CSV，中文表头）",
            openapi_extra={"responses": {200: {"description": "模板文件", "content": {
                "*/*": {"schema": {"type": "string", "format": "binary"}}}}}})
def figures_template(request, query: Query[TemplateQuery]):
    content, ctype, _ = figure_files.template(query.format)
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="table2-figures-template.{query.format}"'
    return response


class ImportOut(Schema):
    sha256: str = Field(..., description="导入文件的 SHA-256（记入审计记录）")
    rows: int
    created: int
    updated: int
    agencies: list[str]


@router.post("/reports/annual/external-figures/import", response=responses(ImportOut, 200, 400, 403, 415),
             summary="导入表二业务系统数据（XLSX / CSV；全部通过校验才导入）",
             description="multipart/form-data：file 字段。任何一行有误则不导入任何数据，errors 中按“第N行”"
                         "列出每一行的错误。每个涉及的机构写入一条审计记录 audit.report.figures_import，"
                         "记下文件的 SHA-256。")
@decorate_view(limit_uploads)
def figures_import(request, file: File[UploadedFile]):
    for key in list(request.POST) + [k for k in request.FILES if k != "file"]:
        raise InvalidInput(f"不支持字段“{key}”", en=f"Unknown field: {key}", field=key)
    if file.size and file.size > figure_files.MAX_BYTES:
        raise InvalidInput("文件不能超过 5 MB", en="File too large", field="file")
    result = actions.import_external_figures(actor=request.auth, file_name=file.name or "", data=file.read())
    return result.__dict__


# --- text sections ----------------------------------------------------------------------------------------

class TextVersionOut(Schema):
    number: int
    changed: list[str]
    overview_override: str
    overview: str
    problems: str
    other_matters: str
    key_tasks: str
    created_at: datetime
    created_by: str

    @staticmethod
    def resolve_created_by(obj):
        return obj.created_by.get_full_name() or obj.created_by.username


class TextsOut(Schema):
    agency: str
    year: int
    version: int
    overview_generated: str = Field(..., description="系统根据数据生成的第一部分文字")
    overview_override: str = Field(..., description="本机关定稿（非空时替代生成的文字）")
    overview: str = Field(..., description="第一部分补充说明")
    problems: str = Field(..., description="五、存在的主要问题及改进情况")
    key_tasks: str = Field(..., description="六、重点工作任务落实情况")
    other_matters: str = Field(..., description="六、其他需要报告的事项")
    versions: list[TextVersionOut]


class TextsIn(In):
    overview_override: bounded_text(actions.TEXT_MAX) = Field(None, title="一、总体情况（定稿）")
    overview: bounded_text(actions.TEXT_MAX) = Field(None, title="一、总体情况（补充说明）")
    problems: bounded_text(actions.TEXT_MAX) = Field(None, title="五、存在的主要问题及改进情况")
    key_tasks: bounded_text(actions.TEXT_MAX) = Field(None, title="六、重点工作任务落实情况")
    other_matters: bounded_text(actions.TEXT_MAX) = Field(None, title="六、其他需要报告的事项")


def _texts_answer(agency, year):
    text = AnnualReportText.objects.filter(agency=agency, year=year).first()
    report = build_report(agency, year)
    fields = {f: getattr(text, f, "") if text else "" for f in actions.REPORT_TEXT_FIELDS}
    versions = list(text.versions.select_related("created_by")) if text else []
    return {"agency": agency.code, "year": year, "version": text.version if text else 0,
            "overview_generated": report.generated_overview, **fields, "versions": versions}


@router.get(f"{BASE}/texts", response=responses(TextsOut, 200, 400, 404), summary="年度报告文字部分及修改历史")
def texts_read(request, agency_id: PathId, year: PathYear):
    agency = lookups.report_agency(request.auth, agency_id)
    layout_for_year(year)
    return _texts_answer(agency, year)


@router.patch(f"{BASE}/texts", response=responses(TextsOut, 200, 400, 403, 404, 415),
              summary="修改年度报告文字部分（公开办管理员；每次修改保存一个版本）")
def texts_save(request, agency_id: PathId, year: PathYear, data: json_body(TextsIn)):
    agency = lookups.report_agency(request.auth, agency_id)
    actions.save_report_text(actor=request.auth, agency=agency, year=year, data=data.model_dump(exclude_unset=True))
    return _texts_answer(agency, year)


# --- documents --------------------------------------------------------------------------------------------

class DocumentIn(In):
    format: Literal[actions.FORMATS] = Field("pdf", title="格式")
    force_reason: bounded_text(actions.REASON_MAX) = Field(
        "", title="强制出具的理由",
        description="留空：文档首页列出未通过的勾稽关系校验和未完成的部分。填写（公开办管理员）：出具不带警告的文档，"
                    "理由记入审计记录 audit.report.force。")


@router.post(f"{BASE}/documents", response=responses(JobOut, 202, 400, 403, 404, 415),
             summary="生成年度报告文档（html / pdf / docx，后台任务）")
def document_create(request, agency_id: PathId, year: PathYear, data: json_body(DocumentIn)):
    agency = lookups.report_agency(request.auth, agency_id)
    layout_for_year(year)
    reason = ""
    with transaction.atomic():
        if data.force_reason:
            report = actions.force_report(actor=request.auth, report=build_report(agency, year), fmt=data.format,
                                          reason=data.force_reason)
            reason = report.forced_reason
        job = core_jobs.enqueue(kind=jobs.DOCUMENT, actor=request.auth, agency=agency, params={
            "agency": agency.pk, "year": year, "format": data.format, "forced_reason": reason})
    return Status(202, job_answer(job))

