"""A notice to one person, and each person's choice of channels (in-app always; e-mail, webhook …; digest)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    TASK_QUEUED = "task_queued", _("新的待认领任务")
    TASK_ASSIGNED = "task_assigned", _("任务已交给您")
    ITEM_RETURNED = "item_returned", _("信息被退回修改")
    ITEM_MASKED = "item_masked", _("信息已脱敏")
    ITEM_PUBLISHED = "item_published", _("信息已发布")
    ITEM_WITHDRAWN = "item_withdrawn", _("信息已撤回")
    REQUEST_DUE = "request_due", _("申请答复期限临近")
    REQUEST_OVERDUE = "request_overdue", _("申请答复已超期")
    CLEANUP_DUE = "cleanup_due", _("定期清理到期")


class Notice(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
                                  related_name="notices")
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    key = models.CharField(_("去重键"), max_length=120, blank=True,
                           help_text=_("同一接收人同一键只通知一次（如同一任务）"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    sent_channels = models.JSONField(_("已发送渠道"), default=list, blank=True)
    digest_pending = models.BooleanField(_("待每日汇总发送"), default=False)

    class Meta:
        verbose_name = _("消息通知")
        verbose_name_plural = _("消息通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread")]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], condition=~models.Q(key=""),
                                               name="uniq_notice_key")]

    def __str__(self):
        return self.title


class Preference(models.Model):
    """Which channels besides the in-app list a person wants, and whether as one daily digest."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                                related_name="notice_preference")
    channels = models.JSONField(_("通知渠道"), default=list, blank=True,
                                help_text=_("站内消息总会保留；此处为另外发送的渠道，如 email、webhook"))
    digest = models.BooleanField(_("每日汇总"), default=False,
                                 help_text=_("勾选后，站外渠道每天只发送一次汇总，不逐条发送"))
    last_digest_on = models.DateField(_("上次汇总日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self):
        return f"{self.user} 通知设置"
