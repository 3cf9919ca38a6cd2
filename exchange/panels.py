"""Home-page panels: a department officer's desk summary, the administrators' outbox summary."""

from django.db.models import Count, Q
from django.urls import reverse

from exchange.choices import Department, MessageStatus
from exchange.models import Message
from exchange.selectors import outbox_health
from portal.choices import OFFICER_ROLE_OF_DEPARTMENT, Role
from portal.ui import register_home_panel

_DESK_URLS = {
    "customs": "customs:officer",
    "ciq": "inspection:officer",
    "safe": "forex:officer",
    "tax": "tax_refund:officer",
    "commerce": "exchange:commerce-desk",
}


def desk_panel(request) -> dict | None:
    """What reached the officer's department today and what is still open or late."""
    org = request.user.organisation
    department = org.department if org is not None else None
    if department is None:
        return None
    counts = (
        Message.objects.visible_to(request.user)
        .filter(department=department)
        .aggregate(
            awaiting=Count("id", filter=Q(status__in=[MessageStatus.SENT, MessageStatus.ACKNOWLEDGED])),
            overdue=Count(
                "id",
                filter=Q(
                    overdue_at__isnull=False, status__in=[MessageStatus.SENT, MessageStatus.ACKNOWLEDGED]
                ),
            ),
            failed=Count("id", filter=Q(status=MessageStatus.FAILED)),
            total=Count("id"),
        )
    )
    return {
        "department": dict(Department.choices)[department],
        "counts": counts,
        "url": reverse(_DESK_URLS[department]),
    }


def health_panel(request) -> dict:
    rows = outbox_health()
    return {
        "unreachable": [r["label"] for r in rows if r["state"] is not None and not r["state"].reachable],
        "dead": sum(r["dead"] for r in rows),
        "overdue": sum(r["overdue"] for r in rows),
        "pending": sum(r["pending"] for r in rows),
    }


def register() -> None:
    register_home_panel(
        set(OFFICER_ROLE_OF_DEPARTMENT.values()) | {Role.COMMERCE_SUPERVISOR},
        "exchange/panels/desk.html",
        desk_panel,
        50,
    )
    register_home_panel([Role.SYSTEM_ADMIN], "exchange/panels/health.html", health_panel, 10)
