"""The editable parts of annual reports (年度报告)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportLayout(models.TextChoices):
    """The national format in force for the report year (国办公开办函〔2021〕30号 from 2021 on)."""

    V2021 = "2021", _("2021年版（国办公开办函〔2021〕30号）")


class AnnualReportText(models.Model):
    """The editable parts of one agency's annual report for one year: sections 五 and 六 (and the
    office's own wording of 一, if it overrides the generated text)."""

    agency = models.ForeignKey("core.Agency", verbose_name=_("机构"), on_delete=models.PROTECT,
                               related_name="+")
    year = models.PositiveSmallIntegerField(_("报告年度"))
    layout = models.CharField(_("格式版本"), max_length=8, choices=ReportLayout.choices, default=ReportLayout.V2021)
    overview = models.TextField(_("一、总体情况（补充说明）"), blank=True)
    problems = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    other_matters = models.TextField(_("六、其他需要报告的事项"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("最后修改人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("最后修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度报告文字部分")
        verbose_name_plural = _("年度报告文字部分")
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="uniq_report_text")]

    def __str__(self):
        return f"{self.agency} {self.year}年度报告"
