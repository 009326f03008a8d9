"""Items (政府信息), their revisions, attachments and review rounds."""
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from ninja import Field, Schema
from pydantic import BeforeValidator, create_model
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflow.actions import EDITABLE_FIELDS
from workflow.actions.prescan import scan_findings
from workflow.models import (
    CodeListField,
    Information,
    InfoType,
    ItemStatus,
    ReviewRound,
    Revision,
    StepDecision,
    Validity,
)
from workflow.models.review import Step
from workflow.permissions import OPEN_STATUSES

from ..fields import MAX_BODY, MAX_TEXT, Count, Day, Flag, Hash, Id, bounded_text, decimal
from .common import AgencyOut, In, UserOut

StepCode = Literal[tuple(Step.values)]
TaskStep = Literal[tuple(Step.values) + ("publish",)]
ItemStatusCode = Literal[tuple(ItemStatus.values)]
InfoTypeCode = Literal[tuple(InfoType.values)]
TaskStatus = Literal[tuple(str(s) for s in STATUS)]


def step_label(step) -> str:
    if step == "publish":
        return "发布"
    return str(Step(step).label) if step in Step.values else (step or "")


# --- input: the editable catalogue fields, read from the model (one source of truth) ---------------------

def _limits(field):
    """The model field's MinValueValidator/MaxValueValidator limits (the domain range of core.bounds)."""
    low = next((v.limit_value for v in field.validators if isinstance(v, MinValueValidator)), None)
    high = next((v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)), None)
    return low, high


def _field_type(field):
    low, high = _limits(field)
    if isinstance(field, models.ForeignKey):
        kind = Id
    elif isinstance(field, models.BooleanField):
        kind = Flag
    elif isinstance(field, models.DateField):
        kind = Day  # 1949-2100, as the model's validators
    elif isinstance(field, models.DecimalField):
        kind = decimal(field.max_digits, field.decimal_places, high)
    elif isinstance(field, models.PositiveIntegerField):
        kind = Annotated[Count, Field(ge=low, le=high)] if low is not None and high is not None else Count
    elif isinstance(field, CodeListField):
        kind = Annotated[list[Literal[tuple(code for code, _label in field.item_choices)]],
                         Field(max_length=len(field.item_choices))]
    elif field.choices:
        values = [v for v, _ in field.flatchoices]
        kind = Literal[tuple(values + ([""] if field.blank and "" not in values else []))]
    else:
        kind = bounded_text(field.max_length or MAX_BODY, 0 if field.blank else 1)
    return kind | None if field.null else kind


def _item_fields(required=()):
    fields = {}
    for name in EDITABLE_FIELDS:
        field = Information._meta.get_field(name)
        default = ... if name in required else None
        fields[name] = (_field_type(field), Field(default, title=str(field.verbose_name)))
    return fields


ItemFieldsIn = create_model("ItemFieldsIn", __base__=In, __doc__="信息的可编辑字段（只提交要修改的）",
                            **_item_fields())

ItemCreateIn = create_model(
    "ItemCreateIn", __base__=In, __doc__="起草信息：发布机构和名称必填，其余可选（生成日期默认今天）",
    agency=(Id, Field(..., title="发布机构", description="机构 id，见 GET /agencies")),
    **_item_fields(required=("title",)),
)

ItemUpdateIn = create_model(
    "ItemUpdateIn", __base__=ItemFieldsIn, __doc__="修改信息（生成新版本）；只需提交要修改的字段",
    remove_attachments=(list[bounded_text(200, 1)] | None,
                        Field(None, title="删除附件", max_length=50, description="从当前版本删除的附件文件名")),
    note=(bounded_text(MAX_TEXT) | None, Field(None, title="修改说明")),
    expected_hash=(Hash | None, Field(
        None, title="版本哈希", description="您修改所依据的版本哈希；若该信息已被他人修改则返回 409 stale_revision")),
)


# --- output ------------------------------------------------------------------------------------------

class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    sha256: str
    content_type: str
    revision: int = Field(..., description="所属版本号")
    download_url: str

    @staticmethod
    def resolve_size(obj):
        return obj.blob.size

    @staticmethod
    def resolve_sha256(obj):
        return obj.blob.sha256

    @staticmethod
    def resolve_content_type(obj):
        return obj.blob.content_type

    @staticmethod
    def resolve_revision(obj):
        return obj.revision.number

    @staticmethod
    def resolve_download_url(obj):
        return f"/api/v1/items/{obj.revision.item_id}/attachments/{obj.pk}"


class AttachmentList(Schema):
    results: list[AttachmentOut]


class RevisionBrief(Schema):
    number: int
    kind: Literal[tuple(Revision.Kind.values)]
    content_hash: str
    note: str
    created_at: datetime
    created_by: UserOut
    privacy_findings: int = Field(..., description="保密预检发现的疑似问题数")

    @staticmethod
    def resolve_privacy_findings(obj):
        return len(scan_findings(obj))


class DecisionOut(Schema):
    id: int
    step: StepCode
    step_label: str
    decision: Literal[tuple(StepDecision.Decision.values)]
    actor: UserOut
    revision_hash: str
    comment: str
    details: dict[str, Any]
    voided: bool
    voided_reason: str
    created_at: datetime

    @staticmethod
    def resolve_step_label(obj):
        return step_label(obj.step)


class StepOut(Schema):
    step: StepCode
    label: str


class RoundOut(Schema):
    number: int
    status: Literal[tuple(ReviewRound.Status.values)]
    policy_name: str
    steps: list[StepOut]
    position: int
    current_step: StepCode | None
    submitted_revision_hash: str
    submitted_by: UserOut
    started_at: datetime
    finished_at: datetime | None
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_steps(obj):
        return [{"step": s, "label": step_label(s)} for s in obj.steps]

    @staticmethod
    def resolve_submitted_revision_hash(obj):
        return obj.submitted_revision.content_hash

    @staticmethod
    def resolve_decisions(obj):
        return list(obj.decisions.select_related("actor").order_by("pk"))


class TaskBrief(Schema):
    id: int
    step: TaskStep = Field(..., description="步骤代码；发布任务为 publish")
    step_label: str
    status: TaskStatus
    owner: UserOut | None
    created: datetime

    @staticmethod
    def resolve_step(obj):
        return obj.data.get("step", "")

    @staticmethod
    def resolve_step_label(obj):
        return step_label(obj.data.get("step"))

    @staticmethod
    def resolve_status(obj):
        return str(obj.status)


class ItemSummary(Schema):
    id: int
    title: str
    doc_number: str
    info_type: InfoTypeCode
    agency: AgencyOut
    drafter: UserOut
    status: ItemStatusCode
    status_label: str
    online: bool
    index_number: str | None
    current_revision_hash: str | None
    updated_at: datetime

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_current_revision_hash(obj):
        return obj.current_revision.content_hash if obj.current_revision_id else None


class ItemOut(ItemSummary):
    topic: int | None = Field(..., description="主题分类 id")
    facet: int | None = Field(..., description="组配分类 id")
    created_date: date
    summary: str
    body: str
    carrier: str
    channel: str
    disclosure_mode: str
    scope: str
    scope_audience: str
    display_days: int | None
    fee_amount: Decimal | None
    needs_interpretation: bool
    interprets: int | None = Field(..., description="所解读的政策文件 id")
    validity: Literal[tuple(Validity.values) + ("",)]
    publish_at: datetime | None
    published_at: datetime | None
    display_until: datetime | None
    offline_reason: str
    current_revision: RevisionBrief | None
    published_revision_hash: str | None
    attachments: list[AttachmentOut]
    review: RoundOut | None = Field(..., description="最近一轮审核；未提交过则为 null")
    open_tasks: list[TaskBrief]

    @staticmethod
    def resolve_topic(obj):
        return obj.topic_id

    @staticmethod
    def resolve_facet(obj):
        return obj.facet_id

    @staticmethod
    def resolve_interprets(obj):
        return obj.interprets_id

    @staticmethod
    def resolve_published_revision_hash(obj):
        return obj.published_revision.content_hash if obj.published_revision_id else None

    @staticmethod
    def resolve_attachments(obj):
        if obj.current_revision_id is None:
            return []
        return list(obj.current_revision.attachments.select_related("blob", "revision"))

    @staticmethod
    def resolve_review(obj):
        return (ReviewRound.objects.filter(item=obj).select_related("submitted_revision", "submitted_by")
                .order_by("-number").first())

    @staticmethod
    def resolve_open_tasks(obj):
        return list(Task.objects.filter(process__review_round__item=obj, status__in=OPEN_STATUSES)
                    .select_related("owner").order_by("pk"))


class AuditRecordOut(Schema):
    seq: int
    created_at: datetime
    action: str = Field(..., description="如 workflow.review.approve")
    actor: int | None
    actor_name: str
    role: str
    agency: int | None
    item: int | None
    subject_type: str
    subject_id: str
    revision_hash: str
    from_state: str
    to_state: str
    comment: str
    data: dict[str, Any]
    hash: str
    prev_hash: str

    @staticmethod
    def resolve_actor(obj):
        return obj.actor_id

    @staticmethod
    def resolve_agency(obj):
        return obj.agency_id

    @staticmethod
    def resolve_item(obj):
        return obj.item_id


class AuditList(Schema):
    count: int
    results: list[AuditRecordOut]


# --- revisions, diffs, findings, policy -------------------------------------------------------------

class RevisionOut(RevisionBrief):
    body: str
    metadata: dict[str, Any] = Field(..., description="随信息公开的元数据（计入版本哈希）")
    parent_number: int | None
    attachments: list[AttachmentOut]
    decisions: list[DecisionOut] = Field(..., description="在此版本上作出的审核意见")

    @staticmethod
    def resolve_parent_number(obj):
        return obj.parent.number if obj.parent_id else None

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.select_related("blob", "revision"))

    @staticmethod
    def resolve_decisions(obj):
        return list(StepDecision.objects.filter(revision=obj).select_related("actor").order_by("pk"))


class FieldChange(Schema):
    field: str
    label: Annotated[str, BeforeValidator(str)]
    old: Any
    new: Any


class AttachmentChange(Schema):
    name: str
    change: Literal["新增", "删除", "替换"]


class TextDiff(Schema):
    html: str = Field(..., description="按段落标记的差异，<ins> 为新增，<del> 为删除")
    changed: bool
    inserted: int = Field(..., description="新增字数")
    deleted: int = Field(..., description="删除字数")


class DiffOut(Schema):
    base: int | None = Field(..., description="比较基准的版本号；null 表示与空白比较")
    target: int
    text: TextDiff
    metadata: list[FieldChange]
    attachments: list[AttachmentChange]


class FindingsOut(Schema):
    revision: int
    content_hash: str
    blocking: bool = Field(..., description="有发现时保密审查须先脱敏或填写依法公开的依据")
    scanned_at: str | None
    findings: list[dict[str, Any]]


class PolicyOut(Schema):
    name: str
    steps: list[StepOut]
    allow_same_reviewer: bool
    allow_same_proofreader: bool = Field(False, description="同一人可承担多次校对（默认三校须三人）")
    allow_proofreader_review: bool = Field(False, description="校对人可审核其校对修改过的文本")
