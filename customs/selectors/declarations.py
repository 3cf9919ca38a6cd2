"""Export declarations and their certificates for the apps that build on them (issue 11: forex settlement,
tax refund, statistics). Not scoped to a user: the callers are services deciding for an enterprise they
already hold, or statistics over all of them; pages and the API read through ``visible_to``.

* ``declarations_of(owner, start=, end=, certified_only=)``: an enterprise's export declarations declared in
  a period (``declared_on``), with their items prefetched — forex matches receipts against them, tax refund
  matches purchase invoices against their items;
* ``certificate_of(entry_id)``: one declaration by its 18-digit number, if its certificate (报关单证明联) is
  issued — what a refund application cites;
* ``declaration_totals(start=, end=, by=)``: values, declarations and lists per enterprise, destination,
  exit customs or HS code in a period (one GROUP BY), for statistics;
* ``customs.selectors.summaries.statistics_counts``: the lists summarised for statistics only (path A).
"""

from datetime import date

from django.db.models import Count, Sum

from customs.models import ExportDeclaration, ExportDeclarationItem

GROUPINGS = {
    "owner": ("owner",),
    "country": ("country",),
    "port": ("port_code",),
    "currency": ("currency",),
}


def _period(qs, start: date | None, end: date | None, field: str = "declared_on"):
    if start:
        qs = qs.filter(**{f"{field}__gte": start})
    if end:
        qs = qs.filter(**{f"{field}__lte": end})
    return qs


def declarations_of(
    owner, *, start: date | None = None, end: date | None = None, certified_only: bool = False
):
    """``owner``'s export declarations declared between ``start`` and ``end`` (inclusive), oldest first, with
    their items."""
    qs = _period(ExportDeclaration.objects.filter(owner=owner), start, end)
    if certified_only:
        qs = qs.filter(certificate_issued_at__isnull=False)
    return qs.prefetch_related("items").order_by("declared_on", "pk")


def certificate_of(entry_id: str, *, owner=None) -> ExportDeclaration | None:
    """The declaration ``entry_id`` when its certificate is issued (and it is ``owner``'s, when given)."""
    qs = ExportDeclaration.objects.filter(entry_id=entry_id, certificate_issued_at__isnull=False)
    if owner is not None:
        qs = qs.filter(owner=owner)
    return qs.prefetch_related("items").first()


def declaration_totals(*, start: date | None = None, end: date | None = None, by: str = "owner"):
    """Rows ``{<by keys>, declarations, value, packages}`` per ``by`` (owner, country, port, currency) of the
    declarations declared in the period."""
    keys = GROUPINGS[by]
    qs = _period(ExportDeclaration.objects.all(), start, end)
    return (
        qs.values(*keys)
        .annotate(declarations=Count("id"), value=Sum("total_value"), packages=Sum("pack_no"))
        .order_by(*keys)
    )


def item_totals(*, start: date | None = None, end: date | None = None):
    """Per HS code and currency: legal quantities and values of the declarations' items in the period (one
    GROUP BY), for export statistics by commodity."""
    qs = _period(ExportDeclarationItem.objects.all(), start, end, "declaration__declared_on")
    return (
        qs.values("gcode", "unit1", "currency")
        .annotate(
            qty1=Sum("qty1"), value=Sum("total_price"), declarations=Count("declaration", distinct=True)
        )
        .order_by("gcode", "unit1", "currency")
    )
