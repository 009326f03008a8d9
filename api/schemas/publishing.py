"""Publication and what follows it: publish, withdraw, validity, cleanup tasks and campaigns."""
from datetime import date, datetime
from typing import Any, Literal

from django.db.models import Count, Q
from ninja import Field, Schema

from publishing.models import CleanupCampaign, CleanupTask
from workflow.models import InfoType, Validity

from ..fields import MAX_TEXT, Day, Id, Moment, bounded_text
from .common import AgencyOut, In, UserOut
from .items import ItemFieldsIn, ItemSummary


class PublishIn(In):
    at: Moment | None = Field(None, title="定时发布时间",
                              description="留空立即发布；将来的时间为定时发布（无时区时按 Asia/Shanghai）")


class WithdrawIn(In):
    reason: bounded_text(MAX_TEXT) = Field(..., title="撤回理由", description="撤回已发布的信息，或取消定时发布")


class AmendIn(In):
    amended_by: Id = Field(..., title="修改文件", description="修改该文件的、已发布在线的信息 id")
    comment: bounded_text(MAX_TEXT) = Field("", title="说明")


class BasisIn(In):
    comment: bounded_text(MAX_TEXT) = Field(..., title="依据或说明")


class KeepIn(In):
    next_review_date: Day = Field(..., title="下次复核日期")
    comment: bounded_text(MAX_TEXT) = Field("", title="说明")


class CleanupUpdateIn(In):
    data: ItemFieldsIn = Field(..., title="修改内容", description="更新后的字段；生成新版本并须重新审核")
    remove_attachments: list[bounded_text(200, 1)] = Field([], title="删除附件", max_length=50)
    note: bounded_text(MAX_TEXT) = Field("", title="修改说明")


class InvalidIn(In):
    validity: Literal[Validity.EXPIRED.value, Validity.REPEALED.value] = Field(..., title="效力")
    comment: bounded_text(MAX_TEXT) = Field(..., title="依据或说明")


class CleanupFilter(Schema):
    status: Literal[tuple(CleanupTask.Status.values)] | None = Field(None, title="状态")


class CleanupTaskOut(Schema):
    id: int
    item: ItemSummary
    campaign: int | None
    due_date: date
    status: Literal[tuple(CleanupTask.Status.values)]
    privacy_flag: bool = Field(..., description="以今天的规则复查已发布版本，疑似含个人隐私")
    privacy_findings: list[dict[str, Any]]
    decision: Literal[tuple(CleanupTask.Decision.values) + ("",)]
    comment: str
    decided_by: UserOut | None
    decided_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_campaign(obj):
        return obj.campaign_id


class CampaignIn(In):
    name: bounded_text(200, 1) = Field(..., title="名称")
    agency: Id = Field(..., title="范围机构", description="本机构及其下级机构")
    topic: Id | None = Field(None, title="主题分类")
    info_type: Literal[tuple(InfoType.values) + ("",)] = Field("", title="信息类型")
    published_before: Day | None = Field(None, title="发布日期早于")


class Progress(Schema):
    total: int
    open: int
    kept: int
    updated: int
    withdrawn: int
    invalid: int
    closed: int
    flagged: int = Field(..., description="待处理且疑似含个人隐私")


class CampaignOut(Schema):
    id: int
    name: str
    agency: AgencyOut
    filters: dict[str, Any]
    status: Literal[tuple(CleanupCampaign.Status.values)]
    started_by: UserOut
    started_at: datetime
    completed_at: datetime | None
    progress: Progress

    @staticmethod
    def resolve_progress(obj):
        decided = {d: Count("pk", filter=Q(decision=d)) for d in CleanupTask.Decision.values}
        counts = obj.tasks.aggregate(
            total=Count("pk"), open=Count("pk", filter=Q(status=CleanupTask.Status.OPEN)),
            closed=Count("pk", filter=Q(status=CleanupTask.Status.CLOSED)),
            flagged=Count("pk", filter=Q(privacy_flag=True, status=CleanupTask.Status.OPEN)), **decided)
        return {"total": counts["total"], "open": counts["open"], "kept": counts["keep"],
                "updated": counts["update"], "withdrawn": counts["withdraw"], "invalid": counts["invalid"],
                "closed": counts["closed"], "flagged": counts["flagged"]}


class CampaignDetail(CampaignOut):
    tasks: list[CleanupTaskOut]

    @staticmethod
    def resolve_tasks(obj):
        return list(obj.tasks.select_related("item__agency", "item__drafter", "item__current_revision", "decided_by")
                    .order_by("status", "-privacy_flag", "pk"))
