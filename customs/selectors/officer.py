"""Reads for the customs officers' pages: every enterprise's lists and declarations by status, enterprise,
port and period; the rejected and unmatched queues; rejection rates per enterprise (one ``GROUP BY``);
months whose summary declaration is overdue.

Overdue summaries: until the summary app's deadline selector exists, a month is overdue for an enterprise
when lists it closed that month with ``statisticsFlag`` B are in no summary declaration and the month's
deadline has passed: the 15th of the following month, moved to the next working day of registration's
calendar (``WorkingCalendar.next_working_day``, DOMAIN §3.9). Summaries that were previewed or rejected
but never accepted count as "in no summary" only once they are discarded (``summary_id`` is cleared then).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import get_language

from customs.choices import UNSENT, DocStatus, StatisticsFlag
from customs.models import ExportDeclaration, InventoryList, Order, Payment, SummaryDeclaration, Waybill
from portal.models import Organisation

# A list is in the unmatched queue while it is sent but not yet entered by customs (120 means matched)...
AWAITING_MATCH = (DocStatus.SUBMITTED, DocStatus.DECLARED)
# ...and its order, payment receipt or waybill is not on the portal (or was withdrawn).
GONE = (DocStatus.WITHDRAWN, DocStatus.REJECTED)


def enterprise_q(code: str, prefix: str = "") -> Q:
    """An enterprise by its unified social credit code (the portal's) or its customs code (on documents)."""
    code = code.strip().upper()
    orgs = Organisation.objects.filter(code=code).values("pk")
    return Q(**{f"{prefix}owner_id__in": orgs}) | Q(**{f"{prefix}ebc_code": code})


def lists_for_officers(*, status="", enterprise="", port="", date_from=None, date_to=None, number=""):
    """Lists sent to customs (an enterprise's drafts and discarded drafts are not customs' business)."""
    qs = InventoryList.objects.exclude(status__in=UNSENT)
    if status:
        qs = qs.filter(status=status)
    if enterprise:
        qs = qs.filter(enterprise_q(enterprise))
    if port:
        qs = qs.filter(port_code=port.strip())
    if date_from:
        qs = qs.filter(ie_date__gte=date_from)
    if date_to:
        qs = qs.filter(ie_date__lte=date_to)
    if number:  # customs' list number (indexed); an enterprise's own numbers are for its pages
        qs = qs.filter(invt_no=number.strip())
    return qs


def unmatched_lists():
    """Sent lists customs has not entered whose order, payment receipt or waybill is missing, each annotated
    with ``has_order``, ``has_payment``, ``has_waybill`` (three ``EXISTS`` subqueries, no query per row)."""
    order = Order.objects.filter(ebc_code=OuterRef("ebc_code"), order_no=OuterRef("order_no")).exclude(
        status__in=GONE
    )
    payment = Payment.objects.filter(ebc_code=OuterRef("ebc_code"), order_no=OuterRef("order_no")).exclude(
        status__in=GONE
    )
    waybill = Waybill.objects.filter(
        logistics_code=OuterRef("logistics_code"), logistics_no=OuterRef("logistics_no")
    ).exclude(status__in=GONE)
    return (
        InventoryList.objects.filter(status__in=AWAITING_MATCH)
        .annotate(has_order=Exists(order), has_payment=Exists(payment), has_waybill=Exists(waybill))
        .filter(Q(has_order=False) | Q(has_payment=False) | Q(has_waybill=False))
    )


@dataclass(frozen=True)
class Rate:
    owner_id: int
    name_cn: str
    name_en: str
    sent: int
    rejected: int

    @property
    def name(self) -> str:
        """The enterprise's name in the reader's language (its Chinese name when it gave no English one)."""
        return self.name_en if get_language() == "en" and self.name_en else self.name_cn

    @property
    def percent(self) -> Decimal:
        return (
            (Decimal(self.rejected * 100) / self.sent).quantize(Decimal("0.1")) if self.sent else Decimal(0)
        )


def rejection_rates(*, date_from=None, date_to=None, limit: int = 100) -> list[Rate]:
    """Per enterprise, lists sent in the period and those customs rejected (rejected now, or corrected and
    resubmitted after a rejection: ``appType`` 2), highest rate first: ONE ``GROUP BY`` query."""
    qs = InventoryList.objects.filter(submitted_at__isnull=False)
    if date_from:
        qs = qs.filter(submitted_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(submitted_at__date__lte=date_to)
    rows = (
        qs.order_by()
        .values("owner_id", name_cn=F("owner__name_cn"), name_en=F("owner__name_en"))
        .annotate(
            sent=Count("pk"), rejected=Count("pk", filter=Q(status=DocStatus.REJECTED) | Q(app_type="2"))
        )
        .order_by("-rejected", "-sent")[:limit]
    )
    rates = [Rate(r["owner_id"], r["name_cn"], r["name_en"], r["sent"], r["rejected"]) for r in rows]
    return sorted(rates, key=lambda r: (-r.percent, -r.sent))


@dataclass(frozen=True)
class OverdueMonth:
    owner_id: int
    name_cn: str
    name_en: str
    month: date
    deadline: date
    lists: int
    value: Decimal

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name_cn


def summary_deadline(month: date, calendar) -> date:
    """The 15th of the month after ``month``, moved to the next working day (DOMAIN §3.9)."""
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 15)
    return calendar.next_working_day(following)


def overdue_summaries(*, today: date, calendar=None) -> list[OverdueMonth]:
    """Enterprise months whose closed B lists are in no summary declaration after the deadline: one
    ``GROUP BY`` over the lists closed before this month, then the deadline of each month found."""
    from registration.clock import WorkingCalendar

    calendar = calendar or WorkingCalendar()
    first_of_month = today.replace(day=1)
    rows = (
        InventoryList.objects.filter(
            status=DocStatus.CLOSED,
            statistics_flag=StatisticsFlag.B,
            summary__isnull=True,
            closed_at__date__lt=first_of_month,
        )
        .annotate(month=TruncMonth("closed_at"))
        .order_by()
        .values("owner_id", "month", name_cn=F("owner__name_cn"), name_en=F("owner__name_en"))
        .annotate(lists=Count("pk"), value=Sum("total_value"))
    )
    found = []
    for row in rows:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        deadline = summary_deadline(month, calendar)
        if deadline < today:
            found.append(
                OverdueMonth(
                    row["owner_id"],
                    row["name_cn"],
                    row["name_en"],
                    month,
                    deadline,
                    row["lists"],
                    row["value"],
                )
            )
    return sorted(found, key=lambda o: (o.deadline, o.name))


def summaries_for_officers(*, status="", enterprise="", date_from=None, date_to=None):
    """Summaries sent to customs (not an enterprise's previews)."""
    unsent = SummaryDeclaration.unsent_statuses
    qs = SummaryDeclaration.objects.exclude(status__in=unsent).select_related("owner")
    if status:
        qs = qs.filter(status=status)
    if enterprise:
        qs = qs.filter(
            Q(owner__code=enterprise.strip().upper()) | Q(decl_agent_code=enterprise.strip().upper())
        )
    if date_from:
        qs = qs.filter(period__gte=date_from)
    if date_to:
        qs = qs.filter(period__lte=date_to)
    return qs


def export_declarations_for_officers(*, enterprise="", port="", date_from=None, date_to=None):
    qs = ExportDeclaration.objects.select_related("owner")
    if enterprise:
        qs = qs.filter(Q(owner__code=enterprise.strip().upper()) | Q(ebc_code=enterprise.strip().upper()))
    if port:
        qs = qs.filter(port_code=port.strip())
    if date_from:
        qs = qs.filter(declared_on__gte=date_from)
    if date_to:
        qs = qs.filter(declared_on__lte=date_to)
    return qs
