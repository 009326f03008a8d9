"""Online applications (在线申请), the public status query, Art. 35, letters and their templates, ledger import."""
from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from disclosure.codes import ApplicantType
from disclosure.letters import DEFAULTS
from disclosure.models import DeliveryForm, DeliveryWay, ImportBatch, OnlineApplication

from ..fields import Day, Id, bounded_text
from .common import AgencyOut, In


class OnlineSummary(Schema):
    id: int
    number: str
    agency: AgencyOut
    applicant_type: str
    applicant_name: str
    submitted_at: datetime
    status: Literal[tuple(OnlineApplication.Status.values)]
    application_id: int | None
    confirmed_date: date | None


class OnlineOut(OnlineSummary):
    """With the identity data: for the agency's request handlers only."""

    id_type: str
    id_number: str
    legal_representative: str
    contact_person: str
    phone: str
    email: str
    address: str
    postcode: str
    content: str
    purpose: str
    delivery_form: str
    delivery_way: str
    id_document_name: str


class ConfirmIn(In):
    received_date: Day | None = Field(None, title="确认收到日期",
                                      description="默认今天；条例第三十一条，答复期限自此起算")


class ExcessiveIn(In):
    reason: bounded_text(2000, 1) = Field(..., title="认定申请数量、频次明显超过合理范围的理由")
    asked_date: Day = Field(..., title="要求说明理由日期")
    explanation_due: Day = Field(..., title="说明理由期限")


class ExcessiveDecisionIn(In):
    reasonable: bool = Field(..., strict=True, title="理由合理",
                             description="true：确定延迟答复期限（later_date 必填）；false：不予处理")
    decided_date: Day = Field(..., title="处理日期")
    explanation: bounded_text(5000) = Field("", title="申请人说明的理由")
    later_date: Day | None = Field(None, title="确定的延迟答复期限")


class TemplateIn(In):
    agency: Id = Field(..., title="机关")
    key: Literal[tuple(str(k) for k in DEFAULTS)] = Field(..., title="文书类型")
    title: bounded_text(100, 1) = Field(..., title="标题")
    basis: bounded_text(300, 1) = Field(..., title="法律依据")
    body: bounded_text(10_000, 1) = Field(..., title="正文模板")
    number_prefix: bounded_text(40) = Field("", title="文号前缀")


class TemplateOut(Schema):
    agency: int
    key: str
    title: str
    basis: str
    body: str
    number_prefix: str
    own: bool = Field(..., description="true：本机关模板；false：系统默认")


class ImportOut(Schema):
    id: int
    kind: Literal[tuple(ImportBatch.Kind.values)]
    file_name: str
    sha256: str
    rows: int
    imported_at: datetime


class PublicApplicationOut(Schema):
    number: str = Field(..., description="申请编号")
    code: str = Field(..., description="查询码（只返回这一次，系统只保存其摘要）")
    agency: str
    submitted_at: datetime


class QueryIn(In):
    number: bounded_text(30, 1) = Field(..., title="申请编号")
    code: bounded_text(40, 1) = Field(..., title="查询码")


class PublicLetterIn(QueryIn):
    format: Literal["pdf", "docx"] = Field("pdf", title="格式")


class PublicLetterOut(Schema):
    id: int
    title: str
    doc_number: str
    issued_date: date | None


class PublicStatusOut(Schema):
    number: str
    agency: str
    submitted: datetime
    stage: str
    register_number: str = ""
    received: date | None
    due: date | None
    clock: str
    outcome: str = ""
    replied: date | None = None
    todo: list[str]
    letters: list[PublicLetterOut]


APPLICANT_TYPES = Literal[tuple(ApplicantType.values)]
ID_TYPES = Literal[tuple(OnlineApplication.IdType.values)]
FORMS = Literal[tuple(DeliveryForm.values)]
WAYS = Literal[tuple(DeliveryWay.values)]
