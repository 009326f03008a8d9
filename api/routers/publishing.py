"""Publishing and after: publish (now or scheduled), withdraw (also cancels a schedule), validity of
normative documents, cleanup tasks and their decisions, cleanup campaigns (谁公开、谁清理)."""
from django.db.models import Q
from ninja import Query, Router, Status
from ninja.pagination import paginate

from core.errors import InvalidInput
from core.models import Agency
from publishing import actions
from publishing.permissions import campaigns_for, cleanup_tasks_for
from workflow import permissions
from workflow.models import Category, Information

from .. import lookups
from ..fields import PathId, json_body
from ..schemas.common import Pagination, responses
from ..schemas.items import ItemOut
from ..schemas.publishing import (
    AmendIn,
    BasisIn,
    CampaignDetail,
    CampaignIn,
    CampaignOut,
    CleanupFilter,
    CleanupTaskOut,
    CleanupUpdateIn,
    InvalidIn,
    KeepIn,
    PublishIn,
    WithdrawIn,
)

router = Router(tags=["发布"])
ACT = (400, 403, 404, 409, 415)


def item_answer(request, item_id):
    return lookups.item(request.auth, item_id)


@router.post("/items/{int:item_id}/publish", response=responses(ItemOut, 200, *ACT), summary="发布（立即或定时）")
def item_publish(request, item_id: PathId, data: json_body(PublishIn)):
    actions.publish_item(actor=request.auth, item=lookups.item(request.auth, item_id), at=data.at)
    return item_answer(request, item_id)


@router.post("/items/{int:item_id}/withdraw", response=responses(ItemOut, 200, *ACT),
             summary="撤回（下线）或取消定时发布")
def item_withdraw(request, item_id: PathId, data: json_body(WithdrawIn)):
    actions.withdraw_item(actor=request.auth, item=lookups.item(request.auth, item_id), reason=data.reason)
    return item_answer(request, item_id)


@router.post("/items/{int:item_id}/validity/amend", response=responses(ItemOut, 200, *ACT), tags=["效力"],
             summary="标注已修改（关联修改它的文件）")
def item_amend(request, item_id: PathId, data: json_body(AmendIn)):
    # The amending document: one the user may see, or one published to everyone; anything else is "not there".
    amending = Information.objects.filter(Q(pk__in=permissions.visible_items(request.auth).values("pk"))
                                          | Q(online=True, scope="public"), pk=data.amended_by).first()
    if amending is None:
        raise InvalidInput("修改文件：所选项不存在", en="No such document", field="amended_by")
    actions.mark_amended(actor=request.auth, item=lookups.item(request.auth, item_id), amended_by=amending,
                         comment=data.comment)
    return item_answer(request, item_id)


@router.post("/items/{int:item_id}/validity/expire", response=responses(ItemOut, 200, *ACT), tags=["效力"],
             summary="标注失效")
def item_expire(request, item_id: PathId, data: json_body(BasisIn)):
    actions.mark_expired(actor=request.auth, item=lookups.item(request.auth, item_id), comment=data.comment)
    return item_answer(request, item_id)


@router.post("/items/{int:item_id}/validity/repeal", response=responses(ItemOut, 200, *ACT), tags=["效力"],
             summary="标注废止")
def item_repeal(request, item_id: PathId, data: json_body(BasisIn)):
    actions.mark_repealed(actor=request.auth, item=lookups.item(request.auth, item_id), comment=data.comment)
    return item_answer(request, item_id)


# --- cleanup ------------------------------------------------------------------------------------------

def _cleanup(qs):
    return qs.select_related("item__agency", "item__drafter", "item__current_revision", "decided_by")


@router.get("/cleanup-tasks", response=responses(list[CleanupTaskOut], 200, 400), tags=["定期清理"],
            summary="我可以处理的清理任务（发布人：谁公开、谁清理）")
@paginate(Pagination)
def cleanup_list(request, filters: Query[CleanupFilter]):
    qs = _cleanup(cleanup_tasks_for(request.auth))
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.order_by("-privacy_flag", "due_date", "pk")


@router.get("/cleanup-tasks/{int:cleanup_task_id}", response=responses(CleanupTaskOut, 200, 400, 404),
            tags=["定期清理"], summary="清理任务详情")
def cleanup_read(request, cleanup_task_id: PathId):
    return lookups.cleanup_task(request.auth, cleanup_task_id)


def _decided(request, cleanup_task_id):
    return lookups.cleanup_task(request.auth, cleanup_task_id)


@router.post("/cleanup-tasks/{int:cleanup_task_id}/keep", response=responses(CleanupTaskOut, 200, *ACT),
             tags=["定期清理"], summary="继续保留，并定下次复核日期")
def cleanup_keep(request, cleanup_task_id: PathId, data: json_body(KeepIn)):
    actions.cleanup_keep(actor=request.auth, task=lookups.cleanup_task(request.auth, cleanup_task_id),
                         next_review_date=data.next_review_date, comment=data.comment)
    return _decided(request, cleanup_task_id)


@router.post("/cleanup-tasks/{int:cleanup_task_id}/update", response=responses(CleanupTaskOut, 200, *ACT),
             tags=["定期清理"], summary="需要更新：生成新版本，重新审核后替换已发布版本",
             description="处理人还须是该机构的起草人。")
def cleanup_update(request, cleanup_task_id: PathId, data: json_body(CleanupUpdateIn)):
    actions.cleanup_update(actor=request.auth, task=lookups.cleanup_task(request.auth, cleanup_task_id),
                           data=data.data.model_dump(exclude_unset=True), note=data.note,
                           remove_attachments=data.remove_attachments)
    return _decided(request, cleanup_task_id)


@router.post("/cleanup-tasks/{int:cleanup_task_id}/withdraw", response=responses(CleanupTaskOut, 200, *ACT),
             tags=["定期清理"], summary="不再需要：撤回")
def cleanup_withdraw(request, cleanup_task_id: PathId, data: json_body(WithdrawIn)):
    actions.cleanup_withdraw(actor=request.auth, task=lookups.cleanup_task(request.auth, cleanup_task_id),
                             reason=data.reason)
    return _decided(request, cleanup_task_id)


@router.post("/cleanup-tasks/{int:cleanup_task_id}/invalid", response=responses(CleanupTaskOut, 200, *ACT),
             tags=["定期清理"], summary="已失效：标注失效或废止（非政策文件同时下线）")
def cleanup_invalid(request, cleanup_task_id: PathId, data: json_body(InvalidIn)):
    actions.cleanup_mark_invalid(actor=request.auth, task=lookups.cleanup_task(request.auth, cleanup_task_id),
                                 comment=data.comment, validity=data.validity)
    return _decided(request, cleanup_task_id)


# --- campaigns ----------------------------------------------------------------------------------------

@router.get("/campaigns", response=responses(list[CampaignOut], 200, 400), tags=["定期清理"],
            summary="清理专项行动及其进度")
@paginate(Pagination)
def campaign_list(request):
    return campaigns_for(request.auth).select_related("agency", "started_by").order_by("-started_at", "-pk")


@router.post("/campaigns", response=responses(CampaignDetail, 201, 400, 403, 415), tags=["定期清理"],
             summary="发起清理专项行动（公开办管理员）")
def campaign_start(request, data: json_body(CampaignIn)):
    agency = Agency.objects.filter(pk=data.agency, is_active=True).first()
    if agency is None:
        raise InvalidInput("范围机构：所选项不存在", en="No such agency", field="agency")
    topic = None
    if data.topic is not None:
        topic = Category.objects.filter(pk=data.topic, kind=Category.Kind.TOPIC).first()
        if topic is None:
            raise InvalidInput("主题分类：所选项不存在", en="No such topic", field="topic")
    campaign = actions.start_campaign(actor=request.auth, name=data.name, agency=agency, topic=topic,
                                      info_type=data.info_type, published_before=data.published_before)
    return Status(201, lookups.campaign(request.auth, campaign.pk))


@router.get("/campaigns/{int:campaign_id}", response=responses(CampaignDetail, 200, 400, 404), tags=["定期清理"],
            summary="专项行动详情（含清理任务）")
def campaign_read(request, campaign_id: PathId):
    return lookups.campaign(request.auth, campaign_id)
