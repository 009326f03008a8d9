"""Forms for the request pages. They only shape input; every rule is checked by disclosure.actions."""
from django import forms

from disclosure.codes import ApplicantType, Outcome
from disclosure.models import Channel, FeeMethod, Pause, Reply

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
    body = forms.CharField(label="答复书正文", widget=forms.Textarea(attrs={"rows": 8}))
    disclosed_text = forms.CharField(label="提供的信息内容（部分公开时必填，系统自动遮盖个人信息）",
                                     widget=forms.Textarea(attrs={"rows": 5}), required=False)


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(label="送达方式", choices=Reply.DeliveryMethod.choices)
    delivered_date = forms.DateField(label="送达日期", widget=DATE)
    note = forms.CharField(label="送达记录（邮件单号、签收人等）", max_length=300, required=False)
