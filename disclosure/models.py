"""Applications for disclosure on request (依申请公开), their replies, pauses, reminders, and the
working-day calendar the deadlines are counted on.

Application.status is a protected viewflow.fsm field changed only by disclosure.lifecycle.
The annual report reads: agency, applicant_type, received_date, outcome, replied_date, fee_amount,
fee_paid_date (see ApplicationQuerySet for the year arithmetic)."""
import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from viewflow.fsm import FSMField

from .codes import ApplicantType, LetterKind, Outcome

# --- applications --------------------------------------------------------------------------------

class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("当面提交")
    POST = "post", _("邮寄")
    ONLINE = "online", _("网上申请")
    FAX = "fax", _("传真")
    EMAIL = "email", _("电子邮件")
    OTHER = "other", _("其他")


class AppStatus(models.TextChoices):
    PROCESSING = "processing", _("办理中")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("待补正")
    AWAITING_FEE = "awaiting_fee", _("待缴费")
    LEGAL_REVIEW = "legal_review", _("待合法性审查")
    SIGN_OFF = "sign_off", _("待签发")
    TO_DELIVER = "to_deliver", _("待送达")
    AWAITING_EXPLANATION = "awaiting_explanation", _("待申请人说明理由")
    CLOSED = "closed", _("已办结")


#: Statuses in which the reply clock runs (awaiting supplement: it restarts later; awaiting fee: paused).
CLOCK_RUNNING = (AppStatus.PROCESSING, AppStatus.LEGAL_REVIEW, AppStatus.SIGN_OFF, AppStatus.TO_DELIVER)
OPEN_STATUSES = tuple(s for s in AppStatus if s != AppStatus.CLOSED)


class FeeMethod(models.TextChoices):
    NONE = "", _("不收费")
    PER_ITEM = "per_item", _("按件计收")
    PER_VOLUME = "per_volume", _("按量计收")


class ExtensionStatus(models.TextChoices):
    NONE = "", _("未申请")
    REQUESTED = "requested", _("待批准")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class DeliveryForm(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子")


class DeliveryWay(models.TextChoices):
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    PICK_UP = "pick_up", _("当面领取")
    ONLINE = "online", _("网上获取")


class ExcessiveDecision(models.TextChoices):
    NONE = "", _("无")
    ASKED = "asked", _("已要求说明理由")
    LATER = "later", _("理由合理，确定延迟答复期限")
    REFUSED = "refused", _("理由不合理，不予处理")


class ApplicationQuerySet(models.QuerySet):
    """Year arithmetic of annual report table 三 (row 一 + row 二 = row 三(七) + row 四)."""

    def received_in(self, year):
        """Row 一: new applications received in `year`."""
        return self.filter(received_date__year=year)

    def carried_into(self, year):
        """Row 二: received before `year` and not concluded before 1 January of `year`."""
        start = datetime.date(year, 1, 1)
        return self.filter(received_date__lt=start).filter(Q(replied_date__isnull=True) | Q(replied_date__gte=start))

    def concluded_in(self, year):
        """Row 三: concluded (replied or closed, with an outcome) in `year`."""
        return self.filter(replied_date__year=year, outcome__gt="")

    def carried_out_of(self, year):
        """Row 四: received by 31 December of `year` and not concluded by then."""
        end = datetime.date(year, 12, 31)
        return self.filter(received_date__lte=end).filter(Q(replied_date__isnull=True) | Q(replied_date__gt=end))

    def open(self):
        return self.exclude(status=AppStatus.CLOSED)


class Application(models.Model):
    """One application for government information (政府信息公开申请). Registered always (有申请必登记)."""

    agency = models.ForeignKey("core.Agency", verbose_name=_("受理机关"), on_delete=models.PROTECT,
                               related_name="applications")
    number = models.CharField(_("登记号"), max_length=40, unique=True)
    applicant_type = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantType.choices)
    applicant_name = models.CharField(_("申请人"), max_length=120)
    applicant_id_number = models.CharField(_("证件号码/统一社会信用代码"), max_length=40, blank=True)
    applicant_contact = models.CharField(_("联系方式"), max_length=200, blank=True)
    applicant_address = models.CharField(_("通讯地址"), max_length=300, blank=True)
    channel = models.CharField(_("申请渠道"), max_length=20, choices=Channel.choices)
    received_date = models.DateField(
        _("收到申请日期"),
        help_text=_("条例第三十一条：当面提交为提交之日；邮寄为签收之日；网上或传真为双方确认之日"),
    )
    content = models.TextField(_("申请内容"))
    purpose = models.TextField(_("申请用途"), blank=True)
    item_count = models.PositiveIntegerField(_("件数"), default=1,
                                             help_text=_("按件计收信息处理费时本申请计为几件"))
    status = FSMField(_("状态"), max_length=30, choices=AppStatus.choices, default=AppStatus.PROCESSING,
                      protected=True)
    outcome = models.CharField(_("办理结果"), max_length=40, choices=Outcome.choices, blank=True)
    replied_date = models.DateField(_("答复（办结）日期"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                      related_name="+")
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    # Deadline (条例第三十三条). clock_start is the receipt date, or the supplement's (第三十条).
    reply_working_days = models.PositiveIntegerField(_("答复期限（工作日）"))
    clock_start = models.DateField(_("起算日"))
    due_date = models.DateField(_("答复截止日"), null=True, blank=True)
    due_provisional = models.BooleanField(_("期限为暂定"), default=False,
                                          help_text=_("期限跨入尚未录入节假日安排的年份，仅按周末计算"))
    deadline_calc = models.JSONField(_("期限计算过程"), default=dict, blank=True)

    # 补正 (条例第三十条)
    supplement_due_date = models.DateField(_("补正告知截止日"), null=True, blank=True)
    supplement_requested_date = models.DateField(_("发出补正通知日期"), null=True, blank=True)
    supplement_request = models.TextField(_("补正事项"), blank=True)
    supplement_applicant_due = models.DateField(_("补正期限"), null=True, blank=True)
    supplement_received_date = models.DateField(_("收到补正日期"), null=True, blank=True)
    supplement_text = models.TextField(_("补正内容"), blank=True)

    # 延期 (条例第三十三条第二款): one extension, approved by the head of the disclosure office.
    extension_status = models.CharField(_("延期"), max_length=10, choices=ExtensionStatus.choices, blank=True)
    extension_days_requested = models.PositiveIntegerField(_("申请延长工作日"), default=0)
    extension_days = models.PositiveIntegerField(_("已批准延长工作日"), default=0)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    extension_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                               on_delete=models.PROTECT, related_name="+")
    extension_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("批准人"), null=True,
                                             blank=True, on_delete=models.PROTECT, related_name="+")
    extension_decided_date = models.DateField(_("批准日期"), null=True, blank=True)

    # 信息处理费 (国办函〔2020〕109号)
    fee_method = models.CharField(_("收费方式"), max_length=20, choices=FeeMethod.choices, blank=True)
    fee_units = models.PositiveIntegerField(_("计费数量（件/页）"), default=0)
    fee_prior_items = models.PositiveIntegerField(_("当月此前已申请件数"), default=0)
    fee_amount = models.DecimalField(_("收费金额（元）"), max_digits=10, decimal_places=2, default=0)
    fee_calc = models.JSONField(_("收费计算过程"), default=dict, blank=True)
    fee_notice_date = models.DateField(_("收费通知日期"), null=True, blank=True)
    fee_due_date = models.DateField(_("缴费截止日"), null=True, blank=True)
    fee_paid_date = models.DateField(_("缴费日期"), null=True, blank=True)

    # 条例第二十九条: the form and the way the applicant wants the information.
    delivery_form = models.CharField(_("信息提供形式"), max_length=20, choices=DeliveryForm.choices, blank=True)
    delivery_way = models.CharField(_("获取信息方式"), max_length=20, choices=DeliveryWay.choices, blank=True)

    # 条例第三十五条: excessive number or frequency of applications.
    excessive_reason = models.TextField(_("认定申请数量、频次明显超过合理范围的理由"), blank=True)
    excessive_marked_date = models.DateField(_("要求说明理由日期"), null=True, blank=True)
    excessive_explanation = models.TextField(_("申请人说明的理由"), blank=True)
    excessive_explained_date = models.DateField(_("收到说明日期"), null=True, blank=True)
    excessive_decision = models.CharField(_("第三十五条处理"), max_length=20, choices=ExcessiveDecision.choices,
                                          blank=True)
    excessive_later_date = models.DateField(_("确定的延迟答复期限"), null=True, blank=True)

    # Imported from the office's ledger (登记台账): the rows' real dates; who imported it is in the audit trail.
    imported = models.BooleanField(_("由台账导入"), default=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-received_date", "-pk"]
        indexes = [
            models.Index(fields=["agency", "received_date"]),
            models.Index(fields=["agency", "replied_date"]),
            models.Index(fields=["status", "due_date"]),
        ]

    def __str__(self):
        return f"{self.number} {self.applicant_name}"

    @property
    def applicant_key(self):
        """Who "the same applicant" is when counting items per calendar month."""
        return (self.applicant_id_number or self.applicant_name).strip().upper()

    @property
    def is_open(self):
        return self.status != AppStatus.CLOSED

    def current_reply(self):
        return self.replies.order_by("-version").first()


class Pause(models.Model):
    """A period that does not count toward the reply period (条例第三十三条第三款; 国办函〔2020〕109号)."""

    class Kind(models.TextChoices):
        THIRD_PARTY = "third_party", _("征求第三方意见")
        OTHER_AGENCY = "other_agency", _("征求其他机关意见")
        FEE = "fee", _("等待缴纳信息处理费")
        EXPLANATION = "explanation", _("等待申请人说明理由（第三十五条）")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    party = models.CharField(_("征求对象"), max_length=200, blank=True)
    started = models.DateField(_("开始日期"))
    limit_days = models.PositiveIntegerField(_("期限（工作日）"))
    limit_date = models.DateField(_("期限届满日"))
    ended = models.DateField(_("结束日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    opinion = models.TextField(_("意见"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("期限中止")
        verbose_name_plural = _("期限中止")
        ordering = ["started", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.started}–{self.ended or self.limit_date}"

    @property
    def effective_end(self):
        # A consultee has 15 working days (第三十二条、第三十四条); time beyond that is the agency's own.
        # An open pause is assumed to run to its limit (the due date shown is then the latest possible).
        if self.ended is None:
            return self.limit_date
        return min(self.ended, self.limit_date)


class Reply(models.Model):
    """A reply document (答复书) of one outcome: drafted, legal review, sign-off, delivered, archived."""

    class Status(models.TextChoices):
        LEGAL_REVIEW = "legal_review", _("待合法性审查")
        SIGN_OFF = "sign_off", _("待签发")
        APPROVED = "approved", _("已签发待送达")
        RETURNED = "returned", _("已退回")
        DELIVERED = "delivered", _("已送达归档")

    class DeliveryMethod(models.TextChoices):
        IN_PERSON = "in_person", _("当面领取")
        POST = "post", _("邮寄")
        EMAIL = "email", _("电子邮件")
        ONLINE = "online", _("网上送达")
        FAX = "fax", _("传真")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="replies")
    version = models.PositiveIntegerField(_("稿次"))
    outcome = models.CharField(_("办理结果"), max_length=40, choices=Outcome.choices)
    body = models.TextField(_("答复书正文"))
    disclosed_text = models.TextField(_("提供的信息内容"), blank=True)
    disclosed_text_masked = models.TextField(_("区分处理后的信息内容"), blank=True)
    mask_count = models.PositiveIntegerField(_("遮盖处数"), default=0)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.LEGAL_REVIEW)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(_("起草时间"))
    legal_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    legal_at = models.DateTimeField(null=True, blank=True)
    legal_comment = models.TextField(_("合法性审查意见"), blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    sign_comment = models.TextField(_("签发意见"), blank=True)
    delivery_method = models.CharField(_("送达方式"), max_length=20, choices=DeliveryMethod.choices, blank=True)
    delivered_date = models.DateField(_("送达日期"), null=True, blank=True)
    delivery_note = models.CharField(_("送达记录"), max_length=300, blank=True,
                                     help_text=_("如邮件单号、签收人"))
    archive_number = models.CharField(_("归档号"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("答复书")
        verbose_name_plural = _("答复书")
        ordering = ["application", "version"]
        constraints = [models.UniqueConstraint(fields=["application", "version"], name="uniq_reply_version")]

    def __str__(self):
        return f"{self.application.number} 第{self.version}稿"

    @property
    def text_for_applicant(self):
        """What the applicant receives as information: the masked text for a partial disclosure."""
        if self.outcome == Outcome.PARTIAL:
            return self.disclosed_text_masked
        return self.disclosed_text


class Reminder(models.Model):
    """A reminder sent by the scheduler; unique per application, kind and day so ticks do not repeat."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("即将到期")
        OVERDUE = "overdue", _("已超期")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    on_date = models.DateField()
    due_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("期限提醒")
        verbose_name_plural = _("期限提醒")
        constraints = [models.UniqueConstraint(fields=["application", "kind", "on_date"], name="uniq_reminder")]

    def __str__(self):
        return f"{self.application_id} {self.kind} {self.on_date}"


# --- administrative reconsideration and litigation (annual report table 四) ---------------------

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

    agency = models.ForeignKey("core.Agency", verbose_name=_("被申请（被告）机关"), on_delete=models.PROTECT,
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


# --- online applications (在线申请) ------------------------------------------------------------------

def id_document_path(instance, filename):
    # A random name outside any public folder: the file is served only to the agency's handlers.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"private/disclosure/id/{instance.agency_id}/{secrets.token_hex(16)}.{ext}"


class OnlineApplication(models.Model):
    """An application submitted on the public site, waiting for the office to confirm receipt (条例第三十一条:
    online, the receipt date is the day both sides confirm). Confirming registers the Application."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待确认收到")
        CONFIRMED = "confirmed", _("已确认收到并登记")

    class IdType(models.TextChoices):
        ID_CARD = "id_card", _("居民身份证")
        PASSPORT = "passport", _("护照")
        HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
        TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
        CREDIT_CODE = "credit_code", _("统一社会信用代码")
        OTHER = "other", _("其他证件")

    agency = models.ForeignKey("core.Agency", verbose_name=_("受理机关"), on_delete=models.PROTECT,
                               related_name="online_applications")
    number = models.CharField(_("申请编号"), max_length=30, unique=True)
    query_code_hash = models.CharField(_("查询码摘要"), max_length=200)
    applicant_type = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantType.choices)
    applicant_name = models.CharField(_("姓名/名称"), max_length=120)
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices)
    id_number = models.CharField(_("证件号码"), max_length=40)
    legal_representative = models.CharField(_("法定代表人/负责人"), max_length=60, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), max_length=120, blank=True)
    address = models.CharField(_("通讯地址"), max_length=300, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    content = models.TextField(_("所需信息的名称、文号或者便于查询的其他特征性描述"))
    purpose = models.TextField(_("申请用途"), blank=True)
    delivery_form = models.CharField(_("信息提供形式"), max_length=20, choices=DeliveryForm.choices)
    delivery_way = models.CharField(_("获取信息方式"), max_length=20, choices=DeliveryWay.choices)
    id_document = models.FileField(_("身份证明材料"), upload_to=id_document_path, max_length=200)
    id_document_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    submitted_ip = models.GenericIPAddressField(_("提交地址"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    application = models.OneToOneField(Application, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="online")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    confirmed_date = models.DateField(_("确认收到日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("在线申请")
        verbose_name_plural = _("在线申请")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self):
        return self.number


# --- letters (答复书、告知书) -------------------------------------------------------------------------

class LetterTemplate(models.Model):
    """An office's wording of one kind of letter; agency None = the system default (disclosure.letters)."""

    agency = models.ForeignKey("core.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("文书类型"), max_length=40, help_text=_("办理结果代码或告知书类型"))
    title = models.CharField(_("标题"), max_length=100)
    basis = models.CharField(_("法律依据"), max_length=300)
    body = models.TextField(_("正文模板"), help_text=_("可用占位符见页面说明，如 {申请人}、{收到日期}"))
    number_prefix = models.CharField(_("文号前缀"), max_length=40, blank=True,
                                     help_text=_("如“宁府办依申请”，文号为 前缀〔年份〕序号号"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        constraints = [models.UniqueConstraint(fields=["agency", "key"], name="uniq_letter_template")]

    def __str__(self):
        return f"{self.key} {self.title}"


class LetterSeries(models.Model):
    """The gapless 文号 series of one agency and year; its row is locked while a number is taken."""

    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("文号序列")
        verbose_name_plural = _("文号序列")
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="uniq_letter_series")]

    def __str__(self):
        return f"{self.agency_id}/{self.year}: {self.last}"


class Letter(models.Model):
    """One written document to the applicant (答复书 or 告知书), numbered, rendered as PDF and DOCX, archived
    with the application. A reply letter is numbered at sign-off; a notice when its action is taken."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="letters")
    reply = models.OneToOneField(Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="letter")
    kind = models.CharField(_("文书类型"), max_length=20, choices=LetterKind.choices)
    key = models.CharField(_("模板"), max_length=40)
    title = models.CharField(_("标题"), max_length=100)
    basis = models.CharField(_("法律依据"), max_length=300)
    body = models.TextField(_("正文"))
    year = models.PositiveIntegerField(null=True, blank=True)
    serial = models.PositiveIntegerField(null=True, blank=True)
    doc_number = models.CharField(_("文号"), max_length=80, blank=True)
    issued_date = models.DateField(_("成文日期"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="private/disclosure/letters/", max_length=200, blank=True)
    docx = models.FileField(_("DOCX"), upload_to="private/disclosure/letters/", max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("答复书/告知书")
        verbose_name_plural = _("答复书/告知书")
        ordering = ["application", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "kind", "key", "reply"],
                                               name="uniq_letter_per_event")]
        indexes = [models.Index(fields=["year", "serial"])]

    def __str__(self):
        return self.doc_number or self.title

    @property
    def is_issued(self):
        return bool(self.doc_number)


class ImportBatch(models.Model):
    """One import of the office's ledger (applications or appeal cases); the file's SHA-256 names it."""

    class Kind(models.TextChoices):
        APPLICATIONS = "applications", _("政府信息公开申请")
        APPEALS = "appeals", _("行政复议、行政诉讼案件")

    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("文件SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("行数"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("台账导入")
        verbose_name_plural = _("台账导入")
        ordering = ["-imported_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.file_name}"
