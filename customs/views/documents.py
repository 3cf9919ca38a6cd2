"""The enterprise pages of the customs documents (``/customs/<kind>/``): an index with filters, status counts
and keyset pages; the document with its lines, its checks ("customs would reject this because…"), its
timeline and its actions; a form with goods lines for drafts and corrections.

Every lookup goes through ``visible_to`` (another enterprise's document is a 404); every write through a
service (``customs.services``), which decides who may file and records the change on the timeline.
"""

from datetime import date, datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View

from customs.choices import CANCELLABLE, EDITABLE, DocStatus
from customs.forms import DocumentFilterForm, ReasonForm, SellerChoiceForm, as_text, line_formset
from customs.selectors import pages as page_selectors
from customs.selectors.pages import enterprise_documents, filter_documents, keyset_page, status_counts
from customs.selectors.reference import ReferenceSet
from customs.templatetags.customs_tags import amount, status_tone
from customs.validation import from_checks
from customs.validation.problems import field_label
from customs.validation.specs import LIST_HEAD, LIST_ITEM, ORDER_HEAD, ORDER_ITEM, PAYMENT, WAYBILL
from customs.views.common import (
    ENTERPRISE,
    LINE_PATH,
    OFFICERS,
    apply_errors,
    detail_url,
    int_param,
    owners_for,
    query_without,
)
from customs.views.kinds import KINDS, LISTS
from portal.permissions import RoleRequiredMixin
from portal.statemachine import TransitionNotAllowed
from portal.views.scoped import run_service, scoped_object

FORM_PREFIX = "items"


class KindMixin:
    kind = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.kind = KINDS[kwargs.pop("kind", None) or self.kind]


class DocumentIndexView(KindMixin, RoleRequiredMixin, View):
    """The documents the enterprise owns, files as an agent or is named on, newest first."""

    required_roles = ENTERPRISE

    def _visible(self, user, owners):
        """``visible_to``; for lists, the same rows spelled out so the (owner, …) indexes serve the page."""
        if hasattr(self.kind.kind.model, "party") or not owners:
            return self.kind.kind.model.objects.visible_to(user)
        return enterprise_documents(self.kind.kind.model, owners[0], [o.pk for o in owners[1:]])

    def get(self, request, kind=None):
        k = self.kind
        owners = owners_for(request.user, k.kind.document_type)
        form = DocumentFilterForm(request.GET or None, sellers=owners if len(owners) > 1 else ())
        data = form.cleaned_data if form.is_valid() else {}
        owner = next((o for o in owners if o.pk == data.get("seller")), None)
        base = self._visible(request.user, owners)
        filters = {
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "number": data.get("number", ""),
            "owner": owner,
            "date_field": k.date_field,
            "owner_ids": None if hasattr(k.kind.model, "party") else [o.pk for o in owners],
        }
        filtered = filter_documents(base, **filters)  # a number is looked up once, for rows and counts
        rows = filtered.filter(status=data["status"]) if data.get("status") else filtered
        if len(owners) > 1:  # the seller's column: only an agent's index shows it
            rows = rows.select_related("owner")
        page = keyset_page(
            rows,
            after=int_param(request, "after"),
            before=int_param(request, "before"),
            size=page_selectors.PAGE_SIZE,
        )
        counts = status_counts(filtered, DocStatus.values)
        return render(
            request,
            "customs/documents/index.html",
            {
                "kind": k,
                "form": form,
                "page": page,
                "rows": index_rows(k, page, agent=len(owners) > 1),
                **counted(counts),
                "query": query_without(request, "after", "before"),
                "status_query": query_without(request, "after", "before", "status"),
                "agent": len(owners) > 1,
            },
        )


def status_labels() -> dict:
    """``{status: (label, badge class)}``, the labels in the reader's language, made once per page (a
    ``get_status_display`` per row translates every choice of the field again)."""
    return {s: (str(label), status_tone(s)) for s, label in DocStatus.choices}


def check_labels() -> dict:
    return {"error": _("Errors"), "warning": _("Warnings")}


def index_rows(k, page, *, agent: bool) -> list[tuple]:
    """The rows of an index as the template prints them, each ``(doc, url, number, seller, values, status,
    label, badge class, check state, check label)``: formatted here, once, instead of a ``{% url %}``,
    filters and a status translation per cell in the template (ADR 0030, measurements)."""
    labels, checks, url = status_labels(), check_labels(), detail_url(k.url_detail)
    rows = []
    for doc in page:
        label, tone = labels.get(doc.status, (doc.status, ""))
        rows.append(
            (
                doc,
                url(doc.pk),
                k.kind.number(doc),
                doc.owner.display_name if agent else "",
                [shown(getattr(doc, attr)) for _label, attr in k.columns],
                doc.status,
                label,
                tone,
                doc.check_state,
                checks.get(doc.check_state, ""),
            )
        )
    return rows


def counted(counts: dict) -> dict:
    """The status links: ``(status, label, n, more)``, ``more`` when the count stopped at the cap."""
    cap = page_selectors.COUNT_CAP
    rows = [
        (s, label, min(counts[s], cap), counts[s] > cap) for s, label in DocStatus.choices if counts.get(s)
    ]
    return {
        "counts": rows,
        "total": sum(n for _s, _label, n, _more in rows),
        "total_more": any(more for *_rest, more in rows),
    }


# The code list each coded field of the documents names (the specs' code lists; customs offices by V14).
CODE_LISTS = {
    spec.name: spec.code_list
    for fields in (LIST_HEAD, LIST_ITEM, ORDER_HEAD, ORDER_ITEM, PAYMENT, WAYBILL)
    for spec in fields.specs
    if spec.code_list
} | {"customs_code": "customs_offices", "port_code": "customs_offices"}


def head_rows(k, doc, refs) -> list[tuple]:
    return [(f.label, named(n, shown(getattr(doc, n)), refs)) for n, f in k.head_form.base_fields.items()]


def item_rows(k, items, refs) -> list[list[str]]:
    fields = list(k.item_form.base_fields) if k.item_form else []
    return [[named(f, as_text(getattr(line, f)), refs) for f in fields] for line in items]


def named(field: str, text: str, refs: ReferenceSet) -> str:
    """``502 美国`` for a coded field: the code as filed, then its name in the reader's language (the code
    lists as they stood on the document's date); the code alone when the list does not know it."""
    entry = refs.get(CODE_LISTS[field], text) if field in CODE_LISTS and text else None
    return f"{text} {entry.name}" if entry is not None else text


def shown(value) -> str:
    """A head value as the page shows it: local time for instants, money to 2 places, codes as they are."""
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, date):
        return value.isoformat()
    return str(amount(value))


def anchor_of(path: str) -> str:
    """The id of the input a problem names on the edit page: ``items[2].price`` → ``field-items2-price``."""
    line = LINE_PATH.match(path or "")
    if line:
        return f"field-{line['coll']}{line['index']}-{line['name']}"
    return f"field-{path}" if path else ""


def problems_of(doc) -> list[dict]:
    """The document's recorded checks, in the reader's language, errors first, each naming its field."""
    found = sorted(from_checks(doc.checks), key=lambda p: (not p.is_error, p.field))
    return [
        {
            "severity": p.severity,
            "code": p.code,
            "field": p.field,
            "anchor": anchor_of(p.field),
            "where": field_label(p.field),
            "text": p.message(),
        }
        for p in found
    ]


class DocumentDetailView(KindMixin, RoleRequiredMixin, View):
    required_roles = ENTERPRISE + OFFICERS

    def get(self, request, pk, kind=None):
        k = self.kind
        doc = scoped_object(request, k.kind.model, pk, select_related=("owner", "filer"))
        items = list(doc.items.all()) if k.item_form else []
        enterprise = request.user.organisation_id is not None and not request.user.has_role(*OFFICERS)
        refs = ReferenceSet.load(getattr(doc, "ie_date", None))
        return render(
            request,
            "customs/documents/detail.html",
            {
                "kind": k,
                "doc": doc,
                "number": k.kind.number(doc),
                "items": items,
                "item_fields": list(k.item_form.base_fields) if k.item_form else [],
                "item_labels": [f.label for f in k.item_form.base_fields.values()] if k.item_form else [],
                "item_rows": item_rows(k, items, refs),
                "head": head_rows(k, doc, refs),
                "problems": problems_of(doc),
                "can_edit": enterprise and doc.status in EDITABLE,
                "can_submit": enterprise and doc.status in (DocStatus.DRAFT, DocStatus.REJECTED),
                "can_withdraw": enterprise and doc.status in EDITABLE,
                "can_cancel": enterprise and k is LISTS and doc.status in CANCELLABLE,
                "can_copy": enterprise and k is LISTS,
                "reason_form": ReasonForm(),
                "held": doc.status == DocStatus.INSPECTION,
                "cancellations": list(doc.cancellations.all()) if k is LISTS else [],
            },
        )


class DocumentFormView(KindMixin, RoleRequiredMixin, View):
    """A new draft (``pk`` None) or a draft / rejected document corrected; "save" keeps it as a draft, "send"
    saves and sends it in one step (a rejected list goes again as appType 2), all or nothing."""

    required_roles = ENTERPRISE

    def _doc(self, request, pk):
        if pk is None:
            return None
        doc = scoped_object(request, self.kind.kind.model, pk)
        if doc.status not in EDITABLE:
            raise Http404
        return doc

    def _forms(self, request, doc, data=None):
        k = self.kind
        owners = owners_for(request.user, k.kind.document_type)
        initial = {n: as_text(getattr(doc, n)) for n in k.head_form.base_fields} if doc else None
        head = k.head_form(data, initial=initial)
        seller = SellerChoiceForm(data, owners=owners, initial={"owner": owners[0].pk if owners else None})
        lines = None
        if k.item_form:
            rows = (
                [{n: as_text(getattr(i, n)) for n in k.item_form.base_fields} for i in doc.items.all()]
                if doc
                else []
            )
            lines = line_formset(k.item_form, extra=1 if rows else 2)(
                data, initial=rows or None, prefix=FORM_PREFIX
            )
        return head, lines, seller, owners

    def get(self, request, pk=None, kind=None):
        doc = self._doc(request, pk)
        head, lines, seller, owners = self._forms(request, doc)
        return self._render(request, doc, head, lines, seller, owners)

    def post(self, request, pk=None, kind=None):
        doc = self._doc(request, pk)
        head, lines, seller, owners = self._forms(request, doc, request.POST)
        choose = doc is None and len(owners) > 1
        valid = head.is_valid() & (lines is None or lines.is_valid()) & (not choose or seller.is_valid())
        if valid and (doc is not None or owners):
            values = {k: v for k, v in head.cleaned_data.items() if v not in ("", None)}
            items, positions = self._lines(lines)
            owner = self._owner(doc, owners, seller if choose else None)
            saved = self._save(request, doc, owner, values, items, head, lines, positions)
            if saved is not None:
                return redirect(reverse(f"customs:{self.kind.slug}-detail", args=[saved.pk]))
        return self._render(request, doc, head, lines, seller, owners)

    @staticmethod
    def _owner(doc, owners, seller):
        if doc is not None:
            return doc.owner
        if seller is None:
            return owners[0]
        return next(o for o in owners if o.pk == seller.cleaned_data["owner"])

    @staticmethod
    def _lines(lines):
        if lines is None:
            return [], []
        items, positions = [], []
        for index, form in enumerate(lines.forms):
            if not form.has_changed() or form.cleaned_data.get("DELETE"):
                continue
            values = form.values()
            values["gnum"] = len(items) + 1
            items.append(values)
            positions.append(index)
        return items, positions

    def _save(self, request, doc, owner, values, items, head, lines, positions):
        k, by = self.kind, request.user
        send = "send" in request.POST
        try:
            with transaction.atomic():
                doc = (
                    k.kind.create(owner=owner, by=by, head=values, items=items)
                    if doc is None
                    else k.kind.update(doc, by=by, head=values, items=items)
                )
                if send:
                    doc = k.kind.submit(doc, by=by)
        except ValidationError as exc:
            apply_errors(exc, head, lines, positions)
            return None
        except (PermissionDenied, TransitionNotAllowed) as exc:
            head.add_error(None, str(exc))
            return None
        messages.success(request, _("Sent to customs.") if send else _("Draft saved."))
        return doc

    def _render(self, request, doc, head, lines, seller, owners, status=200):
        return render(
            request,
            "customs/documents/form.html",
            {
                "kind": self.kind,
                "doc": doc,
                "number": self.kind.kind.number(doc) if doc else "",
                "form": head,
                "lines": lines,
                "seller_form": seller if doc is None and len(owners) > 1 else None,
                "rejected": doc is not None and doc.status == DocStatus.REJECTED,
            },
            status=status,
        )


class DocumentActionView(KindMixin, RoleRequiredMixin, View):
    """POST ``submit`` (send; a rejected list goes again as appType 2) or ``withdraw`` (with an optional
    reason)."""

    required_roles = ENTERPRISE
    actions = ("submit", "withdraw")

    def post(self, request, pk, action, kind=None):
        if action not in self.actions:
            raise Http404
        k = self.kind
        doc = scoped_object(request, k.kind.model, pk)
        try:
            self._run(request, k, doc, action)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        return redirect(reverse(f"customs:{k.slug}-detail", args=[doc.pk]))

    @staticmethod
    def _run(request, k, doc, action):
        if action == "submit":
            run_service(request, lambda: k.kind.submit(doc, by=request.user), success=_("Sent to customs."))
        else:
            reason = request.POST.get("reason", "")[:1000]
            run_service(
                request, lambda: k.kind.withdraw(doc, by=request.user, reason=reason), success=_("Withdrawn.")
            )
