"""Disclosure on request (依申请公开): applications, the reply clock, replies and their review, fees;
reconsideration and litigation cases."""
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from audit.models import AuditRecord
from disclosure.codes import ApplicantType, Outcome
from disclosure.models import AppealCase, AppStatus, Channel, ExtensionStatus, FeeMethod, Pause, Reply

from ..fields import MAX_TEXT, Day, Id, bounded_text
from .common import AgencyOut, In, UserOut
from .items import AuditRecordOut

TEXT = MAX_TEXT
Status = Literal[tuple(AppStatus.values)]


class RegisterIn(In):
    agency: Id = Field(..., title="受理机关")
    applicant_type: Literal[tuple(ApplicantType.values)] = Field(..., title="申请人类型")
    applicant_name: bounded_text(120, 1) = Field(..., title="申请人")
    applicant_id_number: bounded_text(40) = Field("", title="证件号码/统一社会信用代码")
    applicant_contact: bounded_text(200) = Field("", title="联系方式")
    applicant_address: bounded_text(300) = Field("", title="通讯地址")
    channel: Literal[tuple(Channel.values)] = Field(..., title="申请渠道")
    received_date: Day = Field(..., title="收到申请日期",
                               description="条例第三十一条：当面提交为提交之日；邮寄为签收之日；网上或传真为双方确认之日")
    content: bounded_text(TEXT, 1) = Field(..., title="申请内容")
    purpose: bounded_text(TEXT) = Field("", title="申请用途")
    item_count: int = Field(1, ge=1, le=10_000, strict=True, title="件数")


class SupplementRequestIn(In):
    requested_date: Day = Field(..., title="补正通知日期")
    items: bounded_text(TEXT) = Field(..., title="需要补正的事项")
    applicant_due: Day = Field(..., title="补正期限")


class SupplementReceiptIn(In):
    received_date: Day = Field(..., title="收到补正日期")
    text: bounded_text(TEXT) = Field("", title="补正内容")
    late_reason: bounded_text(TEXT) = Field("", title="逾期补正的正当理由")


class LapseIn(In):
    on_date: Day | None = Field(None, title="办结日期", description="默认今天；须晚于期限届满日")


class ConsultationIn(In):
    kind: Literal[Pause.Kind.THIRD_PARTY.value, Pause.Kind.OTHER_AGENCY.value] = Field(..., title="类型")
    party: bounded_text(200) = Field(..., title="征求意见对象")
    sent_date: Day = Field(..., title="发出征求意见日期")
    note: bounded_text(TEXT) = Field("", title="说明")


class ConsultationEndIn(In):
    received_date: Day = Field(..., title="收到意见日期")
    opinion: bounded_text(TEXT) = Field("", title="意见")


class ExtensionIn(In):
    days: int = Field(..., ge=1, le=365, strict=True, title="延长工作日数")
    reason: bounded_text(TEXT) = Field(..., title="延期理由")


class DecisionIn(In):
    approve: bool = Field(..., strict=True, title="同意", description="true 同意；false 不同意（退回）须填写意见")
    comment: bounded_text(TEXT) = Field("", title="意见")


class FeeQuery(Schema):
    method: Literal[FeeMethod.PER_ITEM.value, FeeMethod.PER_VOLUME.value] = Field(..., title="收费方式")
    pages: int | None = Field(None, ge=1, le=1_000_000, title="页数（按量计收）")


class FeeNoticeIn(In):
    method: Literal[FeeMethod.PER_ITEM.value, FeeMethod.PER_VOLUME.value] = Field(..., title="收费方式")
    notice_date: Day = Field(..., title="收费通知日期")
    pages: int | None = Field(None, ge=1, le=1_000_000, strict=True, title="页数（按量计收）")


class FeePaymentIn(In):
    paid_date: Day = Field(..., title="缴费日期")


class ReplyIn(In):
    outcome: Literal[tuple(Outcome.values)] = Field(..., title="办理结果")
    body: bounded_text(20_000) = Field("", title="答复书正文",
                                       description="不填则按本机关该办理结果的文书模板生成（含法律依据和救济途径）")
    withheld: bounded_text(2000) = Field("", title="不予公开的部分及理由", description="部分公开时必填")
    responsible_agency: bounded_text(300) = Field("", title="负责公开该信息的机关及联系方式")
    disclosed_text: bounded_text(TEXT) = Field("", title="提供的信息内容",
                                               description="部分公开时必填；系统自动遮盖个人信息等不应公开的部分")


class DeliveryIn(In):
    method: Literal[tuple(Reply.DeliveryMethod.values)] = Field(..., title="送达方式")
    delivered_date: Day = Field(..., title="送达日期")
    note: bounded_text(300) = Field("", title="送达记录")


class ApplicationFilter(Schema):
    status: Literal[tuple(AppStatus.values) + ("open",)] | None = Field(None, title="状态")
    q: bounded_text(100) | None = Field(None, title="搜索", description="登记号、申请人或申请内容包含的文字")
    received_from: Day | None = Field(None, title="收到日期起")
    received_to: Day | None = Field(None, title="收到日期止")


class ApplicationSummary(Schema):
    id: int
    number: str
    agency: AgencyOut
    applicant_type: str
    applicant_name: str
    channel: str
    received_date: date
    status: Status
    status_label: str
    outcome: str
    due_date: date | None
    due_provisional: bool
    replied_date: date | None

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()


class PauseOut(Schema):
    id: int
    kind: str
    party: str
    started: date
    limit_days: int
    limit_date: date
    ended: date | None
    note: str
    opinion: str


class ReplyOut(Schema):
    id: int
    version: int
    outcome: str
    body: str
    disclosed_text: str
    disclosed_text_masked: str
    mask_count: int
    status: Literal[tuple(Reply.Status.values)]
    drafted_by: UserOut
    drafted_at: datetime
    legal_by: UserOut | None
    legal_at: datetime | None
    legal_comment: str
    signed_by: UserOut | None
    signed_at: datetime | None
    sign_comment: str
    delivery_method: str
    delivered_date: date | None
    delivery_note: str
    archive_number: str


class ApplicationOut(ApplicationSummary):
    applicant_id_number: str
    applicant_contact: str
    applicant_address: str
    content: str
    purpose: str
    item_count: int
    registered_by: UserOut
    registered_at: datetime
    reply_working_days: int
    clock_start: date
    deadline_calc: dict[str, Any] = Field(..., description="答复期限的计算过程（起算日、节假日、中止期间）")
    supplement_due_date: date | None
    supplement_requested_date: date | None
    supplement_request: str
    supplement_applicant_due: date | None
    supplement_received_date: date | None
    supplement_text: str
    extension_status: Literal[tuple(ExtensionStatus.values)]
    extension_days_requested: int
    extension_days: int
    extension_reason: str
    extension_decided_date: date | None
    fee_method: str
    fee_units: int
    fee_amount: Decimal
    fee_calc: dict[str, Any]
    fee_notice_date: date | None
    fee_due_date: date | None
    fee_paid_date: date | None
    delivery_form: str
    delivery_way: str
    excessive_decision: str
    excessive_reason: str
    excessive_marked_date: date | None
    excessive_explanation: str
    excessive_explained_date: date | None
    excessive_later_date: date | None
    imported: bool
    pauses: list[PauseOut]
    replies: list[ReplyOut]
    letters: list["LetterOut"]
    timeline: list[AuditRecordOut]

    @staticmethod
    def resolve_letters(obj):
        return list(obj.letters.order_by("pk"))

    @staticmethod
    def resolve_pauses(obj):
        return list(obj.pauses.order_by("started", "pk"))

    @staticmethod
    def resolve_replies(obj):
        return list(obj.replies.select_related("drafted_by", "legal_by", "signed_by").order_by("version"))

    @staticmethod
    def resolve_timeline(obj):
        return list(AuditRecord.objects.filter(subject_type="disclosure.application", subject_id=str(obj.pk))
                    .order_by("seq"))


class LetterOut(Schema):
    id: int
    kind: str
    key: str
    title: str
    basis: str
    body: str
    doc_number: str = Field(..., description="文号（答复书签发时、告知书发出时编号）")
    issued_date: date | None
    reply_id: int | None
    has_pdf: bool
    pdf_sha256: str

    @staticmethod
    def resolve_has_pdf(obj):
        return bool(obj.pdf)


ApplicationOut.model_rebuild()


class FeeQuote(Schema):
    amount: Decimal = Field(..., description="金额（元）")
    calc: dict[str, Any] = Field(..., description="超额累进的计算过程")


class AppealIn(In):
    agency: Id = Field(..., title="被申请（被告）机关")
    kind: Literal[tuple(AppealCase.Kind.values)] = Field(..., title="案件类型")
    case_number: bounded_text(100) = Field("", title="案号")
    applicant: bounded_text(200) = Field("", title="申请人（原告）")
    summary: bounded_text(TEXT) = Field("", title="案由")
    filed_date: Day = Field(..., title="受理（立案）日期")
    result: Literal[tuple(AppealCase.Result.values)] = Field(AppealCase.Result.PENDING.value, title="结果")
    closed_date: Day | None = Field(None, title="审结日期")
    application_id: Id | None = Field(None, title="关联申请编号")


class AppealUpdateIn(In):
    kind: Literal[tuple(AppealCase.Kind.values)] = Field(None, title="案件类型")
    case_number: bounded_text(100) = Field(None, title="案号")
    applicant: bounded_text(200) = Field(None, title="申请人（原告）")
    summary: bounded_text(TEXT) = Field(None, title="案由")
    filed_date: Day = Field(None, title="受理（立案）日期")
    result: Literal[tuple(AppealCase.Result.values)] = Field(None, title="结果")
    closed_date: Day | None = Field(None, title="审结日期")
    application_id: Id | None = Field(None, title="关联申请编号")


class AppealOut(Schema):
    id: int
    agency: AgencyOut
    kind: str
    case_number: str
    applicant: str
    summary: str
    filed_date: date
    result: str
    closed_date: date | None
    application_id: int | None
    created_at: datetime
    updated_at: datetime


class AppealFilter(Schema):
    agency: int | None = Field(None, ge=1, le=2**31 - 1, title="机构（含下级机构）")
