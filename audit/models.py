"""The tamper-evident audit trail: one row per action, each row's hash covering the previous one."""
import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditRecord(models.Model):
    """One action by one actor. Rows are append-only (a PostgreSQL trigger refuses UPDATE/DELETE)."""

    seq = models.BigIntegerField(_("序号"), unique=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    action = models.CharField(_("动作"), max_length=80, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    role = models.CharField(_("角色"), max_length=40, blank=True)
    agency = models.ForeignKey(
        "workflow.Agency", verbose_name=_("机构"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    item = models.ForeignKey(
        "workflow.Information", verbose_name=_("信息"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="audit_records",
    )
    subject_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    subject_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    revision_hash = models.CharField(_("版本哈希"), max_length=64, blank=True)
    from_state = models.CharField(_("原状态"), max_length=40, blank=True)
    to_state = models.CharField(_("新状态"), max_length=40, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)
    ip = models.CharField(_("IP 地址"), max_length=45, blank=True)
    prev_hash = models.CharField(_("前一记录哈希"), max_length=64)
    hash = models.CharField(_("记录哈希"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["agency", "created_at"]),
        ]

    def __str__(self):
        return f"#{self.pk} {self.action} {self.actor_name}"

    def canonical(self):
        """The exact bytes the hash covers: every field but the hash itself, in a fixed order."""
        payload = {
            "seq": self.seq,
            "created_at": self.created_at.isoformat(timespec="microseconds"),
            "action": self.action,
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "role": self.role,
            "agency": self.agency_id,
            "item": self.item_id,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "revision_hash": self.revision_hash,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "comment": self.comment,
            "data": self.data,
            "ip": self.ip,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)

    def compute_hash(self):
        return hashlib.sha256(self.canonical().encode("utf-8")).hexdigest()


class ChainHead(models.Model):
    """A single row holding the chain's last sequence number and hash.

    Writers lock it (SELECT ... FOR UPDATE) so that records are appended one at a time, in seq
    order, and so that deleting the newest records is detectable too."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")


# --- annual report (年度报告) -----------------------------------------------------------------------

class ReportLayout(models.TextChoices):
    """The national format in force for the report year (国办公开办函〔2021〕30号 from 2021 on)."""

    V2021 = "2021", _("2021年版（国办公开办函〔2021〕30号）")


class AnnualReportText(models.Model):
    """The editable parts of one agency's annual report for one year: sections 五 and 六 (and the
    office's own wording of 一, if it overrides the generated text)."""

    agency = models.ForeignKey("workflow.Agency", verbose_name=_("机构"), on_delete=models.PROTECT,
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


class AppealCase(models.Model):
    """An administrative reconsideration (行政复议) or lawsuit (行政诉讼) about information disclosure,
    counted in annual report table 四."""

    class Kind(models.TextChoices):
        RECONSIDERATION = "reconsideration", _("行政复议")
        LITIGATION_DIRECT = "litigation_direct", _("行政诉讼（未经复议直接起诉）")
        LITIGATION_AFTER = "litigation_after_reconsideration", _("行政诉讼（复议后起诉）")

    class Result(models.TextChoices):
        PENDING = "pending", _("尚未审结")
        MAINTAINED = "maintained", _("结果维持")
        CORRECTED = "corrected", _("结果纠正")
        OTHER = "other", _("其他结果")

    agency = models.ForeignKey("workflow.Agency", verbose_name=_("被申请（被告）机关"), on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField(_("案件类型"), max_length=40, choices=Kind.choices)
    case_number = models.CharField(_("案号"), max_length=100, blank=True)
    applicant = models.CharField(_("申请人（原告）"), max_length=200, blank=True)
    summary = models.TextField(_("案由"), blank=True)
    filed_date = models.DateField(_("受理（立案）日期"))
    result = models.CharField(_("结果"), max_length=20, choices=Result.choices, default=Result.PENDING)
    closed_date = models.DateField(_("审结日期"), null=True, blank=True)
    application_id = models.BigIntegerField(_("关联申请编号"), null=True, blank=True,
                                            help_text=_("依申请公开申请的编号（可不填）"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("复议诉讼案件")
        verbose_name_plural = _("复议诉讼案件")
        ordering = ["-filed_date", "-pk"]
        indexes = [models.Index(fields=["agency", "filed_date"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.case_number or self.pk}"
