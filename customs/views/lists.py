"""What only inventory lists do on their page: cancellation with a reason (CEB605) and a copy to a new draft.
Correction and resubmission (appType 2) in one step is the form's "send" on a rejected list
(``DocumentFormView``); sending a rejected list unchanged is the "submit" action."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from customs import services
from customs.forms import CopyForm, ReasonForm
from customs.models import InventoryList
from customs.views.common import ENTERPRISE
from portal.permissions import RoleRequiredMixin
from portal.views.scoped import run_service, scoped_object


class ListCancelView(RoleRequiredMixin, View):
    required_roles = ENTERPRISE

    def post(self, request, pk):
        inventory = scoped_object(request, InventoryList, pk)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason for the cancellation."))
            return redirect(reverse("customs:lists-detail", args=[pk]))
        try:
            run_service(
                request,
                services.list_cancel,
                success=_("The cancellation was sent to customs."),
                inventory=inventory,
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        return redirect(reverse("customs:lists-detail", args=[pk]))


class ListCopyView(RoleRequiredMixin, View):
    """A new draft with this list's head and lines, under a new reference (and order and waybill)."""

    required_roles = ENTERPRISE

    def get(self, request, pk):
        inventory = scoped_object(request, InventoryList, pk)
        return self._render(request, inventory, CopyForm())

    def post(self, request, pk):
        inventory = scoped_object(request, InventoryList, pk)
        form = CopyForm(request.POST)
        if form.is_valid():
            changes = {k: form.cleaned_data[k] for k in ("order_no", "logistics_no") if form.cleaned_data[k]}
            try:
                copy = run_service(
                    request,
                    services.list_copy,
                    form=form,
                    success=_("Copied to a new draft."),
                    inventory=inventory,
                    by=request.user,
                    cop_no=form.cleaned_data["cop_no"],
                    changes=changes,
                )
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                copy = None
            if copy:
                return redirect(reverse("customs:lists-edit", args=[copy.pk]))
        return self._render(request, inventory, form)

    @staticmethod
    def _render(request, inventory, form, status=200):
        return render(request, "customs/lists/copy.html", {"doc": inventory, "form": form}, status=status)
