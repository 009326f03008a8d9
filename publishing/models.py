"""Index-number counters (索引号), the public catalogue copy, Art. 26 deadlines and cleanup records."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.fsm import FSMField


class IndexCounter(models.Model):
    """Last serial issued per agency and period. Locked while allocating, so serials are gapless:
    the increment commits or rolls back with the publication that used it."""

    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=8)
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("索引号计数器")
        verbose_name_plural = _("索引号计数器")
        constraints = [models.UniqueConstraint(fields=["agency", "period"], name="uniq_index_counter")]

    def __str__(self):
        return f"{self.agency.code}/{self.period}: {self.last_serial}"


class PublicEntry(models.Model):
    """The public catalogue's copy of an item's *published* revision (never the working draft).

    Rebuilt by publishing.catalogue.refresh_entry() whenever publication state changes. Visibility is
    still decided by the item row (online) and the published scope, so withdrawal takes effect at once."""

    item = models.OneToOneField("workflow.Information", on_delete=models.CASCADE, related_name="public_entry")
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("名称"), max_length=300)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    info_type = models.CharField(_("信息类型"), max_length=30)
    topic = models.ForeignKey("workflow.Category", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    facet = models.ForeignKey("workflow.Category", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created_date = models.DateField(_("生成日期"), null=True, blank=True)
    summary = models.TextField(_("内容概述"), blank=True)
    body_text = models.TextField(_("正文（纯文本，供检索）"), blank=True)
    scope = models.CharField(_("公开范围"), max_length=10)
    published_at = models.DateTimeField(_("发布日期"), null=True, blank=True)
    ever_public = models.BooleanField(default=False, help_text=_("曾向社会公开过（供 CMS 同步下线）"))
    changed_at = models.DateTimeField(_("变更时间"), db_index=True)

    class Meta:
        verbose_name = _("公开目录条目")
        verbose_name_plural = _("公开目录条目")
        indexes = [models.Index(fields=["scope", "published_at"])]

    def __str__(self):
        return self.title


class DisclosureDeadline(models.Model):
    """条例第二十六条: proactive information is published within N working days of being formed or changed."""

    item = models.OneToOneField("workflow.Information", on_delete=models.CASCADE, related_name="disclosure_deadline")
    formed_on = models.DateField(_("形成或变更日期"))
    due_date = models.DateField(_("公开期限"), db_index=True)
    met_on = models.DateField(_("实际公开日期"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(_("标记超期时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("主动公开期限")
        verbose_name_plural = _("主动公开期限")

    def __str__(self):
        return f"{self.item_id} → {self.due_date}"

    @property
    def overdue(self):
        return self.overdue_flagged_at is not None and self.met_on is None

    @property
    def late(self):
        return self.met_on is not None and self.met_on > self.due_date


class ProtectedStatusModel(models.Model):
    """Reloads its protected FSM status on refresh_from_db (the field refuses re-assignment)."""

    class Meta:
        abstract = True

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        if fields is None:
            deferred = self.get_deferred_fields()
            fields = [f.attname for f in self._meta.concrete_fields if f.attname not in deferred]
        if "status" in fields:
            self.__dict__.pop("status", None)
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)


class CleanupCampaign(ProtectedStatusModel):
    """A cleanup drive started by the disclosure office over a filter, tracked to completion."""

    class Status(models.TextChoices):
        RUNNING = "running", _("进行中")
        COMPLETED = "completed", _("已完成")

    name = models.CharField(_("名称"), max_length=200)
    agency = models.ForeignKey("core.Agency", verbose_name=_("范围机构"), on_delete=models.PROTECT,
                               related_name="+")
    filters = models.JSONField(_("筛选条件"), default=dict)
    status = FSMField(_("状态"), max_length=20, choices=Status.choices, default=Status.RUNNING, protected=True,
                      editable=False)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT,
                                   related_name="+")
    started_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("清理专项行动")
        verbose_name_plural = _("清理专项行动")
        ordering = ["-started_at"]

    def __str__(self):
        return self.name


class CleanupTask(ProtectedStatusModel):
    """One item to re-review (谁公开、谁清理): keep, update, withdraw or mark invalid."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        DONE = "done", _("已处理")
        CLOSED = "closed", _("已关闭（信息已下线）")

    class Decision(models.TextChoices):
        KEEP = "keep", _("继续保留")
        UPDATE = "update", _("更新（重新审核）")
        WITHDRAW = "withdraw", _("撤回")
        INVALID = "invalid", _("标注失效")

    item = models.ForeignKey("workflow.Information", verbose_name=_("信息"), on_delete=models.CASCADE,
                             related_name="cleanup_tasks")
    campaign = models.ForeignKey(CleanupCampaign, verbose_name=_("专项行动"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="tasks")
    due_date = models.DateField(_("复核日期"))
    status = FSMField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True,
                      protected=True, editable=False)
    privacy_flag = models.BooleanField(_("疑似含个人隐私"), default=False)
    privacy_findings = models.JSONField(_("隐私预检结果"), default=list, blank=True)
    decision = models.CharField(_("处理决定"), max_length=10, choices=Decision.choices, blank=True)
    comment = models.TextField(_("说明"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("清理任务")
        verbose_name_plural = _("清理任务")
        ordering = ["-privacy_flag", "due_date", "pk"]
        constraints = [models.UniqueConstraint(fields=["item"], condition=models.Q(status="open"),
                                               name="uniq_open_cleanup_task")]

    def __str__(self):
        return f"{self.item} · {self.get_status_display()}"
