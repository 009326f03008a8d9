"""The floor's data: agencies (发布机构), people's roles in them, and the working-day calendar."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.fsm import FSMField


class Role(models.TextChoices):
    DRAFTER = "drafter", _("起草人")
    PROOFREADER = "proofreader", _("校对人")
    FIRST_REVIEWER = "first_reviewer", _("初审人")
    SECOND_REVIEWER = "second_reviewer", _("复审人")
    FINAL_REVIEWER = "final_reviewer", _("终审人")
    SECRECY_REVIEWER = "secrecy_reviewer", _("保密审查人")
    LEGAL_REVIEWER = "legal_reviewer", _("合法性审查人")
    PUBLISHER = "publisher", _("发布人")
    OFFICE_ADMIN = "office_admin", _("公开办管理员")
    OFFICE_HEAD = "office_head", _("公开办负责人")
    REQUEST_HANDLER = "request_handler", _("依申请公开经办人")
    AUDITOR = "auditor", _("审计员")


class Agency(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        DEPARTMENT = "department", _("政府部门")
        TOWNSHIP = "township", _("乡镇（街道）")
        OTHER = "other", _("其他")

    code = models.CharField(
        _("机构代码"), max_length=32, unique=True,
        help_text=_("用于索引号前缀，如统一社会信用代码 11341702000111222F"),
    )
    name = models.CharField(_("机构名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    parent_may_review = models.BooleanField(
        _("上级机构可审核"), default=False,
        help_text=_("勾选后，上级机构中具有相应角色的人员也可处理本机构信息的审核任务"),
    )
    sensitive_words = models.TextField(_("敏感词"), blank=True, help_text=_("每行一个，保密审查自动预检时使用"))
    public_values = models.TextField(
        _("本机构公开的电话、地址和邮箱"), blank=True,
        help_text=_("每行一个，如监督电话、办公地址、公开邮箱。保密预检不报告、脱敏不遮盖这些内容"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def acting_agency_ids(self):
        """Agencies whose people may act on this agency's items: itself and, if configured, its parent."""
        ids = [self.pk]
        if self.parent_may_review and self.parent_id:
            ids.append(self.parent_id)
        return ids

    @classmethod
    def descendants_of(cls, agency_ids) -> set[int]:
        """The given agencies and every agency below them. Visits each agency once, so even a cyclic
        hierarchy written past the model's validation cannot make it loop."""
        seen = set(agency_ids)
        frontier = set(seen)
        while frontier:
            frontier = set(cls.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - seen
            seen |= frontier
        return seen

    def descendant_ids(self):
        """This agency and every agency below it (for a government's report over its departments)."""
        return sorted(self.descendants_of([self.pk]))

    def clean(self):
        super().clean()
        if self.pk and self.parent_id and self.parent_id in self.descendants_of([self.pk]):
            raise ValidationError({"parent": _("上级机构不能是本机构或其下级机构（机构层级不能成环）")})

    def sensitive_word_list(self):
        return [w.strip() for w in self.sensitive_words.splitlines() if w.strip()]

    def public_value_list(self):
        return [v.strip() for v in self.public_values.splitlines() if v.strip()]


class Membership(models.Model):
    """A person holds a role in an agency. Roles are per agency: a reviewer here is nobody there."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("人员"), on_delete=models.CASCADE,
                             related_name="memberships")
    agency = models.ForeignKey(Agency, verbose_name=_("机构"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("人员角色")
        verbose_name_plural = _("人员角色")
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="uniq_membership")]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self):
        return f"{self.user} · {self.agency} · {self.get_role_display()}"


# --- working-day calendar ------------------------------------------------------------------------

class CalendarYear(models.Model):
    """A year whose State Council holiday schedule is loaded. A year without a row is unknown: its
    deadlines are counted on weekends only and flagged provisional."""

    year = models.PositiveIntegerField(_("年份"), primary_key=True)
    source = models.CharField(_("来源"), max_length=200, blank=True,
                              help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("节假日安排（年度）")
        verbose_name_plural = _("节假日安排（年度）")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年"


class CalendarDay(models.Model):
    """One exception to the Monday-Friday week: a public holiday, or a make-up workday (调休上班)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日（休息）")
        WORKDAY = "workday", _("调休上班")

    year = models.ForeignKey(CalendarYear, verbose_name=_("年份"), on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("节日"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("节假日/调休日")
        verbose_name_plural = _("节假日/调休日")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}"

    def clean(self):
        if self.date and self.year_id and self.date.year != self.year_id:
            raise ValidationError({"date": f"日期不在{self.year_id}年内"})


# --- background jobs ---------------------------------------------------------------------------------

class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("处理中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class Job(models.Model):
    """One unit of heavy work done outside the web request (core.jobs): a file scan, a batch of PDFs, a big
    export, a report rendering. Its status is a protected FSM field changed only by core.jobs.JobLifecycle."""

    kind = models.CharField(_("类型"), max_length=60, db_index=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    agency = models.ForeignKey(Agency, verbose_name=_("机构"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    subject = models.CharField(_("对象"), max_length=80, blank=True, db_index=True,
                               help_text=_("如 workflow.revision:12，供页面查找该对象的任务"))
    status = FSMField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED,
                      db_index=True, editable=False, protected=True)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    progress_note = models.CharField(_("进度说明"), max_length=200, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    result_file = models.FileField(_("结果文件"), upload_to="jobs/%Y/%m/", blank=True, max_length=300)
    result_name = models.CharField(_("文件名"), max_length=200, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.kind} #{self.pk} {self.get_status_display()}"

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        # Same as workflow.Information: the protected state field must be dropped to be reloaded.
        if fields is None:
            deferred = self.get_deferred_fields()
            fields = [f.attname for f in self._meta.concrete_fields if f.attname not in deferred]
        if "status" in fields:
            self.__dict__.pop("status", None)
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
