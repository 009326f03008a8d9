"""The editable parts of annual reports (年度报告) and the table 二 figures kept in other systems."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportLayout(models.TextChoices):
    """The national format in force for the report year (国办公开办函〔2021〕30号 from 2021 on)."""

    V2021 = "2021", _("2021年版（国办公开办函〔2021〕30号）")


#: The text sections an office edits, in the order of the report.
TEXT_FIELDS = ("overview_override", "overview", "problems", "other_matters", "key_tasks")


class AnnualReportText(models.Model):
    """The editable parts of one agency's annual report for one year: sections 五 and 六 (with the key-task
    progress), and section 一's office wording (a full replacement of the generated text, or a supplement).
    Every change is kept as an AnnualReportTextVersion."""

    agency = models.ForeignKey("core.Agency", verbose_name=_("机构"), on_delete=models.PROTECT,
                               related_name="+")
    year = models.PositiveSmallIntegerField(_("报告年度"))
    layout = models.CharField(_("格式版本"), max_length=8, choices=ReportLayout.choices, default=ReportLayout.V2021)
    overview_override = models.TextField(_("一、总体情况（本机关定稿，替代系统生成的文字）"), blank=True)
    overview = models.TextField(_("一、总体情况（补充说明）"), blank=True)
    problems = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    other_matters = models.TextField(_("六、其他需要报告的事项"), blank=True)
    key_tasks = models.TextField(_("六、年度政务公开工作要点（重点工作任务）落实情况"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("最后修改人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("最后修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度报告文字部分")
        verbose_name_plural = _("年度报告文字部分")
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="uniq_report_text")]

    def __str__(self):
        return f"{self.agency} {self.year}年度报告"


class AnnualReportTextVersion(models.Model):
    """One saved state of an agency's report text (the history of sections 一, 五 and 六)."""

    text = models.ForeignKey(AnnualReportText, verbose_name=_("年度报告文字部分"), on_delete=models.CASCADE,
                             related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    overview_override = models.TextField(_("一、总体情况（定稿）"), blank=True)
    overview = models.TextField(_("一、总体情况（补充说明）"), blank=True)
    problems = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    other_matters = models.TextField(_("六、其他需要报告的事项"), blank=True)
    key_tasks = models.TextField(_("六、重点工作任务落实情况"), blank=True)
    changed = models.JSONField(_("修改的部分"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("修改人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("修改时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("年度报告文字版本")
        verbose_name_plural = _("年度报告文字版本")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["text", "number"], name="uniq_report_text_version")]

    def __str__(self):
        return f"{self.text} 第{self.number}版"


class ExternalFigureKind(models.TextChoices):
    """Table 二 figures that other systems hold (条例 Art. 20 (五), (六), (八))."""

    ADMIN_LICENSING = "admin_licensing", _("行政许可")
    ADMIN_PENALTY = "admin_penalty", _("行政处罚")
    ADMIN_COERCION = "admin_coercion", _("行政强制")
    ADMIN_FEE = "admin_fee", _("行政事业性收费")


class ExternalFigure(models.Model):
    """One table 二 figure of one agency for one year, entered by the office or imported from a file, with
    where it comes from (the licensing, enforcement or non-tax revenue system). Counts are 本年处理决定数量;
    the fee is 本年收费金额 in 万元 (four decimals)."""

    class Via(models.TextChoices):
        ENTERED = "entered", _("录入")
        IMPORTED = "imported", _("导入")

    agency = models.ForeignKey("core.Agency", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("报告年度"))
    kind = models.CharField(_("项目"), max_length=20, choices=ExternalFigureKind.choices)
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=4)
    source = models.CharField(_("数据来源"), max_length=200)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    via = models.CharField(_("方式"), max_length=10, choices=Via.choices, default=Via.ENTERED)
    file_hash = models.CharField(_("导入文件 SHA-256"), max_length=64, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("最后修改人"), on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(_("最后修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("表二外部数据")
        verbose_name_plural = _("表二外部数据")
        ordering = ["year", "agency", "kind"]
        constraints = [models.UniqueConstraint(fields=["agency", "year", "kind"], name="uniq_external_figure")]

    def __str__(self):
        return f"{self.agency} {self.year} {self.get_kind_display()} {self.value}"
