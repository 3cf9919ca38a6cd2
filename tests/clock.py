"""The suite's clock: run the tests as if today were another day (``--today``, ``PORTAL_TEST_TODAY``).

Tests must never depend on the real date: they set the clock (``time_machine``) or pass ``today``. To prove
it, ``make test-dates`` runs the suite at the dates in ``SHIFTED_DATES``, chosen where calendars bite: a month
later, the last evening of a year (UTC is already in the next one at 16:00 Asia/Shanghai), inside the Spring
Festival holiday and on a make-up working Saturday (调休).
"""

import functools
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine

SHANGHAI = ZoneInfo("Asia/Shanghai")

SHIFTED_DATES = (
    "2027-01-04T10:00",  # a month after this suite was written; a year the holiday library does not cover yet
    "2026-12-31T23:30",  # New Year's Eve in Shanghai, already 2026-12-31 15:30 UTC; the next day is 2027
    "2026-02-18T11:00",  # inside the 2026 Spring Festival holiday (15–23 February)
    "2026-02-28T09:30",  # Saturday 28 February 2026, a make-up working day
)


def parse_today(value: str) -> datetime | None:
    """``YYYY-MM-DD`` (10:00 that day) or ``YYYY-MM-DDTHH:MM``, Asia/Shanghai; empty: the real clock."""
    value = (value or "").strip()
    if not value:
        return None
    moment = datetime.fromisoformat(value if "T" in value else f"{value}T10:00")
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def start_travel(when: datetime) -> time_machine.travel:
    travel = time_machine.travel(when, tick=True)
    travel.start()
    return travel


# A test module that mentions none of these never reads the clock on purpose; ``make test-dates`` runs the
# others (about half of the suite) at each shifted date, which keeps CI under its time budget;
# ``pytest --today=… --all-dates`` runs everything at one date. Broad rather than narrow: a false positive
# costs seconds, a miss hides a bug.
DATED = re.compile(
    r"today|now\(|clock|time_machine|calendar|holiday|deadline|working_day|overdue|travel|expir|remind|"
    r"month|\byear"
)


@functools.cache
def _module_is_dated(path: str) -> bool:
    return bool(DATED.search(Path(path).read_text(encoding="utf-8")))


def touches_dates(item) -> bool:
    """Whether the test's module mentions dates or time, or the test is marked ``dates``."""
    return item.get_closest_marker("dates") is not None or _module_is_dated(str(item.path))
