"""Catalogue categories (主题分类, 组配分类)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


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
        _("清理周期（天）"), null=True, blank=True, help_text=_("发布后多少天进行定期清理复核；留空用系统默认值")
    )

    class Meta:
        verbose_name = _("分类")
        verbose_name_plural = _("分类")
        ordering = ["kind", "sort", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name", "parent"], name="uniq_category")]

    def __str__(self):
        return self.name
