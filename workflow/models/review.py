"""Review policies (分级审核) as data, review rounds (one per submitted revision) and step decisions."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Agency, Role

from .items import Information, InfoType, Revision


class Step(models.TextChoices):
    PROOF_1 = "proof_1", _("一校")
    PROOF_2 = "proof_2", _("二校")
    PROOF_3 = "proof_3", _("三校")
    FIRST_REVIEW = "first_review", _("初审")
    SECOND_REVIEW = "second_review", _("复审")
    FINAL_REVIEW = "final_review", _("终审")
    SECRECY_REVIEW = "secrecy_review", _("保密审查")
    LEGAL_REVIEW = "legal_review", _("合法性审查")


STEP_ROLE = {
    Step.PROOF_1: Role.PROOFREADER,
    Step.PROOF_2: Role.PROOFREADER,
    Step.PROOF_3: Role.PROOFREADER,
    Step.FIRST_REVIEW: Role.FIRST_REVIEWER,
    Step.SECOND_REVIEW: Role.SECOND_REVIEWER,
    Step.FINAL_REVIEW: Role.FINAL_REVIEWER,
    Step.SECRECY_REVIEW: Role.SECRECY_REVIEWER,
    Step.LEGAL_REVIEW: Role.LEGAL_REVIEWER,
}
PROOF_STEPS = (Step.PROOF_1, Step.PROOF_2, Step.PROOF_3)
THREE_REVIEWS = (Step.FIRST_REVIEW, Step.SECOND_REVIEW, Step.FINAL_REVIEW)

#: 三审三校 + 保密审查: the shipped default.
DEFAULT_STEPS = [
    Step.PROOF_1, Step.PROOF_2, Step.PROOF_3,
    Step.FIRST_REVIEW, Step.SECOND_REVIEW, Step.FINAL_REVIEW,
    Step.SECRECY_REVIEW,
]


class ReviewPolicy(models.Model):
    """Which steps an item needs, in which order, per agency and info type. Most specific wins:
    (agency, type) > (agency, any type) > (ancestor agency, ...) > (all agencies, type) > default."""

    name = models.CharField(_("名称"), max_length=100)
    agency = models.ForeignKey(Agency, verbose_name=_("适用机构"), null=True, blank=True, on_delete=models.CASCADE,
                               help_text=_("留空表示适用于所有机构"))
    info_type = models.CharField(_("信息类型"), max_length=30, choices=InfoType.choices, blank=True,
                                 help_text=_("留空表示适用于所有类型"))
    steps = models.JSONField(_("审核步骤"), help_text=_('按顺序列出步骤代码，如 ["first_review", "second_review", '
                                                       '"secrecy_review"]'))
    allow_same_reviewer = models.BooleanField(
        _("允许同一人承担两级审核"), default=False, help_text=_("仅放宽三审之间的分离；起草人在任何情况下都不能审核"))
    allow_same_proofreader = models.BooleanField(
        _("允许同一人承担多次校对"), default=False,
        help_text=_("默认三校须由三个不同的人完成；勾选后同一校对人可以完成多次校对"))
    allow_proofreader_review = models.BooleanField(
        _("允许校对人审核其校对修改过的文本"), default=False,
        help_text=_("默认修改过文本的人（起草、编辑、校对修改）不能审核该文本；勾选后仅对校对修改放宽"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("审核策略")
        verbose_name_plural = _("审核策略")
        constraints = [
            models.UniqueConstraint(fields=["agency", "info_type"], condition=models.Q(is_active=True),
                                    name="uniq_active_policy"),
        ]

    def __str__(self):
        return self.name

    def step_labels(self) -> list[str]:
        """The steps' Chinese names as plain strings (lazy labels cannot be str.join-ed)."""
        return [str(Step(s).label) if s in Step.values else str(s) for s in (self.steps or [])]

    def clean(self):
        super().clean()
        steps = self.steps
        if not isinstance(steps, list) or not steps or not all(isinstance(s, str) for s in steps):
            raise ValidationError({"steps": _("审核步骤须为非空的步骤列表，请至少选择一个步骤")})
        unknown = [s for s in steps if s not in Step.values]
        if unknown:
            raise ValidationError({"steps": _("未知的步骤代码：%(codes)s。可选步骤：%(known)s") % {
                "codes": "、".join(unknown), "known": "、".join(f"{s.label}" for s in Step)}})
        if len(set(steps)) != len(steps):
            raise ValidationError({"steps": _("同一步骤不能重复出现")})
        if Step.SECRECY_REVIEW not in steps:
            raise ValidationError({"steps": _("审核步骤必须包含保密审查：所有公开信息须经保密审查")})


class ReviewRound(models.Model):
    """One review of one submitted revision (一事一审). Rejection ends it; resubmission starts a new one."""

    class Status(models.TextChoices):
        RUNNING = "running", _("审核中")
        APPROVED = "approved", _("审核通过")
        REJECTED = "rejected", _("已退回")
        NOT_DISCLOSED = "not_disclosed", _("决定不予公开")
        PUBLISHED = "published", _("已发布")
        CANCELLED = "cancelled", _("已取消")

    item = models.ForeignKey(Information, verbose_name=_("信息"), on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField(_("轮次"))
    process = models.OneToOneField("viewflow.Process",
                                   null=True, blank=True, on_delete=models.SET_NULL, related_name="review_round")
    submitted_revision = models.ForeignKey(Revision, verbose_name=_("提交版本"), on_delete=models.PROTECT,
                                           related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT,
                                     related_name="+")
    policy_name = models.CharField(_("审核策略"), max_length=100)
    steps = models.JSONField(_("审核步骤"))
    allow_same_reviewer = models.BooleanField(default=False)
    allow_same_proofreader = models.BooleanField(default=False)
    allow_proofreader_review = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(_("当前步骤序号"), default=0)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("审核轮次")
        verbose_name_plural = _("审核轮次")
        ordering = ["item", "number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="uniq_round_number")]

    def __str__(self):
        return f"{self.item} 第{self.number}轮"

    @property
    def current_step(self):
        if self.status == self.Status.RUNNING and self.position < len(self.steps):
            return self.steps[self.position]
        return None

    @property
    def awaits_publication(self):
        """Every step decided: approved, or (三同步) waiting only for the interpretation."""
        return self.status == self.Status.APPROVED or (
            self.status == self.Status.RUNNING and self.position >= len(self.steps)
        )

    @property
    def current_step_label(self):
        step = self.current_step
        return Step(step).label if step else ""


class StepDecision(models.Model):
    class Decision(models.TextChoices):
        APPROVE = "approve", _("同意")
        REJECT = "reject", _("退回起草人")
        RETURN = "return", _("退回上一步")
        NOT_DISCLOSE = "not_disclose", _("不予公开")

    round = models.ForeignKey(ReviewRound, verbose_name=_("审核轮次"), on_delete=models.CASCADE,
                              related_name="decisions")
    step = models.CharField(_("步骤"), max_length=20, choices=Step.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT,
                              related_name="+")
    decision = models.CharField(_("结论"), max_length=20, choices=Decision.choices)
    revision = models.ForeignKey(Revision, verbose_name=_("审核版本"), on_delete=models.PROTECT, related_name="+")
    revision_hash = models.CharField(_("版本哈希"), max_length=64)
    comment = models.TextField(_("意见"), blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)
    voided = models.BooleanField(_("已失效"), default=False)
    voided_reason = models.CharField(_("失效原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")
        ordering = ["round", "created_at", "pk"]

    def __str__(self):
        return f"{self.get_step_display()} {self.get_decision_display()} {self.actor}"


# --- 保密审查 decisions (plain labels: they are joined into sheet and report text) --------------------

class SecrecyResult(models.TextChoices):
    DISCLOSABLE = "disclosable", "可以公开"
    PARTIAL = "partial", "部分公开（已脱敏）"
    NOT_DISCLOSABLE = "not_disclosable", "不予公开"


class WithholdGround(models.TextChoices):
    """条例 Art. 14-16, in the order of annual report table 三, row (三) 1-8. Commercial secrets and personal
    privacy are both row 4 (第三方合法权益) but the review form (保密审查审批表) has a box for each."""

    STATE_SECRET = "state_secret", "属于国家秘密（第十四条）"
    LAW_FORBIDS = "law_forbids", "其他法律行政法规禁止公开（第十四条）"
    SECURITY_STABILITY = "security_stability", "危及“三安全一稳定”（第十四条）"
    THIRD_PARTY = "third_party", "保护第三方合法权益（第十五条）"
    COMMERCIAL_SECRET = "commercial_secret", "涉及商业秘密（第十五条）"
    PERSONAL_PRIVACY = "personal_privacy", "涉及个人隐私（第十五条）"
    INTERNAL_AFFAIRS = "internal_affairs", "属于三类内部事务信息（第十六条）"
    PROCESS_INFO = "process_info", "属于四类过程性信息（第十六条）"
    ENFORCEMENT_FILE = "enforcement_file", "属于行政执法案卷（第十六条）"
    ADMIN_QUERY = "admin_query", "属于行政查询事项"
