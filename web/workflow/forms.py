"""Forms of the web UI. They only parse input: every business rule is checked by the action they feed,
whose InvalidInput errors are shown next to the field they name."""
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.models import fields_for_model
from django_prose_editor.widgets import ProseEditorWidget

from core.context import client_ip
from core.throttle import is_locked, locked_message
from workflow.actions import EDITABLE_FIELDS, NewAttachment
from workflow.models import Information, InfoType, ItemStatus, SecrecyResult, Step, WithholdGround
from workflow.models.items import Channel, default_channels

from ..errors import add_form_error


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files; type, size and emptiness are checked by the action (one rule, one message)."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ErrorsFromActionMixin:
    """Put a ShenfaError from an action next to the field it names (or on top of the form)."""

    def add_action_error(self, exc):
        add_form_error(self, exc)


# The body editor (django-prose-editor: ProseMirror, bundled static files, no CDN). Its schema knows only
# these nodes and marks, so a paste from Word/WPS keeps headings, paragraphs, lists, tables and links and
# drops fonts, colours, spans and images; core.sanitize (nh3) cleans the stored HTML again on save.
BODY_EDITOR = {
    "extensions": {
        "Bold": True, "Italic": True, "Underline": True, "Strike": True, "Subscript": True, "Superscript": True,
        "Heading": {"levels": [1, 2, 3, 4]}, "BulletList": True, "OrderedList": True, "ListItem": True,
        "Blockquote": True, "HorizontalRule": True, "HardBreak": True,
        "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
        "Table": True, "TableRow": True, "TableHeader": True, "TableCell": True, "History": True,
    },
}


def body_widget(rows=16):
    return ProseEditorWidget(attrs={"rows": rows, "class": "richtext"}, config=BODY_EDITOR, preset="configurable")


ITEM_WIDGETS = {
    "created_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    "summary": forms.Textarea(attrs={"rows": 3}),
    "body": body_widget(),
}


def bound_like_the_model(form_field, model_field):
    """Give a form field the model field's domain range (core.bounds), checked here and shown to the browser."""
    limits = [v for v in model_field.validators if isinstance(v, (MinValueValidator, MaxValueValidator))]
    if not limits:
        return
    form_field.validators = [*form_field.validators, *limits]
    for v in limits:
        attr = "min" if isinstance(v, MinValueValidator) else "max"
        value = v.limit_value
        form_field.widget.attrs[attr] = value.isoformat() if hasattr(value, "isoformat") else str(value)


class ItemForm(ErrorsFromActionMixin, forms.Form):
    """All catalogue fields of an item, its body and its attachments."""

    attachments = MultipleFileField(label="上传附件", required=False,
                                    help_text="可多选；类型与大小限制见下方说明")
    remove_attachments = forms.MultipleChoiceField(label="删除附件", required=False,
                                                   widget=forms.CheckboxSelectMultiple)
    import_docx = forms.FileField(
        label="从 Word 文档导入正文", required=False, widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
        help_text="选择 .docx 文件：其中的标题、段落、列表和表格将替换上面的正文，图片另存为附件")
    note = forms.CharField(label="修改说明", required=False, max_length=500)
    expected_hash = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, agency, item=None, refused_uploads=(), **kwargs):
        data = args[0] if args else kwargs.get("data")
        if data is not None and hasattr(data, "getlist") and "channels" not in data and data.get("channel"):
            # a client of the form from before 拟公开方式 became multiple choice posts one `channel`
            data = data.copy()
            data.setlist("channels", [data["channel"]])
            args = (data, *args[1:]) if args else args
            if not args:
                kwargs["data"] = data
        super().__init__(*args, **kwargs)
        self.refused_uploads = list(refused_uploads)
        model_fields = fields_for_model(Information, fields=EDITABLE_FIELDS, widgets=ITEM_WIDGETS,
                                        apply_limit_choices_to=True)
        for name, field in model_fields.items():
            bound_like_the_model(field, Information._meta.get_field(name))
        # Model fields first, in catalogue order, then the attachment controls.
        extra = dict(self.fields)
        self.fields = {**model_fields, **extra}
        # 拟公开方式: several may be chosen; the single `channel` follows the first (drafting actions).
        del self.fields["channel"]
        self.fields["channels"] = forms.MultipleChoiceField(
            label="拟公开方式", choices=Channel.choices, widget=forms.CheckboxSelectMultiple,
            help_text="可多选", initial=default_channels(), error_messages={"required": "请至少选择一种拟公开方式"})
        self.fields["display_days"].label = "公示期（工作日）"
        self.fields["display_days"].help_text = "按工作日计算，发布次日起算，节假日不计"
        self.fields["body"].help_text = "可使用段落、标题、列表、表格等格式；保存时将自动清除脚本等不安全内容"
        # A policy one can still interpret: not withdrawn, not withheld (不予公开), not itself an interpretation.
        interprets = (Information.objects.filter(agency=agency).exclude(info_type=InfoType.INTERPRETATION)
                      .exclude(status__in=[ItemStatus.WITHDRAWN, ItemStatus.NOT_DISCLOSED]))
        if item is not None:
            interprets = interprets.exclude(pk=item.pk)
            if item.interprets_id:  # keep the link already made, whatever became of that policy since
                interprets = interprets | Information.objects.filter(pk=item.interprets_id)
        self.fields["interprets"].queryset = interprets
        self.item = item
        if item is None:
            del self.fields["remove_attachments"]
            del self.fields["expected_hash"]
            del self.fields["note"]
        else:
            names = [a.name for a in item.current_revision.attachments.all()] if item.current_revision else []
            self.fields["remove_attachments"].choices = [(n, n) for n in names]
            if not names:
                del self.fields["remove_attachments"]

    def clean(self):
        # Files dropped while streaming (core.uploads): the reason goes next to the attachment field.
        for message in self.refused_uploads:
            self.add_error("attachments", message)
        return super().clean()

    @classmethod
    def initial_for(cls, item):
        data = {name: getattr(item, name) for name in EDITABLE_FIELDS if name != "channel"}
        for name in ("topic", "facet", "interprets"):
            data[name] = getattr(item, f"{name}_id")
        data["channels"] = item.channel_list()
        data["expected_hash"] = item.current_revision.content_hash if item.current_revision else ""
        return data

    def action_data(self):
        """The catalogue fields to pass to the action: all of them for a new item, the changed ones on edit."""
        names = [n for n in EDITABLE_FIELDS if n in self.cleaned_data]
        if self.item is not None:
            names = [n for n in names if n in self.changed_data]
        return {n: self.cleaned_data[n] for n in names}

    def imported_file(self):
        f = self.cleaned_data.get("import_docx")
        return (f.name, f.read()) if f else None

    def new_attachments(self):
        return [NewAttachment(name=f.name, data=f.read(), content_type=getattr(f, "content_type", "") or "")
                for f in self.cleaned_data.get("attachments") or []]


class CommentForm(ErrorsFromActionMixin, forms.Form):
    comment = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    expected_hash = forms.CharField(widget=forms.HiddenInput)


class SecrecyForm(CommentForm):
    # No conclusion is preselected: the reviewer chooses one after reading the findings.
    result = forms.ChoiceField(label="保密审查结论", choices=[("", "——请选择——")] + list(SecrecyResult.choices),
                               error_messages={"required": "请选择保密审查结论"})
    ground = forms.ChoiceField(label="不予公开理由", required=False,
                               choices=[("", "——（仅不予公开时选择）——")] + list(WithholdGround.choices))
    override_ground = forms.CharField(
        label="依法公开的依据", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="预检发现疑似个人隐私等内容但仍需公开时，须写明依据（如：经权利人同意、公共利益需要）")
    acknowledge_warnings = forms.BooleanField(
        label="已核对预检提示", required=False,
        help_text="预检提示（如模板占位文字、已更名的机构名称）已逐条核对")

    def secrecy(self):
        data = {k: self.cleaned_data.get(k) or "" for k in ("result", "ground", "override_ground")}
        data["acknowledge_warnings"] = bool(self.cleaned_data.get("acknowledge_warnings"))
        return data


class ProofreadForm(CommentForm):
    body = forms.CharField(label="正文（校对修改）", required=False, widget=body_widget())
    comment = forms.CharField(label="校对说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(ErrorsFromActionMixin, forms.Form):
    reason = forms.CharField(label="退回理由", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(ErrorsFromActionMixin, forms.Form):
    to_step = forms.ChoiceField(label="退回到", choices=Step.choices)
    reason = forms.CharField(label="退回理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_step"].choices = [(s, Step(s).label) for s in steps]


class PublishForm(ErrorsFromActionMixin, forms.Form):
    at = forms.DateTimeField(label="定时发布时间", required=False,
                             widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                             input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
                             help_text="留空则立即发布")


class WithdrawForm(ErrorsFromActionMixin, forms.Form):
    reason = forms.CharField(label="撤回理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ItemFilterForm(forms.Form):
    q = forms.CharField(label="名称或文号", required=False)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + list(ItemStatus.choices))
    info_type = forms.ChoiceField(label="信息类型", required=False, choices=[("", "全部")] + list(InfoType.choices))
    agency = forms.TypedChoiceField(label="机构", required=False, coerce=int, empty_value=None)
    mine = forms.BooleanField(label="仅我起草的", required=False)
    overdue = forms.BooleanField(label="仅逾期", required=False)

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "全部")] + [(a.pk, a.name) for a in agencies]


class ThrottledAuthenticationForm(AuthenticationForm):
    """The log-in form, saying plainly when a user name is locked after too many failures."""

    def clean(self):
        if is_locked(self.cleaned_data.get("username"), client_ip(self.request) if self.request else None):
            raise forms.ValidationError(locked_message(), code="throttled")
        return super().clean()
