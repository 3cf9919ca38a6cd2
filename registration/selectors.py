"""Reads of entity filings. Everything starts from ``visible_to(user)``; counts included."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils import timezone

from registration.choices import (
    IN_FORCE,
    CertificateState,
    FilingStatus,
    TaskStatus,
)
from registration.models import EntityFiling, FieldComment

QUEUES = ("unassigned", "mine", "all", "countersign")


def overdue_q(today) -> Q:
    """``clock.is_overdue`` in the database: a running clock whose due date is behind us."""
    return Q(clock_running_since__isnull=False, clock_due_on__lt=today)


def filings_for(user):
    return EntityFiling.objects.visible_to(user)


def queue(user, *, which: str = "unassigned", entity_type: str = "", city: str = "", age: str = ""):
    """The bureau's work queues, oldest submission first; ``age`` is ``overdue``, ``due_soon`` or days."""
    qs = filings_for(user).select_related("owner", "assigned_to")
    if which == "unassigned":
        qs = qs.filter(status=FilingStatus.SUBMITTED, assigned_to__isnull=True)
    elif which == "mine":
        qs = qs.filter(assigned_to=user).with_bureau()
    elif which == "countersign":
        qs = qs.filter(status=FilingStatus.REJECT_PENDING)
    else:
        qs = qs.exclude(status=FilingStatus.DRAFT)
    if entity_type:
        qs = qs.filter(entity_type=entity_type)
    if city:
        qs = qs.filter(division_code__startswith=city)
    today = timezone.localdate()
    if age == "overdue":
        qs = qs.filter(overdue_q(today))
    elif age == "due_soon":
        qs = qs.filter(clock_running_since__isnull=False, clock_due_on__lte=today + timedelta(days=2))
    elif age.isdigit():
        qs = qs.filter(submitted_at__lte=timezone.now() - timedelta(days=int(age)))
    return qs.order_by("submitted_at", "id")


def queue_counts(user) -> dict:
    qs = filings_for(user)
    today = timezone.localdate()
    return qs.aggregate(
        unassigned=Count("id", filter=Q(status=FilingStatus.SUBMITTED, assigned_to__isnull=True)),
        mine=Count(
            "id",
            filter=Q(
                assigned_to=user,
                status__in=[FilingStatus.SUBMITTED, FilingStatus.UNDER_REVIEW, FilingStatus.REJECT_PENDING],
            ),
        ),
        overdue=Count("id", filter=overdue_q(today)),
        countersign=Count("id", filter=Q(status=FilingStatus.REJECT_PENDING)),
    )


def queue_position(filing) -> tuple[int, int] | None:
    """(position, length) of a SUBMITTED filing in the bureau's first-come queue; None otherwise."""
    if filing.status != FilingStatus.SUBMITTED or filing.submitted_at is None:
        return None
    waiting = EntityFiling.objects.filter(status=FilingStatus.SUBMITTED)
    ahead = waiting.filter(
        Q(submitted_at__lt=filing.submitted_at) | Q(submitted_at=filing.submitted_at, pk__lt=filing.pk)
    ).count()
    return ahead + 1, waiting.count()


def waiting_order() -> dict[int, int]:
    """pk → position of every SUBMITTED filing in the first-come queue (one query)."""
    pks = EntityFiling.objects.filter(status=FilingStatus.SUBMITTED, submitted_at__isnull=False).order_by(
        "submitted_at", "pk"
    )
    return {pk: index for index, pk in enumerate(pks.values_list("pk", flat=True), start=1)}


def needing_action(user) -> dict:
    """The enterprise's filings that wait for it: drafts, returned ones, refused or failed qualifications."""
    qs = filings_for(user)
    refused = (
        qs.filter(
            qualifications__status__in=[TaskStatus.REJECTED, TaskStatus.FAILED],
            status__in=[FilingStatus.APPROVED, *IN_FORCE],
        )
        .distinct()
        .order_by("-updated_at")
    )
    return {
        "drafts": list(qs.filter(status=FilingStatus.DRAFT).order_by("-updated_at")[:10]),
        "returned": list(qs.filter(status=FilingStatus.RETURNED).order_by("-returned_at")[:10]),
        "refused": list(refused[:10]),
    }


def current_filings(user, *, limit: int = 10) -> list:
    """The enterprise's filings as they stand (the newest version of each role filing that is not a draft
    or withdrawn), with their qualifications, for its home page."""
    from django.db.models import Prefetch

    from registration.models import QualificationTask

    rows = (
        filings_for(user)
        .exclude(status__in=[FilingStatus.DRAFT, FilingStatus.WITHDRAWN, FilingStatus.SUPERSEDED])
        .prefetch_related(
            Prefetch("qualifications", QualificationTask.objects.select_related("message").order_by("id"))
        )
        .order_by("lineage", "-version")
    )
    latest = {}
    for row in rows:
        latest.setdefault(row.lineage, row)
    return sorted(latest.values(), key=lambda f: f.updated_at, reverse=True)[:limit]


def versions_of(filing, user=None):
    """The versions of the lineage the user may see (an officer never sees a change still a draft)."""
    qs = filings_for(user) if user is not None else EntityFiling.objects.all()
    return qs.filter(lineage=filing.lineage).order_by("version")


def other_roles(filing, user):
    """The organisation's other role filings (the latest version of each lineage)."""
    qs = filings_for(user).filter(owner_id=filing.owner_id).exclude(lineage=filing.lineage)
    latest = {}
    for row in qs.order_by("lineage", "-version"):
        latest.setdefault(row.lineage, row)
    return list(latest.values())


def comments_by_field(filing) -> dict[str, list[FieldComment]]:
    grouped: dict[str, list[FieldComment]] = {}
    for comment in filing.field_comments.select_related("author").order_by("-review_round", "created_at"):
        grouped.setdefault(comment.field, []).append(comment)
    return grouped


@dataclass(frozen=True)
class Verification:
    state: str
    name_cn: str
    filing_no: str
    as_of: object
    name_en: str = ""  # the registered English name, for buyers abroad; never a natural person's

    @property
    def label(self):
        return CertificateState(self.state).label


def mask_person_name(name: str) -> str:
    """``王小明`` → ``王**``: the public page must not publish a natural person's full name (PIPL)."""
    name = (name or "").strip()
    return name[:1] + "*" * (len(name) - 1) if name else ""


def verification(token: str) -> Verification | None:
    """What the public page may show for a certificate token: status, name (Chinese and English) and number;
    nothing else."""
    if not token or len(token) > 64:
        return None
    versions = list(
        EntityFiling.objects.filter(verify_token=token)
        .only("status", "name_cn", "name_en", "filing_no", "version", "status_changed_at", "subtype")
        .order_by("-version")
    )
    if not versions:
        return None
    states = {
        FilingStatus.ACTIVE: CertificateState.VALID,
        FilingStatus.SUSPENDED: CertificateState.SUSPENDED,
        FilingStatus.REVOKED: CertificateState.REVOKED,
    }
    current = next((v for v in versions if v.status in states), versions[-1])
    state = states.get(current.status, CertificateState.NOT_IN_FORCE)
    if current.is_natural_person:
        name_cn, name_en = mask_person_name(current.name_cn), ""
    else:
        name_cn, name_en = current.name_cn, current.name_en
    return Verification(state, name_cn, current.filing_no, current.status_changed_at, name_en)


def identity_holders(user, text: str):
    """Every filing (of any organisation) that reached the bureau for the identity typed, newest first, with
    whether it holds the identity's slot for its role now: what blocks an applicant, for the bureau to clear.
    Drafts are left out: they hold no slot (issue 8)."""
    from registration.models.filing import SLOT_STATUSES
    from registration.validation.identity import identity_q

    q = identity_q(text)
    if q is None:
        return EntityFiling.objects.none()
    holding = [*SLOT_STATUSES, *IN_FORCE]
    return (
        filings_for(user)
        .filter(q)
        .exclude(status=FilingStatus.DRAFT)
        .select_related("owner", "assigned_to")
        .annotate(holds_slot=ExpressionWrapper(Q(status__in=holding), output_field=BooleanField()))
        .order_by("-holds_slot", "-status_changed_at", "-pk")
    )
