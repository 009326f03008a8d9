"""Working days (工作日) on the State Council holiday schedule, kept as data (CalendarYear/CalendarDay).

Counting rule: the day an event happens (receipt, notice, request) is not counted; counting starts on
the next working day, and the period ends at the end of the n-th working day. A day is a working day
if it is a make-up workday (调休上班), or a Monday-Friday that is not a holiday. A year without a
loaded schedule is counted on weekends only and every result touching it is flagged provisional."""
import datetime
from dataclasses import dataclass, field

import chinese_calendar

from .models import CalendarDay, CalendarYear

ONE_DAY = datetime.timedelta(days=1)
WEEKDAY_NAMES = "一二三四五六日"



@dataclass
class WorkCalendar:
    """An in-memory snapshot of the calendar tables: {date: (kind, name)} and the loaded years."""

    days: dict = field(default_factory=dict)
    years: set = field(default_factory=set)

    @classmethod
    def load(cls):
        return cls(
            days={d: (k, n) for d, k, n in CalendarDay.objects.values_list("date", "kind", "name")},
            years=set(CalendarYear.objects.values_list("year", flat=True)),
        )

    def day_kind(self, day):
        """(is_working_day, kind, label, known). kind: workday | makeup | weekend | holiday."""
        known = day.year in self.years
        weekend = day.weekday() >= 5
        if known and day in self.days:
            kind, name = self.days[day]
            if kind == "workday":
                return True, "makeup", f"{name}调休上班" if name else "调休上班", True
            if kind == "holiday":
                return False, "holiday", name or "法定节假日", True
        if weekend:
            return False, "weekend", "周末" + ("（该年节假日安排未录入）" if not known else ""), known
        return True, "workday", "工作日" + ("（该年节假日安排未录入）" if not known else ""), known

    def is_working_day(self, day):
        return self.day_kind(day)[0]

    def add_working_days(self, start, n, *, paused=frozenset()):
        """The end of the n-th working day after `start`, skipping dates in `paused`; with the steps."""
        return count_working_days(self, start, n, paused=paused)

    def working_days_between(self, start, end):
        """Working days in (start, end]; negative if end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count


@dataclass
class Calculation:
    start: datetime.date
    days: int
    due: datetime.date
    provisional: bool
    unknown_years: list
    steps: list  # [{date, weekday, kind, label, n}] for every date from start+1 to due

    def as_dict(self):
        return {
            "start": self.start.isoformat(), "days": self.days, "due": self.due.isoformat(),
            "provisional": self.provisional, "unknown_years": self.unknown_years, "steps": self.steps,
        }

    @property
    def skipped(self):
        return [s for s in self.steps if s["n"] is None]


def count_working_days(cal: WorkCalendar, start, n, *, paused=frozenset()) -> Calculation:
    steps, counted, day, unknown = [], 0, start, set()
    if n <= 0:
        return Calculation(start, n, start, False, [], [])
    while counted < n:
        day += ONE_DAY
        working, kind, label, known = cal.day_kind(day)
        if not known:
            unknown.add(day.year)
        number = None
        if working and day in paused:
            kind, label = "paused", label + "（期限中止，不计入）"
        elif working:
            counted += 1
            number = counted
        steps.append({"date": day.isoformat(), "weekday": "周" + WEEKDAY_NAMES[day.weekday()], "kind": kind,
                      "label": label, "n": number})
    return Calculation(start, n, day, bool(unknown), sorted(unknown), steps)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself not counted, 条例 counting rule)."""
    return WorkCalendar.load().add_working_days(start, days).due


def paused_dates(cal: WorkCalendar, pauses):
    """Dates (start, effective_end] of every pause: the consultee's own period, counted like ours."""
    dates = set()
    for p in pauses:
        day = p.started
        while day < p.effective_end:
            day += ONE_DAY
            dates.add(day)
    return frozenset(dates)


# --- seeding from the chinese-calendar package ---------------------------------------------------

def package_years():
    """Years the installed chinese-calendar package knows (1.11.0: 2004-2026)."""
    return sorted({d.year for d in chinese_calendar.holidays})


def package_days(year):
    """[(date, kind, chinese name)] of `year` from chinese-calendar; [] if it does not know the year."""
    zh = {h.value: h.chinese for h in chinese_calendar.Holiday}
    rows = [(d, "holiday", zh.get(name, name)) for d, name in chinese_calendar.holidays.items() if d.year == year]
    rows += [(d, "workday", zh.get(name, name)) for d, name in chinese_calendar.workdays.items() if d.year == year]
    return sorted(rows)


def seed_years(CalendarYear, CalendarDay, years, *, source="chinese-calendar"):
    """Bulk-load `years` from the package into the given (possibly historical) models. Returns day count."""
    CalendarDay.objects.filter(year_id__in=years).delete()
    CalendarYear.objects.bulk_create([CalendarYear(year=y, source=source) for y in years], ignore_conflicts=True)
    objs = [CalendarDay(year_id=d.year, date=d, kind=k, name=n[:40]) for y in years for d, k, n in package_days(y)]
    CalendarDay.objects.bulk_create(objs, batch_size=500)
    return len(objs)
