"""Reads behind the statistics: every figure is an aggregate computed by the database.

Filings come from ``registration.statistics``; the exchange's traffic from ``exchange.models``, read here
and never written. Each entry point first checks who asks (``policies``): the totals are province-wide,
so they are for the roles of ``STATISTICS_ROLES`` only, never scoped down to an organisation.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from exchange.models import Message, Receipt
from registration import statistics as filing_statistics
from trade_statistics import periods
from trade_statistics.policies import ensure_may_view_statistics


@dataclass(frozen=True)
class Dashboard:
    """The raw aggregates of one reporting window (``months``, oldest first)."""

    generated_at: datetime
    months: tuple[date, ...]
    operators_by_role: list[dict]
    operators_by_city: list[dict]
    submitted: dict[date, int]
    decisions: dict[date, dict]
    qualifications: list[dict]
    messages_sent: dict[tuple[str, date], int]
    receipts_received: dict[tuple[str, date], int]


def exchange_traffic_per_month(*, since: datetime) -> tuple[dict, dict]:
    """Messages sent to and receipts received from each department per month since ``since``:
    ``({(department, month): count}, {(department, month): count})``, two GROUP BY queries.

    A message counts in the month the department acknowledged its envelope (``sent_at``); one still
    waiting to go out has not been exchanged yet. Every receipt stored counts, including late or unmatched
    ones: each is a message the department sent.
    """
    sent = (
        Message.objects.filter(sent_at__gte=since)
        .annotate(month=TruncMonth("sent_at"))
        .values("department", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    received = (
        Receipt.objects.filter(received_at__gte=since)
        .annotate(month=TruncMonth("received_at"))
        .values("department", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _by_department_month(sent), _by_department_month(received)


def _by_department_month(rows) -> dict[tuple[str, date], int]:
    return {(row["department"], periods.month_of(row["month"])): row["n"] for row in rows}


def dashboard(*, user, today: date | None = None) -> Dashboard:
    """Everything the dashboard and its exports show, for the last twelve months up to ``today``."""
    ensure_may_view_statistics(user)
    months = periods.month_starts(today or timezone.localdate())
    since = periods.start_of(months[0])
    sent, received = exchange_traffic_per_month(since=since)
    return Dashboard(
        generated_at=timezone.now(),
        months=months,
        operators_by_role=filing_statistics.active_operators_by_role(),
        operators_by_city=filing_statistics.active_operators_by_city(),
        submitted={
            periods.month_of(row["month"]): row["submitted"]
            for row in filing_statistics.filings_submitted_per_month(since=since)
        },
        decisions={
            periods.month_of(row["month"]): row for row in filing_statistics.decisions_per_month(since=since)
        },
        qualifications=filing_statistics.qualifications_by_department(),
        messages_sent=sent,
        receipts_received=received,
    )


def headline(*, user, today: date | None = None) -> dict:
    """The home panel's two figures: operators now (ACTIVE filings) and approvals in the last 12 months."""
    ensure_may_view_statistics(user)
    months = periods.month_starts(today or timezone.localdate())
    return filing_statistics.headline(since=periods.start_of(months[0]))
