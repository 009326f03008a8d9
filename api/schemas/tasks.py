"""Review and publish tasks, and the decisions taken on them."""
from typing import Literal

from ninja import Field, Schema

from workflow.models import DisclosureMode, ReviewRound, Scope, SecrecyResult, WithholdGround
from workflow.permissions import OPEN_STATUSES

from ..fields import MAX_TEXT, Hash, Id, bounded_text
from .common import In
from .items import DecisionOut, DiffOut, ItemFieldsIn, ItemSummary, RevisionBrief, RevisionOut, StepCode, TaskBrief


def round_of(task):
    """The review round (with its item) a task belongs to, fetched once per task object."""
    cached = task.__dict__.get("_api_round")
    if cached is None:
        cached = ReviewRound.objects.select_related("item__agency", "item__drafter", "item__current_revision",
                                                    "item__current_revision__created_by").get(
            process_id=task.process_id)
        task.__dict__["_api_round"] = cached
    return cached


class TaskOut(TaskBrief):
    is_open: bool
    claimable: bool
    round: int = Field(..., description="审核轮次")
    current_step: StepCode | None = Field(..., description="本轮当前步骤")
    item: ItemSummary
    current_revision: RevisionBrief | None

    @staticmethod
    def resolve_is_open(obj):
        return obj.status in OPEN_STATUSES

    @staticmethod
    def resolve_claimable(obj):
        return str(obj.status) == "NEW" and obj.owner_id is None

    @staticmethod
    def resolve_round(obj):
        return round_of(obj).number

    @staticmethod
    def resolve_current_step(obj):
        return round_of(obj).current_step

    @staticmethod
    def resolve_item(obj):
        return round_of(obj).item

    @staticmethod
    def resolve_current_revision(obj):
        return round_of(obj).item.current_revision


class TaskResult(Schema):
    task: TaskOut
    item: ItemSummary
    decision: DecisionOut | None = Field(..., description="本次操作记录的审核意见（查看与认领时为 null）")
    revision: RevisionOut | None = Field(..., description="待审的当前版本（含正文）")
    diff: DiffOut | None = Field(..., description="当前版本与此前最近一次送审或发布的版本之间的差异")


def text(title, max_length=MAX_TEXT, default=""):
    return Field(default, title=title, max_length=max_length)


class SecrecyIn(In):
    """The secrecy reviewer's decision (保密审查步骤)."""

    result: Literal[tuple(SecrecyResult.values)] = Field(
        SecrecyResult.DISCLOSABLE.value, title="保密审查结论",
        description="；".join(f"{v}={label}" for v, label in SecrecyResult.choices))
    ground: Literal[tuple(WithholdGround.values)] | None = Field(
        None, title="不予公开理由", description="；".join(f"{v}={label}" for v, label in WithholdGround.choices))
    override_ground: bounded_text(2000) = Field("", title="依法公开的依据",
                                                description="预检有发现而仍须公开时必填（如经权利人同意、公共利益需要）")
    disclosure_mode: Literal[tuple(DisclosureMode.values)] | None = Field(None, title="公开方式")
    scope: Literal[tuple(Scope.values)] | None = Field(None, title="公开范围")


class ApproveIn(In):
    expected_hash: Hash = Field(..., title="版本哈希",
                                description="您审阅的版本的内容哈希（任务详情 revision.content_hash）")
    comment: bounded_text(MAX_TEXT) = Field("", title="审核意见")
    secrecy: SecrecyIn | None = Field(None, title="保密审查结论", description="仅保密审查步骤使用")


class ProofreadIn(In):
    data: ItemFieldsIn = Field(..., title="校对修改")
    expected_hash: Hash = Field(..., title="版本哈希")
    comment: bounded_text(MAX_TEXT) = Field("", title="校对意见")


class RejectIn(In):
    reason: bounded_text(MAX_TEXT) = Field(..., title="退回理由")


class ReturnIn(In):
    to_step: StepCode = Field(..., title="退回到的步骤")
    reason: bounded_text(MAX_TEXT) = Field(..., title="退回理由")


class ReassignIn(In):
    to_user: Id = Field(..., title="转交给", description="用户 id（须具备该步骤的角色）")
    reason: bounded_text(MAX_TEXT) = Field("", title="转交说明")


class MaskIn(In):
    expected_hash: Hash | None = Field(None, title="版本哈希")
    comment: bounded_text(500) = Field("", title="脱敏说明")


class BatchTaskIn(In):
    task_id: Id = Field(..., title="任务 id")
    expected_hash: Hash = Field(..., title="版本哈希", description="您审阅的该任务版本的内容哈希")


class BatchApproveIn(In):
    tasks: list[BatchTaskIn] = Field(..., min_length=1, max_length=50, title="任务",
                                     description="同一审核步骤的 1 至 50 项任务（保密审查不可批量）")
    comment: bounded_text(MAX_TEXT) = Field("", title="审核意见")


class BatchOutcomeOut(Schema):
    task_id: int
    ok: bool
    code: str = Field(..., description="ok，或该项失败的错误代码（stale_revision、task_taken、not_found……）")
    message: str


class BatchApproveOut(Schema):
    approved: int
    failed: int
    outcomes: list[BatchOutcomeOut]
