"""Django admin (Chinese): agencies, people and their roles, categories, review policies; items read-only.

Items change only through the actions (revisions, review, audit), so the admin shows them but never edits."""
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core.models import Agency, Membership

from .models import Category, Information, ReviewPolicy, WordingRule
from .models.review import Step

User = get_user_model()


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["agency"]
    verbose_name = "机构角色"
    verbose_name_plural = "机构角色"


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "parent_may_review", "is_active"]
    list_filter = ["kind", "is_active", "parent_may_review"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    inlines = [AgencyMembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
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


class ReviewPolicyForm(forms.ModelForm):
    class Meta:
        model = ReviewPolicy
        fields = ["name", "agency", "info_type", "steps", "allow_same_reviewer", "allow_same_proofreader",
                  "allow_proofreader_review", "is_active"]
        help_texts = {"steps": "按顺序列出步骤代码（JSON 数组）。可用代码：" + "，".join(
            f"{s.value}（{s.label}）" for s in Step)}

    def clean_steps(self):
        steps = self.cleaned_data.get("steps")
        if not isinstance(steps, list) or not steps or not all(isinstance(s, str) for s in steps):
            raise forms.ValidationError("审核步骤须为非空的步骤代码列表，如 [\"first_review\", \"secrecy_review\"]")
        unknown = [s for s in steps if s not in Step.values]
        if unknown:
            raise forms.ValidationError(f"未知的步骤代码：{'、'.join(unknown)}。可用代码：{'、'.join(Step.values)}")
        if len(set(steps)) != len(steps):
            raise forms.ValidationError("同一步骤不能重复出现")
        if Step.SECRECY_REVIEW not in steps:
            raise forms.ValidationError("审核步骤必须包含保密审查（secrecy_review）：所有公开信息须经保密审查")
        return steps


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(admin.ModelAdmin):
    form = ReviewPolicyForm
    list_display = ["name", "agency", "info_type", "step_list", "allow_same_reviewer", "allow_same_proofreader",
                    "allow_proofreader_review", "is_active"]
    list_filter = ["is_active", "info_type"]

    @admin.display(description="审核步骤")
    def step_list(self, obj):
        try:
            return " → ".join(obj.step_labels())
        except ValueError:
            return str(obj.steps)


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
