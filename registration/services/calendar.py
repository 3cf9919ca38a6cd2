"""Keeping the working-day calendar: seeding from ``chinesecalendar``, and administrators' own rows."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.choices import AuditVerb
from portal.services.audit import audit
from registration import clock
from registration.choices import CalendarKind
from registration.models import EntityFiling, HolidayCalendar

LIBRARY = "chinesecalendar"


def library_days(years=None) -> list[tuple[date, str, str]]:
    """(date, kind, name) of every holiday and make-up working day the library knows, for ``years``."""
    from chinese_calendar import constants

    wanted = set(years) if years else None
    rows = [(d, CalendarKind.HOLIDAY, getattr(h, "value", h)) for d, h in constants.holidays.items()]
    rows += [(d, CalendarKind.MAKEUP_WORKDAY, getattr(h, "value", h)) for d, h in constants.workdays.items()]
    return sorted(r for r in rows if wanted is None or r[0].year in wanted)


@transaction.atomic
def calendar_seed_from_library(*, years=None) -> dict:
    """Insert or refresh the library's days; rows an administrator entered by hand are left alone."""
    manual = set(HolidayCalendar.objects.exclude(source=LIBRARY).values_list("date", flat=True))
    counts = {"created": 0, "updated": 0, "kept_manual": 0}
    for day, kind, name in library_days(years):
        if day in manual:
            counts["kept_manual"] += 1
            continue
        _row, created = HolidayCalendar.objects.update_or_create(
            date=day, defaults={"kind": kind, "name": name[:60], "source": LIBRARY}
        )
        counts["created" if created else "updated"] += 1
    recompute_due_dates()
    return counts


@transaction.atomic
def calendar_day_set(*, day: date, kind: str, name: str, by) -> HolidayCalendar:
    if kind not in CalendarKind.values:
        raise ValidationError({"kind": _("Choose holiday or make-up working day.")})
    if kind == CalendarKind.MAKEUP_WORKDAY and day.weekday() < 5:
        raise ValidationError(
            {
                "date": ValidationError(
                    _("A make-up working day falls on a Saturday or Sunday."), code="makeup_weekday"
                )
            }
        )
    row, created = HolidayCalendar.objects.update_or_create(
        date=day, defaults={"kind": kind, "name": name.strip()[:60], "source": "manual"}
    )
    audit(
        verb=AuditVerb.CREATE if created else AuditVerb.UPDATE,
        target=row,
        actor=by,
        to_state=kind,
        reason=name,
    )
    recompute_due_dates()
    return row


@transaction.atomic
def calendar_day_remove(*, day: date, by) -> None:
    row = HolidayCalendar.objects.filter(date=day).first()
    if row is not None:
        audit(verb=AuditVerb.DELETE, target=row, actor=by, from_state=row.kind, reason=row.name)
        row.delete()
        recompute_due_dates()


def recompute_due_dates() -> int:
    """Due dates of running clocks follow calendar edits (they are stored for filtering).

    No row lock is taken (a calendar edit must not wait for every filing under review); instead each update
    is conditional on the clock being exactly as read, so a clock paused, stopped or restarted meanwhile by a
    service (which holds the row lock and sets its own due date) is never given a stale due date.
    """
    calendar = clock.WorkingCalendar()
    count = 0
    for filing in EntityFiling.objects.filter(clock_running_since__isnull=False).only(
        "id", "clock_running_since", "clock_banked_days", "clock_due_on"
    ):
        count += apply_due_date(filing, clock.due_date(filing, calendar=calendar))
    return count


def apply_due_date(seen, due) -> int:
    """Store ``due`` for the filing read as ``seen`` only if its clock is still the one that was read."""
    if due == seen.clock_due_on:
        return 0
    return EntityFiling.objects.filter(
        pk=seen.pk,
        clock_running_since=seen.clock_running_since,
        clock_banked_days=seen.clock_banked_days,
    ).update(clock_due_on=due, updated_at=timezone.now())
