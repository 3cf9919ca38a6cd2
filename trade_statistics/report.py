"""The dashboard's tables, labelled in the user's language: one definition for the page and the exports.

Folding here runs over the groups the database returned (a dozen cities, months, roles or departments),
never over filings or messages.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from exchange.choices import Department
from portal import divisions
from registration.choices import SUBTYPES_OF, EntityType, Subtype
from trade_statistics.selectors import Dashboard
from trade_statistics.targets import PLAN_2014, PlanTarget

ONE_PLACE = Decimal("0.1")

# What the dashboard cannot show yet, said on the page and in every export.
VALUE_DATA_NOTE = _(
    "Progress towards this target is not shown. The target is measured by trade value, which comes from "
    "customs declarations (export inventory lists and summary declarations) and from foreign-exchange "
    "settlements. This installation does not collect them yet, so no value figure is shown or estimated. "
    "What the portal already records is shown instead: the registered operators, their filings and "
    "qualifications, and the messages exchanged with the departments."
)


@dataclass(frozen=True)
class Table:
    """``rows`` and ``total`` hold ``header_columns`` row-header cells, then the figures (None = no data)."""

    key: str
    caption: object
    sheet: object  # a short name for the spreadsheet tab (at most 31 characters)
    columns: tuple
    rows: list[list]
    total: list | None = None
    header_columns: int = 1
    note: object = ""

    @property
    def body(self) -> list[tuple[list, list]]:
        """Each row as (row-header cells, figures), for the page."""
        n = self.header_columns
        return [(row[:n], row[n:]) for row in self.rows]

    @property
    def footer(self) -> tuple[object, list] | None:
        """The total row as (its label, the figures): the label spans the row-header columns."""
        if self.total is None:
            return None
        return self.total[0], self.total[self.header_columns :]


@dataclass(frozen=True)
class Card:
    key: str
    label: object
    value: object


@dataclass(frozen=True)
class Report:
    generated_at: datetime
    months: tuple[date, ...]
    target: PlanTarget
    cards: list[Card] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    @property
    def by_key(self) -> dict[str, Table]:
        return {t.key: t for t in self.tables}


def ratio(numerator, denominator, *, scale: int = 1) -> Decimal | None:
    """``numerator / denominator × scale`` to one decimal place (half up); None without a denominator."""
    if not denominator:
        return None
    return (Decimal(numerator or 0) * scale / Decimal(denominator)).quantize(ONE_PLACE, ROUND_HALF_UP)


def month_label(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def _counts_by_role(dash: Dashboard) -> dict[tuple[str, str], int]:
    return {(row["entity_type"], row["subtype"]): row["count"] for row in dash.operators_by_role}


def operators_by_type(dash: Dashboard) -> Table:
    counts = _counts_by_role(dash)
    rows = [
        [entity_type.label, sum(n for (t, _s), n in counts.items() if t == entity_type)]
        for entity_type in EntityType
    ]
    known = set(EntityType.values)
    rows += [[t, n] for (t, _s), n in sorted(counts.items()) if t not in known]
    return Table(
        key="operators_by_type",
        caption=_("Registered operators (active filings) by entity type"),
        sheet=_("Operators by type"),
        columns=(_("Entity type"), _("Operators")),
        rows=rows,
        total=[_("Total"), sum(counts.values())],
    )


def operators_by_subtype(dash: Dashboard) -> Table:
    counts = _counts_by_role(dash)
    roles = [(t, s) for t, subtypes in SUBTYPES_OF.items() for s in subtypes]
    roles += sorted(key for key in counts if key not in roles)
    subtype_labels = dict(Subtype.choices)
    type_labels = dict(EntityType.choices)
    rows = [
        [type_labels.get(t, t), subtype_labels.get(s, s) if s else _("(none)"), counts.get((t, s), 0)]
        for t, s in roles
    ]
    return Table(
        key="operators_by_subtype",
        caption=_("Registered operators (active filings) by entity type and subtype"),
        sheet=_("Operators by subtype"),
        columns=(_("Entity type"), _("Subtype"), _("Operators")),
        rows=rows,
        total=[_("Total"), "", sum(counts.values())],
        header_columns=2,
    )


def operators_by_city(dash: Dashboard) -> Table:
    counts = {row["city"]: row["count"] for row in dash.operators_by_city}
    known = divisions.prefectures()
    rows = [[city.name, city.code, counts.get(divisions.city_of(city.code), 0)] for city in known]
    prefixes = {divisions.city_of(city.code) for city in known}
    for prefix, n in sorted(counts.items()):
        if prefix not in prefixes:
            label = _("No division code") if not prefix else _("Not in the division table")
            rows.append([label, prefix, n])
    return Table(
        key="operators_by_city",
        caption=_("Registered operators (active filings) by prefecture-level city"),
        sheet=_("Operators by city"),
        columns=(_("City"), _("Division code"), _("Operators")),
        rows=rows,
        total=[_("Total"), "", sum(counts.values())],
        note=_("The city is the prefecture of the division code of the registered address."),
    )


def filings_per_month(dash: Dashboard) -> Table:
    rows, totals = [], {"submitted": 0, "approved": 0, "rejected": 0, "decisions": 0, "working_days": 0}
    for month in dash.months:
        decided = dash.decisions.get(month, {})
        figures = {
            "submitted": dash.submitted.get(month, 0),
            "approved": decided.get("approved", 0),
            "rejected": decided.get("rejected", 0),
            "decisions": decided.get("decisions", 0),
            "working_days": decided.get("working_days") or 0,
        }
        for name, value in figures.items():
            totals[name] += value
        rows.append(_month_row(month_label(month), figures))
    return Table(
        key="filings_per_month",
        caption=_("Filings submitted and decided per month, last 12 months"),
        sheet=_("Filings per month"),
        columns=(
            _("Month"),
            _("Filings submitted"),
            _("Approvals"),
            _("Rejections"),
            _("Average working days from submission to decision"),
        ),
        rows=rows,
        total=_month_row(_("Total"), totals),
        note=_(
            "A filing counts as submitted in the month of its first submission; a decision (approval or "
            "countersigned rejection) in the month it was taken. Working days are the service clock's: the "
            "day of submission and the time a filing was returned to the applicant for correction do not "
            "count."
        ),
    )


def _month_row(label, figures: dict) -> list:
    return [
        label,
        figures["submitted"],
        figures["approved"],
        figures["rejected"],
        ratio(figures["working_days"], figures["decisions"]),
    ]


QUALIFICATION_FIGURES = ("requested", "done", "pending", "refused", "failed")


def qualifications_by_department(dash: Dashboard) -> Table:
    found = {row["department"]: row for row in dash.qualifications}
    totals = dict.fromkeys(QUALIFICATION_FIGURES, 0)
    rows = []
    for code, label in Department.choices:
        row = found.get(code, {})
        figures = [row.get(name, 0) for name in QUALIFICATION_FIGURES]
        for name, value in zip(QUALIFICATION_FIGURES, figures, strict=True):
            totals[name] += value
        rows.append([label, *figures, ratio(row.get("done", 0), row.get("requested", 0), scale=100)])
    total_figures = [totals[name] for name in QUALIFICATION_FIGURES]
    return Table(
        key="qualifications_by_department",
        caption=_("Qualifications requested from each department and where they stand"),
        sheet=_("Qualifications"),
        columns=(
            _("Department"),
            _("Requested"),
            _("Done"),
            _("In progress"),
            _("Refused"),
            _("Could not be delivered"),
            _("Done (%)"),
        ),
        rows=rows,
        total=[_("Total"), *total_figures, ratio(totals["done"], totals["requested"], scale=100)],
        note=_(
            "In progress: waiting to be sent or with the department. A qualification carried over unchanged "
            "into a new version of a filing is not counted again."
        ),
    )


def _traffic(dash: Dashboard, counts: dict, *, key: str, caption, sheet) -> Table:
    departments = Department.choices
    rows, column_totals = [], [0] * len(departments)
    for month in dash.months:
        figures = [counts.get((code, month), 0) for code, _label in departments]
        column_totals = [a + b for a, b in zip(column_totals, figures, strict=True)]
        rows.append([month_label(month), *figures, sum(figures)])
    return Table(
        key=key,
        caption=caption,
        sheet=sheet,
        columns=(_("Month"), *(label for _code, label in departments), _("Total")),
        rows=rows,
        total=[_("Total"), *column_totals, sum(column_totals)],
    )


def messages_sent(dash: Dashboard) -> Table:
    return _traffic(
        dash,
        dash.messages_sent,
        key="messages_sent",
        caption=_("Messages sent to each department per month, last 12 months"),
        sheet=_("Messages sent"),
    )


def receipts_received(dash: Dashboard) -> Table:
    return _traffic(
        dash,
        dash.receipts_received,
        key="receipts_received",
        caption=_("Receipts received from each department per month, last 12 months"),
        sheet=_("Receipts received"),
    )


def build(dash: Dashboard) -> Report:
    tables = [
        operators_by_type(dash),
        operators_by_subtype(dash),
        operators_by_city(dash),
        filings_per_month(dash),
        qualifications_by_department(dash),
        messages_sent(dash),
        receipts_received(dash),
    ]
    return Report(
        generated_at=dash.generated_at,
        months=dash.months,
        target=PLAN_2014,
        cards=_cards(tables),
        tables=tables,
    )


def _cards(tables: list[Table]) -> list[Card]:
    by_key = {t.key: t for t in tables}
    monthly = by_key["filings_per_month"].total
    qualifications = by_key["qualifications_by_department"].total
    return [
        Card("operators", _("Registered operators (active filings)"), by_key["operators_by_type"].total[1]),
        Card("submitted", _("Filings submitted, last 12 months"), monthly[1]),
        Card("approved", _("Filings approved, last 12 months"), monthly[2]),
        Card(
            "working_days",
            _("Average working days from submission to decision, last 12 months"),
            monthly[4],
        ),
        Card("qualifications_done", _("Qualifications done (%)"), qualifications[-1]),
    ]
