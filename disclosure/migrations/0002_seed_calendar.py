"""Seed the working-day calendar 2004-2026 from chinese-calendar (what the package knows, version 1.11.0).

Later years are added by the administrator (admin, or `manage.py load_calendar --csv`)."""
from django.db import migrations

YEARS = range(2004, 2027)


def seed(apps, schema_editor):
    # The calendar code has since moved to core.calendar (which this migration predates).
    from core.calendar import package_years, seed_years

    CalendarYear = apps.get_model("disclosure", "CalendarYear")
    CalendarDay = apps.get_model("disclosure", "CalendarDay")
    known = set(package_years())
    seed_years(CalendarYear, CalendarDay, [y for y in YEARS if y in known])


def unseed(apps, schema_editor):
    apps.get_model("disclosure", "CalendarYear").objects.filter(year__in=YEARS).delete()


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
