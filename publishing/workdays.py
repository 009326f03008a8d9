"""Working days for the 条例 Art. 26 limit, behind one function.

The disclosure app owns the administrator-editable holiday/调休 calendar. When it is installed we use it;
otherwise we count Monday-Friday (documented fallback, wrong around public holidays)."""
from datetime import date, timedelta


def _calendar_add():
    try:
        from disclosure import calendar as cal  # noqa: PLC0415  (built by the disclosure app)
    except ImportError:
        return None
    return getattr(cal, "add_working_days", None)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    add = _calendar_add()
    if add is not None:
        return add(start, days)
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current
