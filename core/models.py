"""The floor's data: agencies (发布机构), people's roles in them, and the working-day calendar."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


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
