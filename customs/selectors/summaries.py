"""Reads of the monthly summaries (DOMAIN §3.9, §3.10): the groups a summary forms, computed in the
database; the deadlines per enterprise; the statistics-only (汇总统计) counts.

Grouping: one ``values().annotate()`` (``GROUP BY``) over the summary's list lines by the header keys
(consignor ``ebcCode``, ``trafMode``, head ``country``, ``portCode`` and, with ``summaryFlag`` 2, the
producer/seller ``ownerCode``) and the item keys (row ``country``, ``gcode``, ``currency``, the legal units
— quantities in different units cannot be added — and, with ``itemNameFlag`` 1, ``itemName``), summing legal
quantities and values; one more over the lists by the header keys for weights, packages and counts. Python
only folds the resulting groups (never the lists) and splits a header's items past the item limit.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from customs.choices import DocStatus, StatisticsFlag, SummaryFlag, SummaryStatus
from customs.models import InventoryItem, InventoryList, SummaryDeclaration

HEADER_KEYS = ("ebc_code", "traf_mode", "country", "port_code")
ITEM_KEYS = ("country", "gcode", "currency", "unit1", "unit2")


def month_bounds(period: date) -> tuple[datetime, datetime]:
    """The month of ``period`` as aware datetimes [start, end) in the portal's time zone (Asia/Shanghai)."""
    tz = timezone.get_current_timezone()
    first = period.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return datetime.combine(first, time.min, tzinfo=tz), datetime.combine(following, time.min, tzinfo=tz)


def summary_deadline(period: date, calendar=None) -> date:
    """The 15th of the month after ``period``, moved to the first working day on or after it (statutory
    holidays and rest days skipped, make-up working days counted: registration's calendar)."""
    from registration.standing import working_calendar

    calendar = calendar or working_calendar()
    following = (period.replace(day=1) + timedelta(days=32)).replace(day=15)
    return calendar.next_working_day(following)


def header_keys(summary_flag: str) -> tuple[str, ...]:
    return (*HEADER_KEYS, "owner_code") if summary_flag == SummaryFlag.CONSIGNOR_OWNER else HEADER_KEYS


def item_keys(item_name_flag: bool) -> tuple[str, ...]:
    return (*ITEM_KEYS, "item_name") if item_name_flag else ITEM_KEYS


@dataclass
class Item:
    gnum: int
    keys: dict
    qty1: Decimal
    qty2: Decimal | None
    total_price: Decimal
    lines: int
    declaration: int  # 1-based: which declaration of its group it falls in after splitting


@dataclass
class Group:
    """One header group: the lists sharing the header keys, their summed items, and how many declarations
    they make at the item limit."""

    keys: dict
    lists: int = 0
    gross_weight: Decimal = Decimal(0)
    net_weight: Decimal = Decimal(0)
    pack_no: int = 0
    total_value: Decimal = Decimal(0)
    items: list[Item] = field(default_factory=list)
    declaration_count: int = 1


def item_rows(lines, summary_flag: str, item_name_flag: bool):
    """``lines`` (an ``InventoryItem`` queryset) grouped by header and item keys: the one GROUP BY query."""
    heads = [f"inventory__{k}" for k in header_keys(summary_flag)]
    keys = [*heads, *item_keys(item_name_flag)]
    return (
        lines.values(*keys)
        .annotate(
            sum_qty1=Sum("qty1"),
            sum_qty2=Sum("qty2"),
            sum_total=Sum("total_price"),
            lines=Count("id"),
            name=Max("gname"),
        )
        .order_by(*keys)
    )


def header_rows(lists, summary_flag: str):
    keys = header_keys(summary_flag)
    return (
        lists.values(*keys)
        .annotate(
            lists=Count("id"),
            gross=Sum("gross_weight"),
            net=Sum("net_weight"),
            packs=Sum("pack_no"),
            value=Sum("total_value"),
        )
        .order_by(*keys)
    )


def fold(item_result, header_result, summary_flag: str, item_name_flag: bool, limit: int) -> list[Group]:
    """Fold the two GROUP BY results into groups with numbered items, split every ``limit`` items."""
    hkeys, ikeys = header_keys(summary_flag), item_keys(item_name_flag)
    groups: dict[tuple, Group] = {}
    for row in header_result:
        key = tuple(row[k] for k in hkeys)
        groups[key] = Group(
            keys={k: row[k] for k in hkeys},
            lists=row["lists"],
            gross_weight=row["gross"] or Decimal(0),
            net_weight=row["net"] or Decimal(0),
            pack_no=row["packs"] or 0,
            total_value=row["value"] or Decimal(0),
        )
    for row in item_result:
        group = groups[tuple(row[f"inventory__{k}"] for k in hkeys)]
        n = len(group.items)
        group.items.append(
            Item(
                gnum=n % limit + 1,
                keys={k: row[k] for k in ikeys},
                qty1=row["sum_qty1"],
                qty2=row["sum_qty2"] if row["unit2"] else None,
                total_price=row["sum_total"],
                lines=row["lines"],
                declaration=n // limit + 1,
            )
        )
    for group in groups.values():
        group.declaration_count = max(1, -(-len(group.items) // limit))
    return list(groups.values())


def _eligible(consignor, period: date, prefix: str = "") -> dict:
    start, end = month_bounds(period)
    conditions = {
        "owner": consignor,
        "status": DocStatus.CLOSED,
        "statistics_flag": StatisticsFlag.B,
        "closed_at__gte": start,
        "closed_at__lt": end,
    }
    return {f"{prefix}{name}": value for name, value in conditions.items()}


def eligible_lists(consignor, period: date):
    """Lists of ``consignor`` closed (899) in the month of ``period`` with statisticsFlag B."""
    return InventoryList.objects.filter(**_eligible(consignor, period))


def _of_summary(summary: SummaryDeclaration, prefix: str = "") -> dict:
    """A preview's lists are those waiting (eligible, in no live summary); a sent summary's those it
    reserved."""
    if summary.status == SummaryStatus.PREVIEW:
        return {**_eligible(summary.owner_id, summary.period, prefix), f"{prefix}summary__isnull": True}
    return {f"{prefix}summary": summary}


def summary_lists(summary: SummaryDeclaration):
    return InventoryList.objects.filter(**_of_summary(summary))


def summary_groups(summary: SummaryDeclaration, on_counted=None) -> list[Group]:
    """The declarations ``summary``'s lists form: two GROUP BY queries (lines joined to their lists),
    folded. ``on_counted(lists)`` is called between the two, once the lists are counted."""
    limit = summary.item_limit or 50
    flag, names = summary.summary_flag, summary.item_name_flag
    headers = list(header_rows(summary_lists(summary), flag))
    if on_counted is not None:
        on_counted(sum(row["lists"] for row in headers))
    lines = InventoryItem.objects.filter(**_of_summary(summary, "inventory__"))
    return fold(item_rows(lines, flag, names), headers, flag, names, limit)


def statistics_counts(*, period: date, owner=None):
    """汇总统计 (DOMAIN §3.10): lists closed in the month with statisticsFlag A — counted for statistics, no
    declaration. Rows ``{owner, country, currency, lists, value, gross_weight}`` per consignor, destination
    and currency."""
    start, end = month_bounds(period)
    lists = InventoryList.objects.filter(
        status=DocStatus.CLOSED, statistics_flag=StatisticsFlag.A, closed_at__gte=start, closed_at__lt=end
    )
    if owner is not None:
        lists = lists.filter(owner=owner)
    return (
        lists.values("owner", "country", "currency")
        .annotate(lists=Count("id"), value=Sum("total_value"), gross_weight=Sum("gross_weight"))
        .order_by("owner", "country", "currency")
    )


# --- deadlines ------------------------------------------------------------------------------------------
DUE_SOON_DAYS = 5


@dataclass
class MonthDeadline:
    """One month of one enterprise: its lists waiting to be summarised and when the summary is due."""

    owner_id: int
    period: date
    deadline: date
    closed: int  # lists closed that month with path B
    waiting: int  # of which not in a submitted or declared summary
    last_closed: datetime | None = None

    @property
    def done(self) -> bool:
        return self.waiting == 0

    def days_left(self, today: date) -> int:
        return (self.deadline - today).days

    def overdue(self, today: date) -> bool:
        return not self.done and today > self.deadline

    def due_soon(self, today: date) -> bool:
        return not self.done and 0 <= self.days_left(today) <= DUE_SOON_DAYS


def _month_rows(lists):
    waiting = Q(summary__isnull=True)  # a preview holds no list; a rejected summary freed its lists
    return (
        lists.filter(status=DocStatus.CLOSED, statistics_flag=StatisticsFlag.B, closed_at__isnull=False)
        .annotate(month=TruncMonth("closed_at"))
        .values("owner", "month")
        .annotate(closed=Count("id"), waiting=Count("id", filter=waiting), last=Max("closed_at"))
        .order_by("owner", "-month")
    )


def deadlines(*, owner=None, today: date | None = None, waiting_only: bool = False) -> list[MonthDeadline]:
    """Per enterprise and month with lists closed on path B: the deadline and what still waits (one GROUP
    BY). Months of the running month are left out (they cannot be summarised yet)."""
    from registration.standing import working_calendar

    today = today or timezone.localdate()
    lists = InventoryList.objects.filter(closed_at__lt=month_bounds(today)[0])
    if owner is not None:
        lists = lists.filter(owner=owner)
    calendar = working_calendar()
    rows = []
    for row in _month_rows(lists):
        if waiting_only and not row["waiting"]:
            continue
        period = _as_date(row["month"])
        rows.append(
            MonthDeadline(
                owner_id=row["owner"],
                period=period,
                deadline=summary_deadline(period, calendar),
                closed=row["closed"],
                waiting=row["waiting"],
                last_closed=row["last"],
            )
        )
    return rows


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value
