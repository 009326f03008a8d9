"""索引号 allocation: `<agency code>/<period>-<serial>`, unique, gapless per agency and period."""
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.conf import shenfa_setting

from .models import IndexCounter


def period_for(moment) -> str:
    local = timezone.localtime(moment)
    if shenfa_setting("INDEX_PERIOD_FORMAT") == "month":
        return local.strftime("%Y%m")
    return local.strftime("%Y")


def allocate(agency, moment) -> str:
    """Issue the next index number. Must run inside the publishing transaction."""
    period = period_for(moment)
    counter = IndexCounter.objects.select_for_update().filter(agency=agency, period=period).first()
    if counter is None:
        try:
            with transaction.atomic():
                IndexCounter.objects.create(agency=agency, period=period)
        except IntegrityError:
            pass  # a concurrent publisher created it first; we lock it below like them
        counter = IndexCounter.objects.select_for_update().get(agency=agency, period=period)
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    digits = shenfa_setting("INDEX_SERIAL_DIGITS")
    return f"{agency.code}/{period}-{counter.last_serial:0{digits}d}"
