"""Working days on the statutory calendar, and the service-level clock of a filing.

``is_working_day(d)``: a HOLIDAY row is a day off, a MAKEUP_WORKDAY row (调休) is a working day, any other
day works when it is Monday to Friday (DOMAIN §3.9). Years without any holiday row are "not covered":
Monday to Friday is used and pages show a warning until an administrator adds that year.

The clock counts the working days a filing spends with the commerce bureau. The day of (re)submission
does not count; counting starts the next working day, as statutory time limits do. It runs while the
filing is SUBMITTED, UNDER_REVIEW or REJECT_PENDING; it pauses while RETURNED (the applicant has it) and
stops at the decision. ``clock_due_on`` is stored so queues can filter overdue filings in the database.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registration.choices import CalendarKind
from registration.models import HolidayCalendar

DEFAULT_SLA_WORKING_DAYS = 5

HOLIDAY_NAMES = {
    "New Year's Day": _("New Year's Day"),
    "Spring Festival": _("Spring Festival"),
    "Tomb-sweeping Day": _("Tomb-sweeping Day"),
    "Labour Day": _("Labour Day"),
    "Dragon Boat Festival": _("Dragon Boat Festival"),
    "National Day": _("National Day"),
    "Mid-autumn Festival": _("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": _("Victory Day (70th anniversary)"),
}


def sla_working_days() -> int:
    return int(getattr(settings, "REGISTRATION_SLA_WORKING_DAYS", DEFAULT_SLA_WORKING_DAYS))


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


class WorkingCalendar:
    """The calendar rows of the years asked about, loaded once per year (one query per year)."""

    def __init__(self):
        self._rows: dict[date, str] = {}
        self._loaded: set[int] = set()
        self._covered: set[int] = set()

    def _load(self, year: int) -> None:
        if year in self._loaded:
            return
        self._loaded.add(year)
        for day, kind in HolidayCalendar.objects.filter(date__year=year).values_list("date", "kind"):
            self._rows[day] = kind
            if kind == CalendarKind.HOLIDAY:
                self._covered.add(year)

    def covers(self, year: int) -> bool:
        self._load(year)
        return year in self._covered

    def is_working_day(self, day: date) -> bool:
        self._load(day.year)
        kind = self._rows.get(day)
        if kind == CalendarKind.HOLIDAY:
            return False
        if kind == CalendarKind.MAKEUP_WORKDAY:
            return True
        return day.weekday() < 5

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end."""
        count, day = 0, start + timedelta(days=1)
        while day <= end:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself when n <= 0)."""
        day = start
        while n > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first working day after it (DOMAIN §3.9)."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def uncovered_years(self, *years: int) -> list[int]:
        return sorted({y for y in years if not self.covers(y)})


def is_working_day(day: date) -> bool:
    return WorkingCalendar().is_working_day(day)


def is_overdue(due_on: date | None, today: date) -> bool:
    """The one definition of overdue, used by rows, pages, queues and counts alike: the clock runs and the
    due date (the last working day allowed) is behind us — so a filing due on Friday is overdue on Saturday.
    Queues filter the same thing in the database as ``clock_running_since`` set and ``clock_due_on < today``.
    """
    return due_on is not None and due_on < today


@dataclass(frozen=True)
class ClockState:
    used: int
    limit: int
    running: bool
    started: bool
    due_on: date | None
    today: date | None = None

    @property
    def left(self) -> int:
        return self.limit - self.used

    @property
    def overdue(self) -> bool:
        return self.running and is_overdue(self.due_on, self.today or timezone.localdate())


def clock_state(
    filing, *, now: datetime | None = None, calendar: WorkingCalendar | None = None
) -> ClockState:
    calendar = calendar or WorkingCalendar()
    now = now or timezone.now()
    used = filing.clock_banked_days
    running = filing.clock_running_since is not None
    if running:
        used += calendar.working_days_between(local_date(filing.clock_running_since), local_date(now))
    return ClockState(
        used=used,
        limit=sla_working_days(),
        running=running,
        started=filing.first_submitted_at is not None,
        due_on=filing.clock_due_on if running else None,
        today=local_date(now),
    )


def clock_start(filing, *, now: datetime, calendar: WorkingCalendar | None = None) -> None:
    """(Re)start the clock from ``now``; sets the due date from the days already used."""
    calendar = calendar or WorkingCalendar()
    filing.clock_running_since = now
    filing.clock_due_on = due_date(filing, calendar=calendar)


def due_date(filing, *, calendar: WorkingCalendar) -> date | None:
    if filing.clock_running_since is None:
        return None
    remaining = max(sla_working_days() - filing.clock_banked_days, 0)
    return calendar.add_working_days(local_date(filing.clock_running_since), remaining)


def clock_pause(filing, *, now: datetime, calendar: WorkingCalendar | None = None) -> None:
    """Bank the working days of the running stretch and stop counting (return, or the decision)."""
    if filing.clock_running_since is None:
        return
    calendar = calendar or WorkingCalendar()
    filing.clock_banked_days += calendar.working_days_between(
        local_date(filing.clock_running_since), local_date(now)
    )
    filing.clock_running_since = None
    filing.clock_due_on = None
