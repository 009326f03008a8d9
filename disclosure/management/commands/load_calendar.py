"""Load the working-day calendar.

  manage.py load_calendar                      # every year chinese-calendar knows (2004-2026 in 1.11.0)
  manage.py load_calendar --years 2025-2026    # some of them
  manage.py load_calendar --year 2027 --csv 2027.csv
        # the State Council's schedule for a new year; CSV lines: date,kind,name
        # (kind: holiday = 放假, workday = 调休上班), e.g. 2027-10-01,holiday,国庆节

Each year is replaced as a whole, audited (disclosure.calendar.change) and every running deadline is
recomputed (disclosure.application.deadline_recompute per application whose dates moved)."""
import csv
import time

from django.core.management.base import BaseCommand, CommandError

from core.calendar import package_days, package_years
from core.errors import ShenfaError
from disclosure import actions


class Command(BaseCommand):
    help = "载入节假日及调休安排（chinese-calendar 或 CSV），并重新计算进行中的答复期限"

    def add_arguments(self, parser):
        parser.add_argument("--years", help="范围，如 2004-2026（默认：chinese-calendar 已知的全部年份）")
        parser.add_argument("--year", type=int, help="与 --csv 一起使用：要载入的年份")
        parser.add_argument("--csv", help="CSV 文件：date,kind,name")
        parser.add_argument("--source", default="", help="来源，如国务院办公厅通知文号")

    def handle(self, *args, **opts):
        started = time.monotonic()
        try:
            if opts["csv"]:
                if not opts["year"]:
                    raise CommandError("--csv 需要同时指定 --year")
                with open(opts["csv"], encoding="utf-8-sig", newline="") as fh:
                    rows = [r for r in csv.reader(fh) if r and not r[0].startswith("#") and r[0] != "date"]
                days = [(r[0].strip(), r[1].strip(), r[2].strip() if len(r) > 2 else "") for r in rows]
                changed = actions.load_calendar_year(actor=None, year=opts["year"], days=days,
                                                     source=opts["source"] or opts["csv"])
                self.stdout.write(f"{opts['year']}: {len(days)} 天；{changed} 件申请的期限已重算")
            else:
                known = package_years()
                years = known
                if opts["years"]:
                    lo, _, hi = opts["years"].partition("-")
                    years = [y for y in range(int(lo), int(hi or lo) + 1)]
                    missing = sorted(set(years) - set(known))
                    if missing:
                        raise CommandError(f"chinese-calendar 不包含 {missing} 年的安排，请用 --csv 载入")
                for year in years:
                    changed = actions.load_calendar_year(actor=None, year=year, days=package_days(year),
                                                         source=opts["source"] or "chinese-calendar")
                    self.stdout.write(f"{year}: {len(package_days(year))} 天；{changed} 件申请的期限已重算")
        except ShenfaError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"完成，用时 {time.monotonic() - started:.2f} 秒")
