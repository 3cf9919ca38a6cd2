"""Aggregates of entity filings for the officials' statistics (read by ``trade_statistics``).

Read-only. Each function is one GROUP BY (or aggregate) query computed by the database and returns counts
and sums, never a filing: no name, credit code or filing number leaves this module. Who may see these
province-wide totals is decided by the caller (``trade_statistics.policies``); the population counted is
what an officer may see of filings, those that reached the commerce bureau at least once (a draft belongs
to its applicant alone, ADR 0015).

Definitions (docs/statistics.md):
* an operator is an ACTIVE filing: one per organisation (or natural person) and role, approved with every
  mandatory qualification done (at most one ACTIVE version per identity and role, rule E-5);
* a filing is counted as submitted in the month of its first submission (a resubmission after correction
  is the same filing); a change version is a filing of its own;
* a decision is an approval or a countersigned rejection, in the month of ``decided_at``; its working days
  are the service clock's (``registration.clock``): working days with the bureau after submission up to
  the decision, time returned to the applicant for correction not counted;
* a qualification request is a task sent (or to be sent) to a department; a task carried over unchanged
  into a change version is the same request and is not counted again.
"""

from datetime import datetime

from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.db.models.functions import Substr, TruncMonth

from exchange import catalog
from portal import divisions
from registration import matrix
from registration.choices import FilingStatus, TaskStatus
from registration.models import EntityFiling, QualificationTask


def _reached_bureau():
    return EntityFiling.objects.filter(first_submitted_at__isnull=False)


def _approved_q() -> Q:
    # ``decided_at`` is stamped by an approval and by a countersigned rejection only, and a rejection is
    # terminal: a decided filing in any other status was approved (it may have moved on since).
    return Q(decided_at__isnull=False) & ~Q(status=FilingStatus.REJECTED)


def active_operators_by_role() -> list[dict]:
    """``[{"entity_type", "subtype", "count"}]`` of ACTIVE filings; only roles that have some."""
    return list(
        _reached_bureau()
        .filter(status=FilingStatus.ACTIVE)
        .values("entity_type", "subtype")
        .annotate(count=Count("id"))
        .order_by("entity_type", "subtype")
    )


def active_operators_by_city() -> list[dict]:
    """``[{"city", "count"}]`` of ACTIVE filings by the first four digits of their division code
    (the prefecture-level city); ``city`` is ``""`` for a filing without a division code."""
    return list(
        _reached_bureau()
        .filter(status=FilingStatus.ACTIVE)
        .annotate(city=Substr("division_code", 1, divisions.CITY_PREFIX_LENGTH))
        .values("city")
        .annotate(count=Count("id"))
        .order_by("city")
    )


def filings_submitted_per_month(*, since: datetime) -> list[dict]:
    """``[{"month", "submitted"}]``: filings first submitted in each month (current time zone) from
    ``since``; ``month`` is the aware first instant of the month."""
    return list(
        _reached_bureau()
        .filter(first_submitted_at__gte=since)
        .annotate(month=TruncMonth("first_submitted_at"))
        .values("month")
        .annotate(submitted=Count("id"))
        .order_by("month")
    )


def decisions_per_month(*, since: datetime) -> list[dict]:
    """``[{"month", "approved", "rejected", "decisions", "working_days"}]`` from ``since``:
    ``working_days`` is the sum over the month's decisions of the working days each spent with the bureau,
    so an average over any set of months is ``sum(working_days) / sum(decisions)``."""
    return list(
        _reached_bureau()
        .filter(decided_at__gte=since)
        .annotate(month=TruncMonth("decided_at"))
        .values("month")
        .annotate(
            approved=Count("id", filter=_approved_q()),
            rejected=Count("id", filter=Q(status=FilingStatus.REJECTED)),
            decisions=Count("id"),
            working_days=Sum("clock_banked_days"),
        )
        .order_by("month")
    )


def department_of(code: str) -> str:
    """The exchange department (``exchange.choices.Department``) that registers a qualification."""
    return catalog.message_type(matrix.SPECS[code].message_type).department


def qualifications_by_department() -> list[dict]:
    """``[{"department", "requested", "done", "pending", "refused", "failed"}]``: qualification requests per
    department by where they stand (pending = waiting to be sent or with the department)."""
    department = Case(
        *(When(code=code, then=Value(department_of(code))) for code in matrix.SPECS),
        default=Value(""),
        output_field=CharField(),
    )
    return list(
        QualificationTask.objects.filter(carried_from__isnull=True)
        .exclude(status=TaskStatus.NOT_APPLIED)
        .annotate(department=department)
        .values("department")
        .annotate(
            requested=Count("id"),
            done=Count("id", filter=Q(status=TaskStatus.DONE)),
            pending=Count("id", filter=Q(status__in=[TaskStatus.PENDING, TaskStatus.SENT])),
            refused=Count("id", filter=Q(status=TaskStatus.REJECTED)),
            failed=Count("id", filter=Q(status=TaskStatus.FAILED)),
        )
        .order_by("department")
    )


def headline(*, since: datetime) -> dict:
    """``{"operators", "approved"}``: ACTIVE filings now, and filings approved since ``since`` (one query)."""
    return _reached_bureau().aggregate(
        operators=Count("id", filter=Q(status=FilingStatus.ACTIVE)),
        approved=Count("id", filter=_approved_q() & Q(decided_at__gte=since)),
    )
