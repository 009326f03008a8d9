"""Forms for the request pages. They only shape input; every rule is checked by disclosure.actions."""
from django import forms

from disclosure.codes import ApplicantType, Outcome
from disclosure.models import Channel, DeliveryForm, DeliveryWay, FeeMethod, OnlineApplication, Pause, Reply

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegisterForm(forms.Form):
    agency = forms.ChoiceField(label="受理机关")
    applicant_type = forms.ChoiceField(label="申请人类型", choices=ApplicantType.choices)
    applicant_name = forms.CharField(label="申请人姓名/名称", max_length=120)
    applicant_id_number = forms.CharField(label="证件号码/统一社会信用代码", max_length=40, required=False)
    applicant_contact = forms.CharField(label="联系方式", max_length=200, required=False)
    applicant_address = forms.CharField(label="通讯地址", max_length=300, required=False)
    channel = forms.ChoiceField(label="申请渠道", choices=Channel.choices)
    received_date = forms.DateField(label="收到申请日期", widget=DATE,
                                    help_text="条例第三十一条：当面提交为提交之日；邮寄为签收之日；网上或传真为双方确认之日")
    content = forms.CharField(label="申请内容", widget=forms.Textarea)
    purpose = forms.CharField(label="申请用途", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    item_count = forms.IntegerField(label="件数", min_value=1, initial=1)

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.pk, a.name) for a in agencies]


class SupplementRequestForm(forms.Form):
    requested_date = forms.DateField(label="补正通知日期", widget=DATE)
    items = forms.CharField(label="需要补正的事项", widget=forms.Textarea(attrs={"rows": 3}))
    applicant_due = forms.DateField(label="补正期限", widget=DATE)


class SupplementReceivedForm(forms.Form):
    received_date = forms.DateField(label="收到补正日期", widget=DATE)
    text = forms.CharField(label="补正内容", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    late_reason = forms.CharField(label="逾期补正的正当理由（如有）", required=False)


class ConsultationForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=[(k, v) for k, v in Pause.Kind.choices if k != Pause.Kind.FEE])
    party = forms.CharField(label="征求意见对象", max_length=200)
    sent_date = forms.DateField(label="发出征求意见日期", widget=DATE)
    note = forms.CharField(label="说明", required=False)


class ConsultationEndForm(forms.Form):
    pause = forms.IntegerField(widget=forms.HiddenInput)
    received_date = forms.DateField(label="收到意见日期", widget=DATE)
    opinion = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label="延长工作日数", min_value=1)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="决定", choices=[("approve", "同意"), ("return", "不同意/退回")])
    comment = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    @property
    def approve(self):
        return self.cleaned_data["decision"] == "approve"


class FeeNoticeForm(forms.Form):
    method = forms.ChoiceField(label="收费方式", choices=[(k, v) for k, v in FeeMethod.choices if k])
    pages = forms.IntegerField(label="页数（按量计收）", min_value=1, required=False)
    notice_date = forms.DateField(label="收费通知日期", widget=DATE)


class FeePaidForm(forms.Form):
    paid_date = forms.DateField(label="缴费日期", widget=DATE)


class ReplyForm(forms.Form):
    outcome = forms.ChoiceField(label="办理结果", choices=Outcome.choices)
    body = forms.CharField(label="答复书正文（不填则按本机关该办理结果的文书模板生成，含法律依据和救济途径）",
                           widget=forms.Textarea(attrs={"rows": 8}), required=False, max_length=20000)
    disclosed_text = forms.CharField(label="提供的信息内容（部分公开时必填，系统自动遮盖个人信息）",
                                     widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=20000)
    withheld = forms.CharField(label="不予公开的部分及理由（部分公开时必填）", required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    responsible_agency = forms.CharField(label="负责公开该信息的机关及联系方式（本机关不掌握时填写）", required=False,
                                         max_length=300)


class ExcessiveForm(forms.Form):
    reason = forms.CharField(label="认定申请数量、频次明显超过合理范围的理由", widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000)
    asked_date = forms.DateField(label="要求说明理由日期", widget=DATE)
    explanation_due = forms.DateField(label="申请人说明理由的期限", widget=DATE)


class ExcessiveDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="处理", choices=[("later", "理由合理，确定延迟答复期限"),
                                                       ("refused", "理由不合理（或逾期未说明），不予处理")])
    explanation = forms.CharField(label="申请人说明的理由", widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  max_length=5000)
    decided_date = forms.DateField(label="处理日期", widget=DATE)
    later_date = forms.DateField(label="确定的延迟答复期限（理由合理时）", widget=DATE, required=False)


class ConfirmReceiptForm(forms.Form):
    received_date = forms.DateField(label="确认收到日期（条例第三十一条，答复期限自此起算）", widget=DATE)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="台账类型", choices=[("applications", "政府信息公开申请"),
                                                     ("appeals", "行政复议、行政诉讼案件")])
    agency = forms.ChoiceField(label="机关")
    file = forms.FileField(label="文件（从本页下载的 XLSX 或 CSV 模板）")

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.pk, a.name) for a in agencies]


class LetterTemplateForm(forms.Form):
    title = forms.CharField(label="标题", max_length=100)
    basis = forms.CharField(label="法律依据", max_length=300)
    body = forms.CharField(label="正文模板", widget=forms.Textarea(attrs={"rows": 10}), max_length=10000)
    number_prefix = forms.CharField(label="文号前缀（如“宁府办依申请”）", max_length=40, required=False)


class OnlineApplicationForm(forms.Form):
    """条例第二十九条: who applies (with identity data and contact), what they ask for, in what form and way."""

    agency = forms.ChoiceField(label="受理机关")
    applicant_type = forms.ChoiceField(label="申请人类型", choices=ApplicantType.choices)
    applicant_name = forms.CharField(label="姓名（自然人）或名称（法人、其他组织）", max_length=120)
    id_type = forms.ChoiceField(label="证件类型", choices=OnlineApplication.IdType.choices)
    id_number = forms.CharField(label="证件号码或统一社会信用代码", max_length=40)
    legal_representative = forms.CharField(label="法定代表人或负责人（法人、其他组织填写）", max_length=60,
                                           required=False)
    contact_person = forms.CharField(label="联系人", max_length=60, required=False)
    phone = forms.CharField(label="联系电话", max_length=30)
    email = forms.CharField(label="电子邮箱", max_length=120, required=False)
    address = forms.CharField(label="通讯地址", max_length=300, required=False)
    postcode = forms.CharField(label="邮政编码", max_length=6, required=False)
    content = forms.CharField(label="所需信息的名称、文号或者便于查询的其他特征性描述", max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 5}))
    purpose = forms.CharField(label="申请用途（选填）", max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    delivery_form = forms.ChoiceField(label="信息提供形式", choices=DeliveryForm.choices, widget=forms.RadioSelect)
    delivery_way = forms.ChoiceField(label="获取信息方式", choices=DeliveryWay.choices, widget=forms.RadioSelect)
    id_document = forms.FileField(
        label="身份证明材料（身份证件或营业执照等的照片或扫描件，JPG、PNG 或 PDF，不超过 5 MB）")
    privacy_consent = forms.BooleanField(label="我已阅读并同意上述个人信息保护告知")

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.pk, a.name) for a in agencies]


class QueryForm(forms.Form):
    number = forms.CharField(label="申请编号", max_length=30)
    code = forms.CharField(label="查询码", max_length=40, widget=forms.PasswordInput(render_value=False))


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(label="送达方式", choices=Reply.DeliveryMethod.choices)
    delivered_date = forms.DateField(label="送达日期", widget=DATE)
    note = forms.CharField(label="送达记录（邮件单号、签收人等）", max_length=300, required=False)
