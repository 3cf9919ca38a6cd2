"""Home-page panels: what waits for the enterprise, and the bureau's queues."""

from django.utils import timezone

from portal.choices import Role
from portal.ui import register_home_panel
from registration import clock, presenters, selectors
from registration.choices import TaskStatus


def enterprise_panel(request) -> dict:
    """What waits for the enterprise, then each of its filings as it stands: status, qualifications with
    their identifiers, and the certificate once the filing is in force."""
    waiting = selectors.needing_action(request.user)
    filings = selectors.current_filings(request.user)
    for filing in filings:
        filing.tasks = presenters.task_rows(filing, prefetched=True)
        filing.pending = sum(1 for t in filing.tasks if t.mandatory and t.status != TaskStatus.DONE)
        filing.tone = presenters.status_tone(presenters.shown_status(filing, request.user))
    return {**waiting, "total": sum(len(v) for v in waiting.values()), "filings": filings}


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
