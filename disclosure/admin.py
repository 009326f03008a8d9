"""Admin: the holiday calendar is edited here (a year and its days); saving recomputes running deadlines.
Applications are read-only here: they change only through disclosure.actions."""
from django.contrib import admin, messages

from core.models import CalendarDay, CalendarYear

from . import actions
from .models import Application, Pause, Reply


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 5
    fields = ("date", "kind", "name")


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "holiday_count", "workday_count", "updated_at")
    inlines = [CalendarDayInline]
    actions = ["recompute"]

    @admin.display(description="节假日天数")
    def holiday_count(self, obj):
        return obj.days.filter(kind=CalendarDay.Kind.HOLIDAY).count()

    @admin.display(description="调休上班天数")
    def workday_count(self, obj):
        return obj.days.filter(kind=CalendarDay.Kind.WORKDAY).count()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The whole admin save is one transaction (ModelAdmin.changeform_view is atomic).
        changed = actions.calendar_changed(actor=request.user, year=form.instance.year,
                                           note="管理后台修改节假日安排")
        messages.info(request, f"已重新计算进行中的答复期限，{changed} 件申请的期限发生变化")

    def delete_model(self, request, obj):
        year = obj.year
        super().delete_model(request, obj)
        changed = actions.calendar_changed(actor=request.user, year=year, note="管理后台删除节假日安排")
        messages.info(request, f"已重新计算进行中的答复期限，{changed} 件申请的期限发生变化")

    def delete_queryset(self, request, queryset):
        years = list(queryset.values_list("year", flat=True))
        super().delete_queryset(request, queryset)
        for year in years:
            actions.calendar_changed(actor=request.user, year=year, note="管理后台删除节假日安排")

    @admin.action(description="重新计算所有进行中的答复期限")
    def recompute(self, request, queryset):
        changed = actions.recompute_deadlines(actor=request.user, reason="管理员手动重算")
        messages.info(request, f"{changed} 件申请的期限发生变化")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name", "year")
    list_filter = ("year", "kind")
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        actions.calendar_changed(actor=request.user, year=obj.date.year, note=f"管理后台修改 {obj.date}")

    def delete_model(self, request, obj):
        year = obj.date.year
        super().delete_model(request, obj)
        actions.calendar_changed(actor=request.user, year=year, note=f"管理后台删除 {obj.date}")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnly):
    list_display = ("number", "agency", "applicant_name", "applicant_type", "received_date", "due_date", "status",
                    "outcome", "replied_date")
    list_filter = ("status", "outcome", "applicant_type", "agency")
    search_fields = ("number", "applicant_name", "content")


@admin.register(Reply)
class ReplyAdmin(ReadOnly):
    list_display = ("application", "version", "outcome", "status", "delivered_date", "archive_number")


@admin.register(Pause)
class PauseAdmin(ReadOnly):
    list_display = ("application", "kind", "party", "started", "limit_date", "ended")
