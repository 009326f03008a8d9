"""Django admin (Chinese): agencies, people and their roles, categories, review policies; items read-only.

Items change only through the actions (revisions, review, audit), so the admin shows them but never edits."""
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from audit import log as audit
from core.models import Agency, Membership

from . import policies
from .models import Category, Information, InfoType, ReviewPolicy, WordingRule
from .models.review import Step

User = get_user_model()


# --- audit of configuration changes made in the admin ------------------------------------------------

MEMBERSHIP_FIELDS = ("user", "agency", "role")
POLICY_FIELDS = ("name", "agency", "info_type", "steps", "allow_same_reviewer", "allow_same_proofreader",
                 "allow_proofreader_review", "is_active")


def snapshot(obj, fields) -> dict:
    """The audited fields of `obj` as plain JSON values (foreign keys by id and name)."""
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.is_relation:
            related = getattr(obj, name, None)
            out[name] = {"id": related.pk, "name": str(related)} if related is not None else None
        else:
            out[name] = getattr(obj, name)
    return out


def audit_admin_change(*, actor, obj, verb: str, old: dict | None, new: dict | None) -> None:
    """Write the audit record of one admin change (the admin's change and delete views are atomic)."""
    kind = obj._meta.model_name
    prefix = "org.membership" if kind == "membership" else f"workflow.{kind}"
    agency = getattr(obj, "agency", None)
    changed = sorted(k for k in (new or old or {}) if (old or {}).get(k) != (new or {}).get(k))
    audit.record(action=f"{prefix}.{verb}", actor=actor, agency=agency, subject=obj,
                 data={"old": old, "new": new, "changed": changed, "via": "admin"})


class AuditedAdminMixin:
    """Every save and delete in this admin writes an audit record (old and new values)."""

    audited_fields: tuple = ()

    def _old(self, obj):
        if obj.pk is None:
            return None
        previous = type(obj).objects.filter(pk=obj.pk).first()
        return snapshot(previous, self.audited_fields) if previous is not None else None

    def save_model(self, request, obj, form, change):
        old = self._old(obj)
        super().save_model(request, obj, form, change)
        audit_admin_change(actor=request.user, obj=obj, verb="change" if old else "create", old=old,
                           new=snapshot(obj, self.audited_fields))

    def delete_model(self, request, obj):
        old = snapshot(obj, self.audited_fields)
        audit_admin_change(actor=request.user, obj=obj, verb="delete", old=old, new=None)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit_admin_change(actor=request.user, obj=obj, verb="delete",
                                   old=snapshot(obj, self.audited_fields), new=None)
            super().delete_queryset(request, queryset)


class AuditedMembershipInlinesMixin:
    """Membership rows edited inline (on a person or an agency) are audited like the Membership admin."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        olds = {}
        for f in formset.forms:
            if f.instance.pk is not None:
                previous = Membership.objects.filter(pk=f.instance.pk).first()
                if previous is not None:
                    olds[previous.pk] = snapshot(previous, MEMBERSHIP_FIELDS)
        deleted = [(obj, olds.get(obj.pk) or snapshot(obj, MEMBERSHIP_FIELDS))
                   for obj in (f.instance for f in formset.deleted_forms) if obj.pk is not None]
        for obj, old in deleted:
            audit_admin_change(actor=request.user, obj=obj, verb="delete", old=old, new=None)
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit_admin_change(actor=request.user, obj=obj, verb="create", old=None,
                               new=snapshot(obj, MEMBERSHIP_FIELDS))
        for obj, _changed in formset.changed_objects:
            audit_admin_change(actor=request.user, obj=obj, verb="change", old=olds.get(obj.pk),
                               new=snapshot(obj, MEMBERSHIP_FIELDS))
        return None


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["agency"]
    verbose_name = "机构角色"
    verbose_name_plural = "机构角色"


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(AuditedMembershipInlinesMixin, BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "is_active", "is_staff", "roles"]

    @admin.display(description="机构角色")
    def roles(self, obj):
        return "；".join(f"{m.agency.name}·{m.get_role_display()}" for m in obj.memberships.select_related("agency"))


class AgencyMembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    verbose_name = "人员角色"
    verbose_name_plural = "本机构人员角色"


@admin.register(Agency)
class AgencyAdmin(AuditedMembershipInlinesMixin, admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "parent_may_review", "is_active"]
    list_filter = ["kind", "is_active", "parent_may_review"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    inlines = [AgencyMembershipInline]


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audited_fields = MEMBERSHIP_FIELDS
    list_display = ["user", "agency", "role"]
    list_filter = ["role", "agency"]
    search_fields = ["user__username", "user__first_name", "agency__name"]
    autocomplete_fields = ["user", "agency"]


@admin.register(WordingRule)
class WordingRuleAdmin(admin.ModelAdmin):
    list_display = ["pattern", "suggestion", "category", "agency", "is_active"]
    list_filter = ["category", "is_active", "agency"]
    search_fields = ["pattern", "suggestion"]
    autocomplete_fields = ["agency"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "parent", "sort", "cleanup_interval_days"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    list_editable = ["sort"]


STEP_SLOTS = len(Step.choices)
STEP_BLANK = [("", "—（不选）")]


class StepSequenceWidget(forms.MultiWidget):
    """One select per position (第1步 … 第8步), each offering the catalogue of step kinds: no JSON to type."""

    template_name = "workflow/widgets/step_sequence.html"

    def __init__(self, attrs=None):
        super().__init__([forms.Select(choices=STEP_BLANK + list(Step.choices)) for _ in range(STEP_SLOTS)], attrs)

    def decompress(self, value):
        steps = list(value or []) if isinstance(value, list) else []
        return (steps + [""] * STEP_SLOTS)[:STEP_SLOTS]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for position, sub in enumerate(context["widget"]["subwidgets"], start=1):
            sub["position"] = position
        return context


class StepSequenceField(forms.MultiValueField):
    """The ordered steps, as chosen in the selects; gaps are closed, the model's clean() validates the rest."""

    widget = StepSequenceWidget

    def __init__(self, **kwargs):
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs.pop("max_length", None)
        fields = [forms.ChoiceField(choices=STEP_BLANK + list(Step.choices), required=False)
                  for _ in range(STEP_SLOTS)]
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        return [s for s in (data_list or []) if s]

    def has_changed(self, initial, data):
        return (initial or []) != self.compress(self.clean(data) if data else [])


class ReviewPolicyForm(forms.ModelForm):
    steps = StepSequenceField(label="审核步骤", required=False,
                              help_text="按办理顺序在各位置选择步骤（空位会被跳过）；必须包含保密审查，同一步骤不能重复。")

    class Meta:
        model = ReviewPolicy
        fields = ["name", "agency", "info_type", "steps", "allow_same_reviewer", "allow_same_proofreader",
                  "allow_proofreader_review", "is_active"]

    def clean_steps(self):
        # An empty choice must reach ReviewPolicy.clean() as [] (its message), not as "required".
        return self.cleaned_data.get("steps") or []


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = ReviewPolicyForm
    audited_fields = POLICY_FIELDS
    list_display = ["name", "agency", "info_type", "step_list", "allow_same_reviewer", "allow_same_proofreader",
                    "allow_proofreader_review", "is_active"]
    list_filter = ["is_active", "info_type"]
    readonly_fields = ["coverage"]
    change_list_template = "admin/workflow/reviewpolicy/change_list.html"

    @admin.display(description="审核步骤")
    def step_list(self, obj):
        return " → ".join(obj.step_labels())

    @admin.display(description="实际适用范围")
    def coverage(self, obj):
        rows = policies.coverage(obj) if obj and obj.pk else []
        if not rows:
            return "（保存并启用后显示；或已被更具体的策略全部覆盖）" if obj and obj.pk else "（保存后显示）"
        return format_html_join(mark_safe("<br>"), "{}·{}", ((a.name, kind) for a, kind in rows))

    def get_urls(self):
        return [path("resolve/", self.admin_site.admin_view(self.resolve_view), name="workflow_reviewpolicy_resolve"),
                *super().get_urls()]

    def resolve_view(self, request):
        """Which policy wins for a given agency and information type."""
        form = PolicyResolveForm(request.GET or None)
        result = None
        if form.is_valid():
            result = policies.effective(form.cleaned_data["agency"], form.cleaned_data["info_type"])
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "result": result, "title": "查询适用的审核策略"}
        return TemplateResponse(request, "admin/workflow/reviewpolicy/resolve.html", context)


class PolicyResolveForm(forms.Form):
    agency = forms.ModelChoiceField(label="机构", queryset=Agency.objects.filter(is_active=True).order_by("name"))
    info_type = forms.ChoiceField(label="信息类型", choices=InfoType.choices)


@admin.register(Information)
class InformationAdmin(admin.ModelAdmin):
    """Read-only: items, their status and revisions change only through the review actions."""

    list_display = ["title", "agency", "info_type", "status", "index_number", "online", "published_at"]
    list_filter = ["status", "info_type", "online", "agency"]
    search_fields = ["title", "doc_number", "index_number"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
