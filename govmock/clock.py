"""Time helpers: one place that knows the wire formats for instants.

Guarantees: every datetime handed out is timezone-aware; CEB stamps are rendered in Asia/Shanghai
(DOMAIN §0); ISO stamps on the wire are UTC with milliseconds.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utc_now() -> datetime:
    return datetime.now(UTC)


def from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def epoch(moment: datetime) -> float:
    return moment.timestamp()


def monotonic() -> float:
    return time.monotonic()


def iso(moment: datetime) -> str:
    """UTC ISO 8601 with milliseconds, e.g. ``2026-11-27T01:02:03.456+00:00``."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant; a value without offset is read as Asia/Shanghai wall time.

    Raises ValueError for anything that is not an ISO 8601 date-time.
    """
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(UTC)


def ceb_time(moment: datetime, length: int = 17) -> str:
    """CEB ``returnTime``: ``YYYYMMDDhhmmssSSS`` (17) or ``YYYYMMDDhhmmss`` (14), Asia/Shanghai."""
    local = moment.astimezone(SHANGHAI)
    stamp = local.strftime("%Y%m%d%H%M%S")
    if length == 17:
        stamp += f"{local.microsecond // 1000:03d}"
    return stamp


def parse_ceb_stamp(text: str, *, end_of_day: bool = False) -> datetime:
    """Parse a CEB ``YYYYMMDDhhmmss`` or ``YYYYMMDD`` stamp as Asia/Shanghai wall time.

    An 8-digit date means the start of that day, or its last second when ``end_of_day`` is set
    (so a period ``20250201``..``20250228`` covers the whole of both days).
    """
    if len(text) == 8:
        day = datetime.strptime(text, "%Y%m%d").replace(tzinfo=SHANGHAI)
        return day + timedelta(days=1, microseconds=-1) if end_of_day else day
    return datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=SHANGHAI)


def shanghai(moment: datetime) -> datetime:
    return moment.astimezone(SHANGHAI)
