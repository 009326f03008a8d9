"""消息通知: one's notices (newest first, unread marked), mark read, open one, choose channels and digest."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.errors import ShenfaError
from notices import actions, channels
from notices.delivery import preference_of
from notices.models import Notice

from ..errors import not_found

PAGE_SIZE = 30


@login_required
def notice_list(request):
    qs = Notice.objects.filter(recipient=request.user).order_by("-created_at", "-pk")
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notices/list.html", {"page": page, "only_unread": only_unread,
                                                 "unread": actions.unread_count(request.user)})


@login_required
@require_POST
def notice_read(request):
    """Mark the ticked notices (or, with "all", every unread one) as read."""
    if request.POST.get("all"):
        count = actions.mark_read(actor=request.user)
    else:
        ids = [int(i) for i in request.POST.getlist("notice") if i.isdigit() and len(i) < 12][:200]
        count = actions.mark_read(actor=request.user, notice_ids=ids)
    messages.success(request, f"已将 {count} 条消息标为已读")
    return redirect("notices:list")


@login_required
@require_POST
def notice_open(request, pk):
    """Mark one notice read and go to what it is about."""
    notice = Notice.objects.filter(recipient=request.user, pk=pk).first()
    if notice is None:
        raise not_found()
    actions.mark_read(actor=request.user, notice_ids=[notice.pk])
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts={request.get_host()}):
        return redirect(notice.url)
    return redirect("notices:list")


class PreferenceForm(forms.Form):
    channels = forms.MultipleChoiceField(label="除站内消息外，另通过以下渠道通知我", required=False,
                                         widget=forms.CheckboxSelectMultiple)
    digest = forms.BooleanField(label="每日汇总：站外渠道每天只发送一次汇总", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channels"].choices = [
            (name, c.label + ("" if c.available(user) or name != "email" else "（未登记邮箱）"))
            for name, c in channels.configured().items()]


@login_required
def notice_settings(request):
    wanted, digest = preference_of(request.user)
    form = PreferenceForm(request.POST or None, user=request.user, initial={"channels": wanted, "digest": digest})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.set_preference(actor=request.user, channel_names=form.cleaned_data["channels"],
                                       digest=form.cleaned_data["digest"])
            except ShenfaError as exc:
                form.add_error("channels", exc.message)
            else:
                messages.success(request, "通知设置已保存")
                return redirect("notices:settings")
        status = 400
    return render(request, "notices/settings.html", {"form": form}, status=status)
