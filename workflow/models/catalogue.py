"""Catalogue categories (主题分类, 组配分类) and the offices' own 错敏词 rules."""
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import bounds


class Category(models.Model):
    class Kind(models.TextChoices):
        TOPIC = "topic", _("主题分类")
        FACET = "facet", _("组配分类")

    kind = models.CharField(_("分类体系"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=80)
    code = models.CharField(_("编码"), max_length=20, blank=True)
    parent = models.ForeignKey("self", verbose_name=_("上级分类"), null=True, blank=True, on_delete=models.PROTECT)
    sort = models.PositiveIntegerField(_("排序"), default=0)
    cleanup_interval_days = models.PositiveIntegerField(
        _("清理周期（天）"), null=True, blank=True, help_text=_("发布后多少天进行定期清理复核；留空用系统默认值"),
        validators=bounds.range_validators(*bounds.CLEANUP_INTERVAL_DAYS, "天"),
    )

    class Meta:
        verbose_name = _("分类")
        verbose_name_plural = _("分类")
        ordering = ["kind", "sort", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name", "parent"], name="uniq_category"),
            models.CheckConstraint(
                condition=models.Q(cleanup_interval_days__isnull=True)
                | models.Q(cleanup_interval_days__range=bounds.CLEANUP_INTERVAL_DAYS),
                name="category_cleanup_interval_range"),
        ]

    def __str__(self):
        return self.name


class WordingRule(models.Model):
    """An office's own 错敏词 rule, added to the rules shipped with the privacy package (privacy/data/)."""

    class Severity(models.TextChoices):
        BLOCK = "agency", _("须改正（阻止通过）")
        WARN = "agency_warn", _("提示（审查人确认）")

    agency = models.ForeignKey("core.Agency", verbose_name=_("适用机构"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="wording_rules",
                               help_text=_("留空表示适用于所有机构；填写则适用于该机构及其下级机构"))
    pattern = models.CharField(_("错误表述"), max_length=60)
    suggestion = models.CharField(_("建议表述"), max_length=120, blank=True)
    allow = models.CharField(_("不报告的正确表述"), max_length=300, blank=True,
                             help_text=_("包含错误表述但正确的写法，用“|”分隔"))
    category = models.CharField(_("级别"), max_length=20, choices=Severity.choices, default=Severity.BLOCK)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("错敏词规则")
        verbose_name_plural = _("错敏词规则")
        ordering = ["agency_id", "pattern"]
        constraints = [models.UniqueConstraint(fields=["agency", "pattern"], name="uniq_wording_rule")]

    def __str__(self):
        return f"{self.pattern} → {self.suggestion}" if self.suggestion else self.pattern

    def clean(self):
        super().clean()
        for field in ("pattern", "suggestion", "allow"):
            if any(ch in (getattr(self, field) or "") for ch in "\t\r\n"):
                raise ValidationError({field: _("不能包含制表符或换行")})
        if len((self.pattern or "").strip()) < 2:
            raise ValidationError({"pattern": _("错误表述至少两个字")})

    def as_rule_line(self) -> str:
        """The rule in the privacy package's rule-file format."""
        return "\t".join([self.pattern.strip(), self.category, self.suggestion.strip(), self.allow.strip()])
