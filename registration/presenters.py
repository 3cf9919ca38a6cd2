"""How a filing reads on a page: its fields in order, values in plain language, comments beside them."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from portal.timeline import sees_technical_details
from registration import clock, history, selectors
from registration.choices import (
    EntityType,
    FilingStatus,
    Subtype,
    TaskStatus,
)
from registration.values import shown_value

SECTIONS = (
    (
        "entity",
        (
            "name_cn",
            "name_en",
            "uscc",
            "org_code",
            "is_legacy_record",
            "customs_code",
            "division_code",
            "division_note",
            "address",
            "registered_capital_cny",
            "economic_type",
            "is_vat_general_taxpayer",
        ),
    ),
    (
        "representative",
        (
            "legal_rep_name",
            "legal_rep_id_type",
            "legal_rep_id_no",
            "contact_name",
            "contact_phone",
            "contact_email",
        ),
    ),
    ("business", ("platform_urls", "service_scopes", "payment_licence_no", "optional_qualifications")),
)


@dataclass
class Fact:
    name: str
    label: str
    value: str
    comments: list = field(default_factory=list)


def applies(filing, name: str) -> bool:
    """Whether the filing's role has field ``name`` (as the forms and pages show it)."""
    if filing.is_natural_person and name in (
        "uscc",
        "org_code",
        "customs_code",
        "economic_type",
        "name_en",
        "division_note",
        "registered_capital_cny",
        "is_vat_general_taxpayer",
    ):
        return False
    if name == "economic_type" and filing.subtype == Subtype.INDIVIDUAL_BUSINESS:
        return False
    if name == "uscc" and filing.is_legacy_record:
        return False  # a legacy record has no credit code; its organisation code identifies it
    if name == "is_legacy_record":
        return filing.is_legacy_record
    if name == "platform_urls":
        return filing.entity_type != EntityType.SERVICE or filing.subtype == Subtype.PLATFORM
    if name == "service_scopes":
        return filing.entity_type == EntityType.SERVICE
    if name == "payment_licence_no":
        return filing.subtype == Subtype.PAYMENT
    return True


def facts(filing, *, comments: dict | None = None, reveal_id: bool = False) -> list[tuple[str, list[Fact]]]:
    comments = comments or {}
    labels = {"legal_rep_id_no": _("ID document number")}
    out = []
    for section, names in SECTIONS:
        rows = [
            Fact(
                name,
                capfirst(str(labels.get(name) or type(filing)._meta.get_field(name).verbose_name)),
                shown_value(filing, name, reveal_id=reveal_id),
                comments.get(name, []),
            )
            for name in names
            if applies(filing, name)
        ]
        out.append((section, rows))
    return out


def task_rows(filing, *, prefetched: bool = False) -> list:
    """Qualification tasks with the status a person should read (PENDING but delivered reads as SENT)."""
    rows = []
    if prefetched:  # the caller prefetched them, message included, in id order
        tasks = filing.qualifications.all()
    else:
        tasks = filing.qualifications.select_related("message").order_by("id")
    for task in tasks:
        shown = task.status
        if (
            task.status == TaskStatus.PENDING
            and task.message
            and task.message.status in ("sent", "acknowledged")
        ):
            shown = TaskStatus.SENT
        task.shown_status = shown
        task.shown_label = TaskStatus(shown).label
        task.tone = {
            TaskStatus.DONE: "success",
            TaskStatus.REJECTED: "error",
            TaskStatus.FAILED: "error",
            TaskStatus.NOT_APPLIED: "info",
        }.get(shown, "warning")
        rows.append(task)
    return rows


def shown_status(filing, user) -> str:
    """What a user may know of the status: a rejection proposal is internal to the bureau until a supervisor
    countersigns it, so to anyone outside the bureau REJECT_PENDING reads as UNDER_REVIEW (ADR 0015)."""
    from registration import policies

    if filing.status == FilingStatus.REJECT_PENDING and not (user is not None and policies.can_review(user)):
        return FilingStatus.UNDER_REVIEW
    return filing.status


def status_tone(status: str) -> str:
    return {
        "ACTIVE": "success",
        "APPROVED": "success",
        "RETURNED": "warning",
        "REJECT_PENDING": "warning",
        "SUSPENDED": "warning",
        "REJECTED": "error",
        "REVOKED": "error",
    }.get(status, "info")


def filing_context(filing, user, *, reveal_id: bool = False) -> dict:
    """Everything the enterprise detail page and the review page both show."""
    calendar = clock.WorkingCalendar()
    comments = selectors.comments_by_field(filing)
    state = clock.clock_state(filing, calendar=calendar)
    years = (
        {timezone.localdate().year, *([state.due_on.year] if state.due_on else [])}
        if state.running
        else set()
    )
    return {
        "filing": filing,
        "facts": facts(filing, comments=comments, reveal_id=reveal_id),
        "general_comments": comments.get("general", []) + comments.get("entity_type", []),
        "attachment_comments": comments.get("attachments", []),
        "attachments": list(filing.attachments.current().select_related("created_by")),
        "tasks": task_rows(filing),
        "clock": state,
        "queue_position": selectors.queue_position(filing),
        "versions": list(selectors.versions_of(filing, user)),
        "other_roles": selectors.other_roles(filing, user),
        "status_tone": status_tone(shown_status(filing, user)),
        "uncovered_years": calendar.uncovered_years(*years) if years else [],
        "history": history.rounds(filing),
        "technical": sees_technical_details(user),
    }
