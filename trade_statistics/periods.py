"""The reporting window: the last twelve calendar months in the portal's time zone (Asia/Shanghai)."""

from datetime import date, datetime

from django.utils import timezone

MONTHS = 12


def month_starts(today: date, count: int = MONTHS) -> tuple[date, ...]:
    """The first days of the ``count`` months ending with ``today``'s month, oldest first."""
    index = today.year * 12 + today.month - 1
    return tuple(date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1))


def start_of(month: date) -> datetime:
    """The first instant of ``month`` in the current time zone (aware)."""
    return datetime(month.year, month.month, 1, tzinfo=timezone.get_current_timezone())


def month_of(moment: datetime) -> date:
    """The month (its first day) of a ``TruncMonth`` value, read in the current time zone."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return date(local.year, local.month, 1)
