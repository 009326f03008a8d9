"""Internal pages for publishers and the disclosure office: scheduled list, Art. 26 overdue list, cleanup
tasks and decisions, cleanup campaigns, and the post-publication actions (withdraw, validity).
Thin views: parse the form, call the action, show its Chinese error with the right status."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.errors import NotAllowedForYou, ShenfaError
from core.models import Agency
from publishing import actions
from publishing.models import CleanupTask, DisclosureDeadline
from publishing.permissions import campaigns_for, cleanup_tasks_for, internal_agencies, office_agencies
from workflow import permissions as wf_permissions
from workflow.models import Category, Information, InfoType, ItemStatus, Validity


def _fail(request, exc, template, context):
    messages.error(request, exc.message)
    return render(request, template, context, status=exc.status)


@login_required
def scheduled_list(request):
    items = Information.objects.filter(status=ItemStatus.SCHEDULED, agency_id__in=internal_agencies(request.user))
    return render(request, "publishing/scheduled.html",
                  {"items": items.select_related("agency", "published_by").order_by("publish_at", "pk")})


@login_required
def overdue_list(request):
    """条例第二十六条: unpublished proactive information with its due date; overdue rows first and flagged."""
    agencies = internal_agencies(request.user)
    deadlines = (DisclosureDeadline.objects.filter(item__agency_id__in=agencies, met_on__isnull=True)
                 .select_related("item", "item__agency").order_by("due_date", "item_id"))
    late = (DisclosureDeadline.objects.filter(item__agency_id__in=agencies, met_on__isnull=False)
            .filter(met_on__gt=F("due_date")).select_related("item", "item__agency").order_by("-met_on")[:50])
    today = timezone.localdate()
    return render(request, "publishing/overdue.html", {"deadlines": deadlines, "late": late, "today": today})




# --- cleanup -----------------------------------------------------------------------------------------

@login_required
def cleanup_list(request):
    tasks = cleanup_tasks_for(request.user).select_related("item", "item__agency", "campaign")
    return render(request, "publishing/cleanup_list.html", {
        "open_tasks": tasks.filter(status=CleanupTask.Status.OPEN).order_by("-privacy_flag", "due_date", "pk"),
        "done_tasks": tasks.exclude(status=CleanupTask.Status.OPEN).order_by("-decided_at")[:50],
    })


class KeepForm(forms.Form):
    next_review_date = forms.DateField(label="下次复核日期")
    comment = forms.CharField(label="说明", required=False, widget=forms.Textarea)


class UpdateForm(forms.Form):
    title = forms.CharField(label="名称", max_length=300)
    body = forms.CharField(label="正文", widget=forms.Textarea, required=False)
    note = forms.CharField(label="修改说明", required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="撤回理由", widget=forms.Textarea)


class InvalidForm(forms.Form):
    validity = forms.ChoiceField(label="效力", choices=[(Validity.EXPIRED, "失效"), (Validity.REPEALED, "废止")])
    comment = forms.CharField(label="依据或说明", widget=forms.Textarea)


def _cleanup_context(task, **forms_):
    item = task.item
    return {"task": task, "item": item, "revision": item.published_revision,
            "keep_form": forms_.get("keep") or KeepForm(),
            "update_form": forms_.get("update") or UpdateForm(initial={"title": item.title, "body": item.body}),
            "withdraw_form": forms_.get("withdraw") or ReasonForm(),
            "invalid_form": forms_.get("invalid") or InvalidForm()}


@login_required
def cleanup_detail(request, pk):
    task = get_object_or_404(cleanup_tasks_for(request.user).select_related("item", "item__agency"), pk=pk)
    if request.method != "POST":
        return render(request, "publishing/cleanup_detail.html", _cleanup_context(task))
    decision = request.POST.get("decision")
    form_class = {"keep": KeepForm, "update": UpdateForm, "withdraw": ReasonForm, "invalid": InvalidForm}.get(decision)
    if form_class is None:
        messages.error(request, "请选择处理决定")
        return render(request, "publishing/cleanup_detail.html", _cleanup_context(task), status=400)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, "请检查填写的内容")
        return render(request, "publishing/cleanup_detail.html", _cleanup_context(task, **{decision: form}),
                      status=400)
    data = form.cleaned_data
    try:
        if decision == "keep":
            actions.cleanup_keep(actor=request.user, task=task, next_review_date=data["next_review_date"],
                                 comment=data["comment"])
        elif decision == "update":
            actions.cleanup_update(actor=request.user, task=task, data={"title": data["title"], "body": data["body"]},
                                   note=data["note"])
        elif decision == "withdraw":
            actions.cleanup_withdraw(actor=request.user, task=task, reason=data["reason"])
        else:
            actions.cleanup_mark_invalid(actor=request.user, task=task, validity=data["validity"],
                                         comment=data["comment"])
    except ShenfaError as exc:
        return _fail(request, exc, "publishing/cleanup_detail.html", _cleanup_context(task, **{decision: form}))
    messages.success(request, "已记录清理决定")
    return redirect("publishing:cleanup_list")


# --- campaigns -------------------------------------------------------------------------------------

class CampaignForm(forms.Form):
    name = forms.CharField(label="名称", max_length=200)
    agency = forms.ModelChoiceField(label="范围机构", queryset=Agency.objects.none())
    topic = forms.ModelChoiceField(label="主题分类", required=False,
                                   queryset=Category.objects.filter(kind=Category.Kind.TOPIC))
    info_type = forms.ChoiceField(label="信息类型", required=False, choices=[("", "全部")] + InfoType.choices)
    published_before = forms.DateField(label="发布日期早于", required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=office_agencies(user))


def _progress(campaigns):
    return campaigns.annotate(
        total=Count("tasks"), open=Count("tasks", filter=Q(tasks__status=CleanupTask.Status.OPEN)),
        kept=Count("tasks", filter=Q(tasks__decision=CleanupTask.Decision.KEEP)),
        updated=Count("tasks", filter=Q(tasks__decision=CleanupTask.Decision.UPDATE)),
        withdrawn=Count("tasks", filter=Q(tasks__decision=CleanupTask.Decision.WITHDRAW)),
        invalid=Count("tasks", filter=Q(tasks__decision=CleanupTask.Decision.INVALID)),
        closed=Count("tasks", filter=Q(tasks__status=CleanupTask.Status.CLOSED)),
        flagged=Count("tasks", filter=Q(tasks__privacy_flag=True, tasks__status=CleanupTask.Status.OPEN)),
    )


@login_required
def campaign_list(request):
    form = CampaignForm(request.POST or None, user=request.user)
    context = {"campaigns": _progress(campaigns_for(request.user)).select_related("agency", "started_by"),
               "form": form, "may_start": bool(office_agencies(request.user))}
    if request.method != "POST":
        return render(request, "publishing/campaigns.html", context)
    if not context["may_start"]:
        return _fail(request, NotAllowedForYou("只有政务公开办管理员可以发起清理专项行动"), "publishing/campaigns.html",
                     context)
    if not form.is_valid():
        messages.error(request, "请检查填写的内容")
        return render(request, "publishing/campaigns.html", context, status=400)
    data = form.cleaned_data
    try:
        campaign = actions.start_campaign(actor=request.user, name=data["name"], agency=data["agency"],
                                          topic=data["topic"], info_type=data["info_type"],
                                          published_before=data["published_before"])
    except ShenfaError as exc:
        return _fail(request, exc, "publishing/campaigns.html", context)
    messages.success(request, f"已发起清理专项行动，生成 {campaign.tasks.count()} 项清理任务")
    return redirect("publishing:campaign", pk=campaign.pk)


@login_required
def campaign_detail(request, pk):
    campaign = get_object_or_404(_progress(campaigns_for(request.user)).select_related("agency"), pk=pk)
    tasks = campaign.tasks.select_related("item", "item__agency", "decided_by").order_by(
        "status", "-privacy_flag", "pk")
    done = campaign.total - campaign.open
    percent = round(100 * done / campaign.total) if campaign.total else 100
    return render(request, "publishing/campaign.html", {"campaign": campaign, "tasks": tasks, "percent": percent,
                                                        "done": done})


# --- one published item ------------------------------------------------------------------------------

def _visible_item(request, pk):
    item = get_object_or_404(Information.objects.select_related("agency", "published_revision"), pk=pk)
    if wf_permissions.item_view_denial(request.user, item):
        raise Http404("信息不存在")
    return item


@login_required
def item_manage(request, pk):
    item = _visible_item(request, pk)
    return render(request, "publishing/item_manage.html", {"item": item, "validity_choices": Validity})


@login_required
@require_POST
def item_withdraw(request, pk):
    item = _visible_item(request, pk)
    try:
        actions.withdraw_item(actor=request.user, item=item, reason=request.POST.get("reason", ""))
    except ShenfaError as exc:
        return _fail(request, exc, "publishing/item_manage.html", {"item": item})
    messages.success(request, "已撤回" if item.status != ItemStatus.SCHEDULED else "已取消定时发布")
    return redirect("publishing:item_manage", pk=item.pk)


@login_required
@require_POST
def item_validity(request, pk):
    item = _visible_item(request, pk)
    to = request.POST.get("validity")
    comment = request.POST.get("comment", "")
    try:
        if to == Validity.AMENDED:
            amending = Information.objects.filter(index_number=request.POST.get("amended_by", "").strip()).first()
            actions.mark_amended(actor=request.user, item=item, amended_by=amending, comment=comment)
        elif to == Validity.EXPIRED:
            actions.mark_expired(actor=request.user, item=item, comment=comment)
        elif to == Validity.REPEALED:
            actions.mark_repealed(actor=request.user, item=item, comment=comment)
        else:
            messages.error(request, "请选择效力状态")
            return render(request, "publishing/item_manage.html", {"item": item}, status=400)
    except ShenfaError as exc:
        return _fail(request, exc, "publishing/item_manage.html", {"item": item})
    messages.success(request, "已更新效力状态")
    return redirect("publishing:item_manage", pk=item.pk)
