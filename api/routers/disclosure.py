"""Disclosure on request (依申请公开): register, every step of the reply clock (supplement, consultation,
extension, fee), the reply and its review (draft, legal review, sign-off, delivery); appeal cases."""
from django.db.models import Q
from ninja import Query, Router, Status
from ninja.pagination import paginate

from audit.permissions import export_agency_ids
from core.errors import InvalidInput
from core.models import Agency
from disclosure import actions, appeals
from disclosure.models import AppealCase
from disclosure.permissions import visible_applications

from .. import lookups
from ..fields import PathId, json_body
from ..schemas.common import Pagination, responses
from ..schemas.disclosure import (
    AppealFilter,
    AppealIn,
    AppealOut,
    AppealUpdateIn,
    ApplicationFilter,
    ApplicationOut,
    ApplicationSummary,
    ConsultationEndIn,
    ConsultationIn,
    DecisionIn,
    DeliveryIn,
    ExtensionIn,
    FeeNoticeIn,
    FeePaymentIn,
    FeeQuery,
    FeeQuote,
    LapseIn,
    RegisterIn,
    ReplyIn,
    SupplementReceiptIn,
    SupplementRequestIn,
)

router = Router(tags=["依申请公开"])
ACT = (400, 403, 404, 409, 415)


def _app(request, application_id):
    return lookups.application(request.auth, application_id)


def _answer(request, application_id):
    return _app(request, application_id)


@router.get("/applications", response=responses(list[ApplicationSummary], 200, 400), summary="我可以查看的申请")
@paginate(Pagination)
def application_list(request, filters: Query[ApplicationFilter]):
    qs = visible_applications(request.auth).select_related("agency")
    if filters.status == "open":
        qs = qs.open()
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.q:
        qs = qs.filter(Q(number__icontains=filters.q) | Q(applicant_name__icontains=filters.q)
                       | Q(content__icontains=filters.q))
    if filters.received_from:
        qs = qs.filter(received_date__gte=filters.received_from)
    if filters.received_to:
        qs = qs.filter(received_date__lte=filters.received_to)
    return qs.order_by("-received_date", "-pk")


@router.post("/applications", response=responses(ApplicationOut, 201, 400, 403, 415),
             summary="登记申请（有申请必登记）")
def application_register(request, data: json_body(RegisterIn)):
    fields = data.model_dump()
    agency = Agency.objects.filter(pk=fields.pop("agency"), is_active=True).first()
    if agency is None:
        raise InvalidInput("受理机关：所选项不存在", en="No such agency", field="agency")
    app = actions.register_application(actor=request.auth, agency=agency, data=fields)
    return Status(201, _app(request, app.pk))


@router.get("/applications/{int:application_id}", response=responses(ApplicationOut, 200, 400, 404),
            summary="申请详情（期限及其计算过程、中止期间、答复书、时间线）")
def application_read(request, application_id: PathId):
    return _app(request, application_id)


@router.post("/applications/{int:application_id}/supplement-request", response=responses(ApplicationOut, 200, *ACT),
             summary="告知补正（条例第三十条，一次性，7个工作日内）")
def supplement_request(request, application_id: PathId, data: json_body(SupplementRequestIn)):
    actions.request_supplement(actor=request.auth, application=_app(request, application_id),
                               requested_date=data.requested_date, items=data.items, applicant_due=data.applicant_due)
    return _answer(request, application_id)


@router.post("/applications/{int:application_id}/supplement-receipt", response=responses(ApplicationOut, 200, *ACT),
             summary="收到补正（答复期限自收到补正之日重新起算）")
def supplement_receipt(request, application_id: PathId, data: json_body(SupplementReceiptIn)):
    actions.receive_supplement(actor=request.auth, application=_app(request, application_id),
                               received_date=data.received_date, text=data.text, late_reason=data.late_reason)
    return _answer(request, application_id)


@router.post("/applications/{int:application_id}/close-no-supplement", response=responses(ApplicationOut, 200, *ACT),
             summary="逾期未补正，不再处理（办理结果 六1）")
def close_no_supplement(request, application_id: PathId, data: json_body(LapseIn)):
    actions.close_no_supplement(actor=request.auth, application=_app(request, application_id), on_date=data.on_date)
    return _answer(request, application_id)


@router.post("/applications/{int:application_id}/consultations", response=responses(ApplicationOut, 200, *ACT),
             summary="征求第三方或其他机关意见（期间不计入答复期限）")
def consultation_start(request, application_id: PathId, data: json_body(ConsultationIn)):
    actions.start_consultation(actor=request.auth, application=_app(request, application_id), kind=data.kind,
                               party=data.party, sent_date=data.sent_date, note=data.note)
    return _answer(request, application_id)


@router.post("/applications/{int:application_id}/consultations/{int:pause_id}/end",
             response=responses(ApplicationOut, 200, *ACT), summary="收到意见（期限恢复计算）")
def consultation_end(request, application_id: PathId, pause_id: PathId, data: json_body(ConsultationEndIn)):
    pause = lookups.pause(_app(request, application_id), pause_id)
    actions.end_consultation(actor=request.auth, pause=pause, received_date=data.received_date, opinion=data.opinion)
    return _answer(request, application_id)


@router.post("/applications/{int:application_id}/extension-request", response=responses(ApplicationOut, 200, *ACT),
             summary="申请延期（一次，至多20个工作日）")
def extension_request(request, application_id: PathId, data: json_body(ExtensionIn)):
    actions.request_extension(actor=request.auth, application=_app(request, application_id), days=data.days,
                              reason=data.reason)
    return _answer(request, application_id)


@router.post("/applications/{int:application_id}/extension-decision", response=responses(ApplicationOut, 200, *ACT),
             summary="批准或不批准延期（公开办负责人）")
def extension_decision(request, application_id: PathId, data: json_body(DecisionIn)):
    actions.decide_extension(actor=request.auth, application=_app(request, application_id), approve=data.approve,
                             comment=data.comment)
    return _answer(request, application_id)


@router.get("/applications/{int:application_id}/fee-quote", response=responses(FeeQuote, 200, 400, 404),
            summary="信息处理费试算（按件或按量，超额累进）")
def fee_quote(request, application_id: PathId, query: Query[FeeQuery]):
    if query.method == "per_volume" and query.pages is None:
        raise InvalidInput("按量计收须填写页数", en="pages required", field="pages")
    amount, calc = actions.quote_fee(_app(request, application_id), query.method, query.pages)
    return {"amount": amount, "calc": calc}


@router.post("/applications/{int:application_id}/fee-notice", response=responses(ApplicationOut, 200, *ACT),
             summary="发出收费通知（至缴费前期限中止）")
def fee_notice(request, application_id: PathId, data: json_body(FeeNoticeIn)):
    actions.issue_fee_notice(actor=request.auth, application=_app(request, application_id), method=data.method,
                             notice_date=data.notice_date, pages=data.pages)
    return _answer(request, application_id)


@router.post("/applications/{int:application_id}/fee-payment", response=responses(ApplicationOut, 200, *ACT),
             summary="登记缴费")
def fee_payment(request, application_id: PathId, data: json_body(FeePaymentIn)):
    actions.record_fee_payment(actor=request.auth, application=_app(request, application_id), paid_date=data.paid_date)
    return _answer(request, application_id)


@router.post("/applications/{int:application_id}/close-fee-unpaid", response=responses(ApplicationOut, 200, *ACT),
             summary="逾期未缴费，不再处理（办理结果 六2）")
def close_fee_unpaid(request, application_id: PathId, data: json_body(LapseIn)):
    actions.close_fee_unpaid(actor=request.auth, application=_app(request, application_id), on_date=data.on_date)
    return _answer(request, application_id)


@router.post("/applications/{int:application_id}/replies", response=responses(ApplicationOut, 200, *ACT),
             summary="起草答复书（提交合法性审查）")
def reply_draft(request, application_id: PathId, data: json_body(ReplyIn)):
    actions.draft_reply(actor=request.auth, application=_app(request, application_id), outcome=data.outcome,
                        body=data.body, disclosed_text=data.disclosed_text, withheld=data.withheld,
                        responsible_agency=data.responsible_agency)
    return _answer(request, application_id)


@router.post("/applications/{int:application_id}/legal-review", response=responses(ApplicationOut, 200, *ACT),
             summary="答复书合法性审查（通过或退回）")
def reply_legal_review(request, application_id: PathId, data: json_body(DecisionIn)):
    actions.legal_review(actor=request.auth, application=_app(request, application_id), approve=data.approve,
                         comment=data.comment)
    return _answer(request, application_id)


@router.post("/applications/{int:application_id}/sign-off", response=responses(ApplicationOut, 200, *ACT),
             summary="签发答复书（公开办负责人；通过或退回）")
def reply_sign_off(request, application_id: PathId, data: json_body(DecisionIn)):
    actions.sign_reply(actor=request.auth, application=_app(request, application_id), approve=data.approve,
                       comment=data.comment)
    return _answer(request, application_id)


@router.post("/applications/{int:application_id}/delivery", response=responses(ApplicationOut, 200, *ACT),
             summary="送达并归档（申请办结）")
def reply_delivery(request, application_id: PathId, data: json_body(DeliveryIn)):
    actions.deliver_reply(actor=request.auth, application=_app(request, application_id), method=data.method,
                          delivered_date=data.delivered_date, note=data.note)
    return _answer(request, application_id)


# --- reconsideration and litigation (annual report table 四) -----------------------------------------

@router.get("/appeals", response=responses(list[AppealOut], 200, 400), tags=["复议诉讼"],
            summary="行政复议、行政诉讼案件（审计员、公开办管理员）")
@paginate(Pagination)
def appeal_list(request, filters: Query[AppealFilter]):
    allowed = export_agency_ids(request.auth)
    qs = AppealCase.objects.filter(agency_id__in=allowed).select_related("agency")
    if filters.agency:
        qs = qs.filter(agency_id__in=Agency.descendants_of([filters.agency]) & allowed)
    return qs.order_by("-filed_date", "-pk")


@router.post("/appeals", response=responses(AppealOut, 201, 400, 403, 415), tags=["复议诉讼"],
             summary="登记复议诉讼案件（公开办管理员）")
def appeal_create(request, data: json_body(AppealIn)):
    fields = data.model_dump()
    agency = Agency.objects.filter(pk=fields.pop("agency"), is_active=True).first()
    if agency is None:
        raise InvalidInput("被申请（被告）机关：所选项不存在", en="No such agency", field="agency")
    case = appeals.create_appeal_case(actor=request.auth, agency=agency, data=fields)
    return Status(201, AppealCase.objects.select_related("agency").get(pk=case.pk))


@router.patch("/appeals/{int:appeal_id}", response=responses(AppealOut, 200, *ACT), tags=["复议诉讼"],
              summary="更新案件（如登记结果和审结日期）")
def appeal_update(request, appeal_id: PathId, data: json_body(AppealUpdateIn)):
    case = appeals.update_appeal_case(actor=request.auth, case=lookups.appeal(request.auth, appeal_id),
                                      data=data.model_dump(exclude_unset=True))
    return AppealCase.objects.select_related("agency").get(pk=case.pk)
