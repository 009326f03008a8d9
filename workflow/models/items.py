"""Information items (政府信息), their immutable revisions and attachments."""
import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.fsm import FSMField

from core import bounds
from core.models import Agency

from .catalogue import Category


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("审核通过待发布")
    SCHEDULED = "scheduled", _("定时发布")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")
    EXPIRED = "expired", _("已下线（到期）")
    NOT_DISCLOSED = "not_disclosed", _("不予公开")


class InfoType(models.TextChoices):
    GENERAL = "general", _("一般信息")
    POLICY_DOCUMENT = "policy_document", _("政策文件")
    INTERPRETATION = "interpretation", _("政策解读")
    NORMATIVE_DOCUMENT = "normative_document", _("行政规范性文件")
    REGULATION = "regulation", _("规章")
    LIST_PUBLICITY = "list_publicity", _("名单公示")
    ADMIN_LICENSING = "admin_licensing", _("行政许可")
    ADMIN_PENALTY = "admin_penalty", _("行政处罚")
    ADMIN_COERCION = "admin_coercion", _("行政强制")
    ADMIN_FEE = "admin_fee", _("行政事业性收费")


class DisclosureMode(models.TextChoices):
    PROACTIVE = "proactive", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    PARTIAL = "partial", _("部分公开")
    NOT_DISCLOSED = "not_disclosed", _("不予公开")


class Scope(models.TextChoices):
    PUBLIC = "public", _("向社会公开")
    LIMITED = "limited", _("限定范围公开")


class Validity(models.TextChoices):
    VALID = "valid", _("现行有效")
    AMENDED = "amended", _("已修改")
    EXPIRED = "expired", _("失效")
    REPEALED = "repealed", _("废止")


class Carrier(models.TextChoices):
    OFFICIAL = "official", _("公文")
    NON_OFFICIAL = "non_official", _("非公文")


class Channel(models.TextChoices):
    WEBSITE = "website", _("政府网站")
    PRESS = "press", _("报刊")
    RADIO = "radio", _("广播")
    TV = "tv", _("电视")
    NOTICE_BOARD = "notice_board", _("政务公开栏")
    OTHER = "other", _("其他")


class CodeListField(models.JSONField):
    """A list of distinct codes from `item_choices` (stored as a JSON array), e.g. several 拟公开方式.
    Checked on full_clean; an empty list is allowed when blank=True."""

    def __init__(self, *args, item_choices=(), **kwargs):
        self.item_choices = list(item_choices)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = [code for code, _label in self.item_choices]
        if not isinstance(value, list) or any(not isinstance(v, str) or v not in allowed for v in value):
            raise ValidationError("请从列表中选择", code="invalid_choice")
        if len(set(value)) != len(value):
            raise ValidationError("不能重复选择", code="duplicate")
        if not value and not self.blank:
            raise ValidationError("请至少选择一项", code="required")


def default_channels():
    return [Channel.WEBSITE.value]


# Metadata that is published with the item and therefore covered by the revision hash.
PUBLISHED_FIELDS = (
    "title", "doc_number", "info_type", "topic_id", "facet_id", "created_date", "summary",
    "disclosure_mode", "scope", "scope_audience", "display_days",
)


class Information(models.Model):
    """One piece of government information. Its state field is driven only by workflow.lifecycle."""

    agency = models.ForeignKey(Agency, verbose_name=_("发布机构"), on_delete=models.PROTECT, related_name="items")
    drafter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT,
                                related_name="drafted_items")
    # Protected: `item.status = x` raises; only workflow.lifecycle.ItemLifecycle changes it.
    status = FSMField(_("状态"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.DRAFT,
                      db_index=True, editable=False, protected=True, enforce_initial=True)
    # Working copy of the catalogue fields (the current revision holds the frozen copy).
    title = models.CharField(_("名称"), max_length=300)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    info_type = models.CharField(_("信息类型"), max_length=30, choices=InfoType.choices, default=InfoType.GENERAL)
    topic = models.ForeignKey(Category, verbose_name=_("主题分类"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", limit_choices_to={"kind": "topic"})
    facet = models.ForeignKey(Category, verbose_name=_("组配分类"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", limit_choices_to={"kind": "facet"})
    created_date = models.DateField(_("生成日期"), validators=bounds.date_validators())
    summary = models.TextField(_("内容概述"), blank=True)
    body = models.TextField(_("正文"), blank=True)
    carrier = models.CharField(_("载体形式"), max_length=20, choices=Carrier.choices, default=Carrier.OFFICIAL)
    # The first of `channels`, kept for the API and older readers (set from channels by the drafting actions).
    channel = models.CharField(_("主要公开方式"), max_length=20, choices=Channel.choices, default=Channel.WEBSITE)
    channels = CodeListField(_("拟公开方式"), item_choices=Channel.choices, default=default_channels,
                             help_text=_("可多选"))
    disclosure_mode = models.CharField(_("公开方式"), max_length=20, choices=DisclosureMode.choices,
                                       default=DisclosureMode.PROACTIVE)
    scope = models.CharField(_("公开范围"), max_length=10, choices=Scope.choices, default=Scope.PUBLIC)
    scope_audience = models.CharField(_("限定范围对象"), max_length=200, blank=True)
    display_days = models.PositiveIntegerField(_("公示期（天）"), null=True, blank=True,
                                               validators=bounds.range_validators(*bounds.DISPLAY_DAYS, "天"))
    fee_amount = models.DecimalField(_("收费金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True,
                                     validators=bounds.range_validators(0, bounds.MAX_FEE, "元"))
    needs_interpretation = models.BooleanField(_("需要政策解读"), default=False)
    interprets = models.ForeignKey("self", verbose_name=_("解读的政策文件"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="interpretations")

    current_revision = models.ForeignKey("Revision", verbose_name=_("当前版本"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    published_revision = models.ForeignKey("Revision", verbose_name=_("已发布版本"), null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    online = models.BooleanField(_("在线"), default=False, db_index=True)
    index_number = models.CharField(_("索引号"), max_length=64, unique=True, null=True, blank=True)
    publish_at = models.DateTimeField(_("定时发布时间"), null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(_("发布日期"), null=True, blank=True, db_index=True)
    first_published_at = models.DateTimeField(_("首次发布"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    display_until = models.DateTimeField(_("公示截止"), null=True, blank=True, db_index=True)
    offline_at = models.DateTimeField(_("下线时间"), null=True, blank=True)
    offline_reason = models.TextField(_("下线原因"), blank=True)
    validity = models.CharField(_("效力"), max_length=20, choices=Validity.choices, blank=True)
    amended_by = models.ForeignKey("self", verbose_name=_("修改文件"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="amends")
    next_review_date = models.DateField(_("下次清理复核日期"), null=True, blank=True, db_index=True)
    disclosure_due = models.DateField(_("主动公开期限"), null=True, blank=True,
                                      help_text=_("条例第二十六条：形成或变更之日起20个工作日内"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("政府信息")
        verbose_name_plural = _("政府信息")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["online", "scope", "published_at"]),
        ]
        # The domain ranges of core.bounds, also in the database: a value written past the actions still
        # cannot make publishing overflow.
        constraints = [
            models.CheckConstraint(
                condition=models.Q(display_days__isnull=True) | models.Q(display_days__range=bounds.DISPLAY_DAYS),
                name="information_display_days_range"),
            models.CheckConstraint(
                condition=models.Q(fee_amount__isnull=True) | models.Q(fee_amount__range=(0, bounds.MAX_FEE)),
                name="information_fee_amount_range"),
            models.CheckConstraint(condition=models.Q(created_date__range=(bounds.MIN_DATE, bounds.MAX_DATE)),
                                   name="information_created_date_range"),
        ]

    def __str__(self):
        return self.title

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        # The protected state field refuses re-assignment: drop it so the reload sets it afresh. Name the
        # fields explicitly, or Django would take the dropped field for a deferred one and skip it.
        if fields is None:
            deferred = self.get_deferred_fields()
            fields = [f.attname for f in self._meta.concrete_fields if f.attname not in deferred]
        if "status" in fields:
            self.__dict__.pop("status", None)
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)

    def channel_list(self) -> list[str]:
        """The planned 公开方式 codes (items stored before several could be chosen have only `channel`)."""
        return list(self.channels or ([self.channel] if self.channel else []))

    def channel_labels(self) -> str:
        labels = dict(Channel.choices)
        return "、".join(str(labels.get(c, c)) for c in self.channel_list())

    def published_metadata(self):
        data = {}
        for field in PUBLISHED_FIELDS:
            value = getattr(self, field)
            data[field] = value.isoformat() if hasattr(value, "isoformat") else value
        return data


class AttachmentBlob(models.Model):
    """Attachment bytes stored once by content hash; revisions share unchanged files."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    file = models.FileField(upload_to="attachments/%Y/%m/")
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=120, blank=True)

    class Meta:
        verbose_name = _("附件文件")
        verbose_name_plural = _("附件文件")

    def __str__(self):
        return self.sha256[:12]


class Revision(models.Model):
    """An immutable snapshot of an item: body, published metadata and attachments, with their hash."""

    class Kind(models.TextChoices):
        DRAFT = "draft", _("起草")
        PROOFREAD = "proofread", _("校对修改")
        MASK = "mask", _("脱敏处理")
        UPDATE = "update", _("发布后更新")

    item = models.ForeignKey(Information, verbose_name=_("信息"), on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("版本号"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.DRAFT)
    body = models.TextField(_("正文"), blank=True)
    metadata = models.JSONField(_("公开元数据"), default=dict)
    content_hash = models.CharField(_("内容哈希"), max_length=64, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("修改说明"), blank=True)
    scan = models.JSONField(_("保密预检结果"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("版本")
        verbose_name_plural = _("版本")
        ordering = ["item", "number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="uniq_revision_number")]

    def __str__(self):
        return f"{self.item_id} v{self.number} {self.content_hash[:10]}"

    def save(self, *args, **kwargs):
        if self.pk and not kwargs.pop("allow_scan_update", False):
            raise ValueError("Revisions are immutable; create a new one")
        super().save(*args, **kwargs)

    @property
    def short_hash(self):
        return self.content_hash[:12]

    @staticmethod
    def compute_hash(*, body: str, metadata: dict, attachments: list[tuple[str, str]]) -> str:
        """Hash over body, published metadata and attachment (name, sha256) pairs, canonically encoded."""
        payload = {"body": body, "metadata": metadata, "attachments": sorted(attachments)}
        raw = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class Attachment(models.Model):
    revision = models.ForeignKey(Revision, verbose_name=_("版本"), on_delete=models.CASCADE,
                                 related_name="attachments")
    name = models.CharField(_("文件名"), max_length=200)
    blob = models.ForeignKey(AttachmentBlob, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["revision", "name"]
        constraints = [models.UniqueConstraint(fields=["revision", "name"], name="uniq_attachment_name")]

    def __str__(self):
        return self.name


class ScanStatus(models.TextChoices):
    PENDING = "pending", _("预检中")
    DONE = "done", _("已完成")


class AttachmentScan(models.Model):
    """The privacy pre-check of one attachment's bytes under one configuration (scanner code and rules,
    the agency's words and public values, the limits). Scanned once in a worker; every revision that
    keeps the file reuses it. Its status is driven only by workflow.actions.prescan."""

    blob = models.ForeignKey(AttachmentBlob, on_delete=models.CASCADE, related_name="scans")
    name = models.CharField(_("文件名"), max_length=200)
    config_key = models.CharField(_("预检配置"), max_length=64)
    status = FSMField(_("状态"), max_length=10, choices=ScanStatus.choices, default=ScanStatus.PENDING,
                      protected=True, editable=False)
    report = models.JSONField(_("预检结果"), null=True, blank=True)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("附件预检")
        verbose_name_plural = _("附件预检")
        constraints = [models.UniqueConstraint(fields=["blob", "name", "config_key"], name="uniq_attachment_scan")]

    def __str__(self):
        return f"{self.name} {self.get_status_display()}"

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        if fields is None:
            deferred = self.get_deferred_fields()
            fields = [f.attname for f in self._meta.concrete_fields if f.attname not in deferred]
        if "status" in fields:
            self.__dict__.pop("status", None)
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
