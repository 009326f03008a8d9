"""Template filters for Chinese labels of codes stored as data (audit actions, roles, states, steps)."""
from django import template

from workflow.models import ItemStatus, Role
from workflow.models.review import Step
from workflow.secrecy import SecrecyResult, WithholdGround

register = template.Library()

ACTION_LABELS = {
    "workflow.item.create": "创建草稿",
    "workflow.item.edit": "修改",
    "workflow.item.submit": "提交审核",
    "workflow.item.approve": "审核通过",
    "workflow.task.claim": "认领任务",
    "workflow.task.unclaim": "放回队列",
    "workflow.task.reassign": "转交任务",
    "workflow.review.approve": "审核同意",
    "workflow.review.reject": "退回起草人",
    "workflow.review.return": "退回上一步",
    "workflow.proofread.edit": "校对修改",
    "workflow.secrecy.decide": "保密审查",
    "workflow.secrecy.mask": "脱敏处理",
    "publishing.item.publish": "发布",
    "publishing.item.schedule": "定时发布",
    "publishing.item.unschedule": "取消定时发布",
    "publishing.item.withdraw": "撤回",
    "publishing.item.expire": "到期下线",
}


@register.filter
def action_label(code):
    return ACTION_LABELS.get(code, code)


@register.filter
def role_label(code):
    try:
        return Role(code).label
    except ValueError:
        return code or ""


@register.filter
def state_label(code):
    try:
        return ItemStatus(code).label
    except ValueError:
        return code or ""


@register.filter
def step_label(code):
    if code == "publish":
        return "发布"
    try:
        return Step(code).label
    except ValueError:
        return code or ""


@register.filter
def secrecy_label(code):
    for choices in (SecrecyResult, WithholdGround):
        try:
            return choices(code).label
        except ValueError:
            continue
    return code or ""


@register.filter
def short_hash(value):
    return (value or "")[:12]
