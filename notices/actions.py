"""What a person does with their notices: mark them read, choose channels and the daily digest."""
from django.db import transaction
from django.utils import timezone

from core.errors import InvalidInput

from . import channels
from .models import Notice, Preference


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


@transaction.atomic
def mark_read(*, actor, notice_ids: list[int] | None = None) -> int:
    """Mark the actor's own notices read (all unread ones when `notice_ids` is None). Returns how many."""
    qs = Notice.objects.filter(recipient=actor, read_at__isnull=True)
    if notice_ids is not None:
        qs = qs.filter(pk__in=notice_ids)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def set_preference(*, actor, channel_names: list[str], digest: bool) -> Preference:
    """Save which channels (besides in-app) the actor wants notices on, and whether as a daily digest."""
    known = channels.configured()
    unknown = [n for n in channel_names if n not in known]
    if unknown:
        raise InvalidInput(f"未知的通知渠道：{'、'.join(unknown)}", en="Unknown channel", field="channels")
    if "email" in channel_names and not actor.email:
        raise InvalidInput("您的账号没有登记电子邮箱，不能选择邮件通知，请联系管理员登记邮箱",
                           en="No e-mail address on file", field="channels")
    # the row is locked so two tabs saving at once leave one consistent choice
    pref, _created = Preference.objects.select_for_update().get_or_create(user=actor)
    pref.channels = [n for n in known if n in channel_names]
    pref.digest = bool(digest)
    pref.save(update_fields=["channels", "digest"])
    return pref
