"""Home-page panels: what waits for the enterprise, and the bureau's queues."""

from django.utils import timezone

from portal.choices import Role
from portal.ui import register_home_panel
from registration import clock, selectors


def enterprise_panel(request) -> dict:
    waiting = selectors.needing_action(request.user)
    return {**waiting, "total": sum(len(v) for v in waiting.values())}


def bureau_panel(request) -> dict:
    """Queue counts; in December also warn when next year's holidays are not in the calendar yet."""
    today = timezone.localdate()
    years = (today.year, today.year + 1) if today.month == 12 else (today.year,)
    return {
        "counts": selectors.queue_counts(request.user),
        "uncovered_years": clock.WorkingCalendar().uncovered_years(*years),
        "sla": clock.sla_working_days(),
    }


def register() -> None:
    register_home_panel(
        [Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR],
        "registration/panels/enterprise.html",
        enterprise_panel,
        10,
    )
    register_home_panel(
        [Role.COMMERCE_REVIEWER, Role.COMMERCE_SUPERVISOR],
        "registration/panels/bureau.html",
        bureau_panel,
        10,
    )
