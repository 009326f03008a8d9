"""Template filters for Chinese labels of codes stored as data (audit actions, roles, states, steps)."""
from django import template
from django.utils.safestring import mark_safe

from core.models import Role
from core.richtext import body_excerpt, body_html
from workflow.models import ItemStatus, SecrecyResult, WithholdGround
from workflow.models.review import Step

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
    "publishing.deadline.overdue": "公开时限逾期",
    "publishing.validity.amend": "标注已修改",
    "publishing.validity.expire": "标注失效",
    "publishing.validity.repeal": "标注废止",
    "publishing.cleanup.open": "生成清理任务",
    "publishing.cleanup.keep": "清理：保留",
    "publishing.cleanup.update": "清理：更新",
    "publishing.cleanup.withdraw": "清理：撤回",
    "publishing.cleanup.invalid": "清理：标注失效",
    "publishing.campaign.start": "发起清理专项",
    "workflow.api_token.issue": "签发接口令牌",
    "workflow.api_token.revoke": "吊销接口令牌",
    "audit.export": "导出审计记录",
    "audit.report.edit": "编辑年度报告",
    "audit.appeal.create": "登记复议诉讼案件",
    "audit.appeal.update": "更新复议诉讼案件",
    "disclosure.application.register": "登记申请",
    "disclosure.application.request_supplement": "告知补正",
    "disclosure.application.receive_supplement": "收到补正",
    "disclosure.application.close_no_supplement": "逾期未补正结案",
    "disclosure.application.consult_start": "征求意见",
    "disclosure.application.consult_end": "征求意见结束",
    "disclosure.application.request_extension": "申请延期",
    "disclosure.application.approve_extension": "批准延期",
    "disclosure.application.reject_extension": "不批准延期",
    "disclosure.application.fee_notice": "收费通知",
    "disclosure.application.fee_paid": "缴费",
    "disclosure.application.close_fee_unpaid": "逾期未缴费结案",
    "disclosure.application.deadline_recompute": "重算期限",
    "disclosure.application.remind_due_soon": "临期提醒",
    "disclosure.application.remind_overdue": "超期提醒",
    "disclosure.calendar.change": "工作日历变更",
    "disclosure.reply.draft": "拟写答复",
    "disclosure.reply.legal_approve": "合法性审查通过",
    "disclosure.reply.legal_return": "合法性审查退回",
    "disclosure.reply.sign_off": "签发答复",
    "disclosure.reply.sign_return": "签发退回",
    "disclosure.reply.deliver": "送达归档",
    "disclosure.application.excessive_ask": "要求说明理由（条例第三十五条）",
    "disclosure.application.excessive_decide": "第三十五条处理决定",
    "disclosure.application.import": "导入历史申请",
    "disclosure.import.applications": "导入申请台账",
    "disclosure.import.appeals": "导入复议诉讼台账",
    "disclosure.online.submit": "在线提交申请",
    "disclosure.online.confirm": "确认收到在线申请",
    "disclosure.template.save": "修改答复书模板",
    "audit.appeal.import": "导入复议诉讼案件",
    "audit.report.figures": "录入表二业务数据",
    "audit.report.figures_import": "导入表二业务数据",
    "audit.report.force": "强制出具年度报告",
    # configuration changed in the admin (系统配置)
    "org.membership.create": "新增人员角色",
    "org.membership.change": "修改人员角色",
    "org.membership.delete": "删除人员角色",
    "workflow.reviewpolicy.create": "新增审核策略",
    "workflow.reviewpolicy.change": "修改审核策略",
    "workflow.reviewpolicy.delete": "删除审核策略",
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


@register.filter
def richtext(value):
    """A stored body as sanitised HTML (plain-text and `**` bodies converted; nh3 has the last word)."""
    return mark_safe(body_html(value or ""))


@register.filter
def richtext_excerpt(value, blocks=12):
    return mark_safe(body_excerpt(value or "", int(blocks)))
