"""Working days for the 条例 Art. 26 limit, behind one function.

The disclosure app owns the administrator-editable holiday/调休 calendar (disclosure.calendar.WorkCalendar,
data the office extends year by year). When that app is installed we count on it; otherwise Monday-Friday
(a documented fallback that is wrong around public holidays)."""
from datetime import date, timedelta


def _work_calendar():
    try:
        from disclosure.calendar import WorkCalendar  # noqa: PLC0415  (built by the disclosure app)
    except ImportError:
        return None
    return WorkCalendar.load()


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself not counted, 条例 counting rule)."""
    cal = _work_calendar()
    if cal is not None:
        return cal.add_working_days(start, days).due
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current
