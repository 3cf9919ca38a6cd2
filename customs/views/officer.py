"""Customs officers' pages under ``/customs/officer/`` (beside the message desk, ``exchange.views
.DepartmentDeskView`` at ``/customs/officer/``): every enterprise's inventory lists by status, enterprise,
port and period; summary and export declarations; the rejected and unmatched queues; rejection rates per
enterprise; overdue summaries. Read only: officers act through customs' receipts, not here."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View

from customs.choices import UNSENT, DocStatus, SummaryStatus
from customs.forms import OfficerFilterForm
from customs.models import SummaryDeclaration
from customs.selectors import officer as selectors
from customs.selectors import pages as page_selectors
from customs.selectors.pages import keyset_page, status_counts
from customs.views.common import OFFICERS, detail_url, int_param, query_without
from customs.views.documents import counted, status_labels
from portal.permissions import RoleRequiredMixin

SENT_CHOICES = [(value, label) for value, label in DocStatus.choices if value not in UNSENT]
UNSENT_SUMS = SummaryDeclaration.unsent_statuses
SENT_SUMMARY_CHOICES = [(code, label) for code, label in SummaryStatus.choices if code not in UNSENT_SUMS]


def _filters(request, statuses=SENT_CHOICES):
    form = OfficerFilterForm(request.GET or None, statuses=statuses)
    return form, (form.cleaned_data if form.is_valid() else {})


def _page(request, qs):
    return keyset_page(
        qs,
        after=int_param(request, "after"),
        before=int_param(request, "before"),
        size=page_selectors.PAGE_SIZE,
    )


class OfficerListsView(RoleRequiredMixin, View):
    required_roles = OFFICERS

    def get(self, request):
        form, data = _filters(request)
        filters = {
            k: data.get(k) for k in ("enterprise", "port", "date_from", "date_to", "number") if data.get(k)
        }
        rows = selectors.lists_for_officers(status=data.get("status", ""), **filters).select_related("owner")
        page = _page(request, rows)
        return render(
            request,
            "customs/officer/lists.html",
            {
                "form": form,
                "page": page,
                "rows": officer_rows(page),
                "counts": _counts(selectors.lists_for_officers(**filters)),
                "query": query_without(request, "after", "before"),
                "status_query": query_without(request, "after", "before", "status"),
                "section": "lists",
            },
        )


def officer_rows(page, unmatched: bool = False) -> list[tuple]:
    """The rows of the officers' list tables, ``(doc, url, number, seller, status, label, badge class,
    customs' word or what is missing)``, formatted once here rather than by tags and filters per cell."""
    labels, url = status_labels(), detail_url("customs:lists-detail")
    missing = (
        (pgettext("customs document", "order"), "has_order"),
        (_("payment receipt"), "has_payment"),
        (_("waybill"), "has_waybill"),
    )
    rows = []
    for doc in page:
        label, tone = labels.get(doc.status, (doc.status, ""))
        if unmatched:
            said = " ".join(str(word) for word, attr in missing if not getattr(doc, attr))
        else:
            said = f"{doc.customs_status} {Truncator(doc.customs_info).chars(80)}"
        rows.append(
            (
                doc,
                url(doc.pk),
                doc.invt_no or doc.cop_no,
                doc.owner.display_name,
                doc.status,
                label,
                tone,
                said,
            )
        )
    return rows


def _counts(qs):
    return counted(status_counts(qs, [value for value, _label in SENT_CHOICES]))["counts"]


class OfficerQueueView(RoleRequiredMixin, View):
    """``rejected``: lists customs rejected, oldest rejection first; ``unmatched``: lists sent but not
    entered whose order, payment receipt or waybill is missing from the portal."""

    required_roles = OFFICERS
    queue = "rejected"

    def get(self, request):
        if self.queue == "rejected":
            rows = selectors.lists_for_officers(status=DocStatus.REJECTED)
        else:
            rows = selectors.unmatched_lists()
        page = _page(request, rows.select_related("owner"))
        return render(
            request,
            "customs/officer/queue.html",
            {
                "page": page,
                "rows": officer_rows(page, unmatched=self.queue == "unmatched"),
                "queue": self.queue,
                "unmatched": self.queue == "unmatched",
                "query": "",
                "section": self.queue,
            },
        )


class OfficerRatesView(RoleRequiredMixin, View):
    required_roles = OFFICERS

    def get(self, request):
        form, data = _filters(request)
        rates = selectors.rejection_rates(date_from=data.get("date_from"), date_to=data.get("date_to"))
        return render(
            request, "customs/officer/rates.html", {"form": form, "rates": rates, "section": "rates"}
        )


class OfficerOverdueView(RoleRequiredMixin, View):
    required_roles = OFFICERS

    def get(self, request):
        today = timezone.localdate()
        months = selectors.overdue_summaries(today=today)
        return render(
            request,
            "customs/officer/overdue.html",
            {"months": months, "today": today, "section": "overdue"},
        )


class OfficerDeclarationsView(RoleRequiredMixin, View):
    required_roles = OFFICERS

    def get(self, request):
        form, data = _filters(request, statuses=SENT_SUMMARY_CHOICES)
        common = {k: data.get(k) for k in ("enterprise", "date_from", "date_to") if data.get(k)}
        summaries = selectors.summaries_for_officers(status=data.get("status", ""), **common)
        declarations = selectors.export_declarations_for_officers(port=data.get("port", ""), **common)
        return render(
            request,
            "customs/officer/declarations.html",
            {
                "form": form,
                "summaries": _page(request, summaries),
                "declarations": list(declarations.order_by("-pk")[: page_selectors.PAGE_SIZE]),
                "query": query_without(request, "after", "before"),
                "section": "declarations",
            },
        )
