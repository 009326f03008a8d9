"""Online applications (在线申请) and the public status query; Art. 35; reply letters and notices, their
templates; ledger import. The same actions as the web pages (disclosure.online, .actions, .imports)."""
from typing import Literal

from django.http import FileResponse, HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.pagination import paginate

from core.context import client_ip
from core.errors import InvalidInput, NotFound
from core.models import Agency
from disclosure import actions, imports, letters, online
from disclosure.models import Letter
from disclosure.templates_admin import save_letter_template, template_agencies

from .. import lookups
from ..fields import PathId, bounded_text, json_body
from ..schemas.common import Pagination, responses
from ..schemas.disclosure import ApplicationOut, LetterOut
from ..schemas.requests import (
    APPLICANT_TYPES,
    FORMS,
    ID_TYPES,
    WAYS,
    ConfirmIn,
    ExcessiveDecisionIn,
    ExcessiveIn,
    ImportOut,
    OnlineOut,
    OnlineSummary,
    PublicApplicationOut,
    PublicLetterIn,
    PublicStatusOut,
    QueryIn,
    TemplateIn,
    TemplateOut,
)
from ..uploads import limit_uploads

router = Router(tags=["在线申请与答复文书"])
ACT = (400, 403, 404, 409, 415)
FILE_RESPONSE = {"responses": {200: {"description": "文件", "content": {"*/*": {"schema": {
    "type": "string", "format": "binary"}}}}}}


def _not_found():
    return NotFound("申请编号或查询码不正确", en="Wrong number or code")


# --- public: no log-in ---------------------------------------------------------------------------------

@router.post("/public/applications", auth=None,
             response=responses(PublicApplicationOut, 201, 400, 415, 429, auth=False),
             summary="在线提交政府信息公开申请（无需登录）", tags=["在线申请（公众）"],
             description="multipart/form-data：条例第二十九条的各项内容与身份证明材料（JPG、PNG 或 PDF）。"
                         "返回申请编号和查询码；网上申请以受理机关确认收到之日为收到申请之日（条例第三十一条）。")
@decorate_view(limit_uploads)
def public_apply(request, id_document: File[UploadedFile],
                 agency: int = Form(..., ge=1, le=2**31 - 1, title="受理机关"),
                 applicant_type: APPLICANT_TYPES = Form(..., title="申请人类型"),
                 applicant_name: bounded_text(120, 1) = Form(..., title="姓名或名称"),
                 id_type: ID_TYPES = Form(..., title="证件类型"),
                 id_number: bounded_text(40, 1) = Form(..., title="证件号码或统一社会信用代码"),
                 phone: bounded_text(30, 1) = Form(..., title="联系电话"),
                 content: bounded_text(5000, 1) = Form(..., title="所需信息的描述"),
                 delivery_form: FORMS = Form(..., title="信息提供形式"),
                 delivery_way: WAYS = Form(..., title="获取信息方式"),
                 privacy_consent: bool = Form(..., title="同意个人信息保护告知"),
                 legal_representative: bounded_text(60) = Form("", title="法定代表人或负责人"),
                 contact_person: bounded_text(60) = Form("", title="联系人"),
                 email: bounded_text(120) = Form("", title="电子邮箱"),
                 address: bounded_text(300) = Form("", title="通讯地址"),
                 postcode: bounded_text(6) = Form("", title="邮政编码"),
                 purpose: bounded_text(2000) = Form("", title="申请用途")):
    data = {"applicant_type": applicant_type, "applicant_name": applicant_name, "id_type": id_type,
            "id_number": id_number, "phone": phone, "content": content, "delivery_form": delivery_form,
            "delivery_way": delivery_way, "legal_representative": legal_representative,
            "contact_person": contact_person, "email": email, "address": address, "postcode": postcode,
            "purpose": purpose}
    found = Agency.objects.filter(pk=agency, is_active=True).first()
    submitted, code = online.submit_online_application(agency=found, data=data, id_document=id_document,
                                                       ip=client_ip(request), privacy_consent=privacy_consent)
    return Status(201, {"number": submitted.number, "code": code, "agency": submitted.agency.name,
                        "submitted_at": submitted.submitted_at})


@router.post("/public/applications/query", auth=None, response=responses(PublicStatusOut, 200, 400, 404, 415, 429,
                                                                          auth=False),
             summary="凭申请编号和查询码查询办理进度（无需登录）", tags=["在线申请（公众）"],
             description="查询码错误与编号不存在的回答相同（404）。")
def public_query(request, data: json_body(QueryIn)):
    found = online.find(data.number, data.code, ip=client_ip(request))
    if found is None:
        raise _not_found()
    return online.public_status(found)


@router.post("/public/applications/letters/{int:public_letter_id}", auth=None,
             response=responses(None, 200, 400, 404, 415, 429, auth=False), openapi_extra=FILE_RESPONSE,
             summary="凭申请编号和查询码下载答复书或告知书（无需登录）", tags=["在线申请（公众）"])
def public_letter(request, public_letter_id: PathId, data: json_body(PublicLetterIn)):
    found = online.find(data.number, data.code, ip=client_ip(request))
    if found is None or found.application_id is None:
        raise _not_found()
    letter = online.public_letters(found.application).filter(pk=public_letter_id).first()
    if letter is None:
        raise _not_found()
    return _file(letter, data.format)


def _file(letter: Letter, fmt: str):
    field = letter.pdf if fmt == "pdf" else letter.docx
    if not field:
        raise NotFound("文书正在生成，请稍后再试", en="The letter is being rendered")
    return FileResponse(field.open("rb"), as_attachment=True,
                        filename=f"{letter.doc_number or letter.title}.{fmt}".replace("/", "_"))


# --- the handler's side --------------------------------------------------------------------------------

class OnlineFilter(Schema):
    status: Literal["submitted", "confirmed"] | None = None


@router.get("/online-applications", response=responses(list[OnlineSummary], 200, 400),
            summary="在线申请（本机关依申请公开经办人）")
@paginate(Pagination)
def online_list(request, filters: Query[OnlineFilter]):
    qs = online.submissions_for(request.auth).select_related("agency")
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.order_by("-submitted_at", "-pk")


@router.get("/online-applications/{int:online_id}", response=responses(OnlineOut, 200, 400, 404),
            summary="在线申请详情（含身份信息，仅经办人）")
def online_read(request, online_id: PathId):
    return lookups.online_application(request.auth, online_id)


@router.get("/online-applications/{int:online_id}/id-document", response=responses(None, 200, 400, 404),
            openapi_extra=FILE_RESPONSE, summary="身份证明材料（仅经办人）")
def online_id_document(request, online_id: PathId):
    found = lookups.online_application(request.auth, online_id)
    response = FileResponse(found.id_document.open("rb"), as_attachment=True,
                            filename=found.id_document_name or "id-document")
    response["Cache-Control"] = "no-store"
    return response


@router.post("/online-applications/{int:online_id}/confirm", response=responses(ApplicationOut, 201, *ACT),
             summary="确认收到并登记（条例第三十一条：答复期限自确认之日起算）")
def online_confirm(request, online_id: PathId, data: json_body(ConfirmIn)):
    app = online.confirm_receipt(actor=request.auth, online=lookups.online_application(request.auth, online_id),
                                 received_date=data.received_date)
    return Status(201, lookups.application(request.auth, app.pk))


@router.post("/applications/{int:application_id}/excessive", response=responses(ApplicationOut, 200, *ACT),
             summary="申请数量、频次明显超过合理范围：要求说明理由（条例第三十五条）")
def excessive_mark(request, application_id: PathId, data: json_body(ExcessiveIn)):
    actions.mark_excessive(actor=request.auth, application=lookups.application(request.auth, application_id),
                           reason=data.reason, asked_date=data.asked_date, explanation_due=data.explanation_due)
    return lookups.application(request.auth, application_id)


@router.post("/applications/{int:application_id}/excessive-decision", response=responses(ApplicationOut, 200, *ACT),
             summary="第三十五条处理：理由合理确定延迟答复期限，或不予处理")
def excessive_decision(request, application_id: PathId, data: json_body(ExcessiveDecisionIn)):
    actions.decide_excessive(actor=request.auth, application=lookups.application(request.auth, application_id),
                             reasonable=data.reasonable, decided_date=data.decided_date,
                             explanation=data.explanation, later_date=data.later_date)
    return lookups.application(request.auth, application_id)


@router.get("/applications/{int:application_id}/letters", response=responses(list[LetterOut], 200, 400, 404),
            summary="答复书与告知书（文号、法律依据、正文）")
def letter_list(request, application_id: PathId):
    return list(lookups.application(request.auth, application_id).letters.order_by("pk"))


class LetterFormat(Schema):
    format: Literal["pdf", "docx"] = "pdf"


@router.get("/letters/{int:letter_id}/file", response=responses(None, 200, 400, 404), openapi_extra=FILE_RESPONSE,
            summary="下载答复书或告知书（PDF 或 DOCX）")
def letter_file(request, letter_id: PathId, query: Query[LetterFormat]):
    return _file(lookups.letter(request.auth, letter_id), query.format)


class TemplateFilter(Schema):
    agency: int | None = Field(None, ge=1, le=2**31 - 1, title="机关")


@router.get("/letter-templates", response=responses(list[TemplateOut], 200, 400),
            summary="文书模板（本机关模板或系统默认；政务公开办负责人、管理员）")
def template_list(request, filters: Query[TemplateFilter]):
    agencies = template_agencies(request.auth)
    if filters.agency:
        agencies = agencies.filter(pk=filters.agency)
    rows = []
    for agency in agencies.order_by("code")[:50]:
        own = set(agency_keys(agency))
        for key in letters.DEFAULTS:
            title, basis, body, prefix = letters.template_for(agency, key)
            rows.append({"agency": agency.pk, "key": str(key), "title": title, "basis": basis, "body": body,
                         "number_prefix": prefix, "own": str(key) in own})
    return rows


def agency_keys(agency):
    return letters.LetterTemplate.objects.filter(agency=agency).values_list("key", flat=True)


@router.post("/letter-templates", response=responses(TemplateOut, 200, 400, 403, 415), summary="保存本机关文书模板")
def template_save(request, data: json_body(TemplateIn)):
    agency = Agency.objects.filter(pk=data.agency, is_active=True).first()
    if agency is None:
        raise InvalidInput("机关：所选项不存在", en="No such agency", field="agency")
    t = save_letter_template(actor=request.auth, agency=agency, key=data.key, data=data.model_dump())
    return {"agency": agency.pk, "key": t.key, "title": t.title, "basis": t.basis, "body": t.body,
            "number_prefix": t.number_prefix, "own": True}


class TemplateFormat(Schema):
    kind: Literal["applications", "appeals"] = "applications"
    format: Literal["xlsx", "csv"] = "xlsx"


@router.get("/imports/templates", response=responses(None, 200, 400), openapi_extra=FILE_RESPONSE,
            summary="下载台账模板（中文表头）")
def import_template(request, query: Query[TemplateFormat]):
    kind = query.kind
    body = imports.template_xlsx(kind) if query.format == "xlsx" else imports.template_csv(kind)
    ctype = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if query.format == "xlsx"
             else "text/csv; charset=utf-8")
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{kind}.{query.format}"'
    return response


def _import(request, call, agency, file):
    found = Agency.objects.filter(pk=agency, is_active=True).first()
    if found is None:
        raise InvalidInput("机关：所选项不存在", en="No such agency", field="agency")
    # the upload handler stopped anything past ATTACHMENT_MAX_BYTES; the import checks its own, smaller bound
    return Status(201, call(actor=request.auth, agency=found, content=file.read(), file_name=file.name or ""))


@router.post("/imports/applications", response=responses(ImportOut, 201, 400, 403, 415),
             summary="导入依申请公开登记台账（全部成功或全部不导入）",
             description="multipart/form-data：agency 与 file（下载的 XLSX 或 CSV 模板）。有错误时 400，"
                         "errors.rows 列出每一处错误（第N行：列：问题）。")
@decorate_view(limit_uploads)
def import_applications(request, file: File[UploadedFile], agency: int = Form(..., ge=1, le=2**31 - 1)):
    return _import(request, imports.import_applications, agency, file)


@router.post("/imports/appeals", response=responses(ImportOut, 201, 400, 403, 415),
             summary="导入行政复议、行政诉讼案件台账（全部成功或全部不导入）")
@decorate_view(limit_uploads)
def import_appeals(request, file: File[UploadedFile], agency: int = Form(..., ge=1, le=2**31 - 1)):
    return _import(request, imports.import_appeals, agency, file)
