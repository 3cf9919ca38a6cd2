"""Seed the working-day calendar from the chinesecalendar library (holidays and make-up working days).

Later years: ``manage.py registration_seed_holidays`` after upgrading the library, or administrators add the
State Council's notice by hand on the calendar page.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from chinese_calendar import constants

    HolidayCalendar = apps.get_model("registration", "HolidayCalendar")
    rows = [(d, "HOLIDAY", getattr(h, "value", h)) for d, h in constants.holidays.items()]
    rows += [(d, "MAKEUP_WORKDAY", getattr(h, "value", h)) for d, h in constants.workdays.items()]
    existing = set(HolidayCalendar.objects.values_list("date", flat=True))
    HolidayCalendar.objects.bulk_create(
        HolidayCalendar(date=day, kind=kind, name=name[:60], source="chinesecalendar")
        for day, kind, name in sorted(rows)
        if day not in existing
    )


def unseed(apps, schema_editor):
    apps.get_model("registration", "HolidayCalendar").objects.filter(source="chinesecalendar").delete()


class Migration(migrations.Migration):
    dependencies = [("registration", "0002_return_reasons")]
    operations = [migrations.RunPython(seed, unseed)]
