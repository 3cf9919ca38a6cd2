"""Pages and endpoints of the exchange: receipt callback, CA certificate, outbox health, dead letters,
message detail with raw content, unmatched receipts, and each department's desk."""

import json
import logging

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from exchange import callbacks, selectors, services
from exchange.choices import Department, MessageStatus
from exchange.models import Message, Receipt
from exchange.signing import ca_certificate_pem
from portal.choices import OFFICER_ROLE_OF_DEPARTMENT, OrganisationKind, Role
from portal.context import acting
from portal.models import Organisation
from portal.permissions import RoleRequiredMixin
from portal.statemachine import TransitionNotAllowed

log = logging.getLogger(__name__)
MIN_CALLBACK_ITEMS, MAX_CALLBACK_ITEMS = 1, 100


@csrf_exempt
@require_POST
def receipts_callback(request):
    """govmock pushes receipts here (protocol §2); authenticated by HMAC, not by a session."""
    refusal = callbacks.check_size(request)
    body = b""
    if refusal is None:
        body = request.body
        refusal = callbacks.verify(request, body)
    if refusal is not None:
        log.warning(
            "receipt callback refused from %s: %s (%s)",
            request.META.get("REMOTE_ADDR"),
            refusal.code,
            refusal.message,
        )
        return JsonResponse({"code": refusal.code, "message": refusal.message}, status=refusal.status)
    try:
        document = json.loads(body)
        items, department = document["receipts"], document["department"]
        if not isinstance(items, list) or department not in Department.values:
            raise TypeError
    except (ValueError, KeyError, TypeError, RecursionError):
        log.warning("receipt callback with an unreadable body refused")
        return JsonResponse(
            {"code": "malformed", "message": 'expected {"department": "<department>", "receipts": [...]}'},
            status=400,
        )
    if not MIN_CALLBACK_ITEMS <= len(items) <= MAX_CALLBACK_ITEMS:
        # Protocol §2: a callback carries 1..100 receipts; more is not a batch govmock sends, none is noise.
        log.warning("receipt callback with %d items refused", len(items))
        return JsonResponse(
            {
                "code": "bad_count",
                "message": f"a callback carries {MIN_CALLBACK_ITEMS} to {MAX_CALLBACK_ITEMS} receipts, "
                f"this one {len(items)}",
            },
            status=400,
        )
    # The department acts here, not a signed-in user: audit events name the callback, not "anonymous".
    with acting(
        None,
        request_id=getattr(request, "request_id", ""),
        ip=request.META.get("REMOTE_ADDR", ""),
        via="callback",
    ):
        counts = services.receipts_ingest(items, via="callback", department=department)
    return JsonResponse({"accepted": counts["accepted"], "duplicates": counts["duplicates"]})


@require_GET
def ca_certificate(request):
    return HttpResponse(ca_certificate_pem(), content_type="application/x-pem-file")


class HealthView(RoleRequiredMixin, View):
    required_roles = (Role.SYSTEM_ADMIN,)

    def get(self, request):
        return render(
            request,
            "exchange/health.html",
            {
                "rows": selectors.outbox_health(),
                "unmatched": selectors.recent_unmatched(20),
            },
        )


class DeadLetterView(RoleRequiredMixin, View):
    required_roles = (Role.SYSTEM_ADMIN,)

    def get(self, request):
        qs = (
            Message.objects.visible_to(request.user)
            .filter(status__in=[MessageStatus.DEAD, MessageStatus.FAILED])
            .select_related("sender", "envelope")
        )
        department = request.GET.get("department")
        if department in Department.values:
            qs = qs.filter(department=department)
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "exchange/dead_letters.html",
            {"page_obj": page, "department": department, "departments": Department.choices},
        )


@method_decorator(require_POST, name="dispatch")
class ReplayView(RoleRequiredMixin, View):
    required_roles = (Role.SYSTEM_ADMIN,)

    def post(self, request, pk: int):
        message = get_object_or_404(Message.objects.visible_to(request.user), pk=pk)
        try:
            services.message_replay(message=message, by=request.user)
        except TransitionNotAllowed as exc:
            flash.error(request, str(exc))
        else:
            flash.success(request, _("Message %(id)s will be sent again.") % {"id": message.message_id})
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("exchange:dead-letters")
        return redirect(target)


class MessageDetailView(View):
    def get(self, request, pk: int):
        if not request.user.is_authenticated:
            return redirect("portal:login")
        message = get_object_or_404(
            Message.objects.visible_to(request.user).select_related("envelope", "sender"), pk=pk
        )
        return render(
            request,
            "exchange/message_detail.html",
            {
                "message": message,
                "receipts": message.receipts.order_by("received_at", "id"),
                "can_replay": request.user.has_perm("exchange.replay_message"),
            },
        )


class ReceiptRawView(View):
    def get(self, request, pk: int):
        if not request.user.is_authenticated:
            return redirect("portal:login")
        receipt = get_object_or_404(Receipt.objects.visible_to(request.user), pk=pk)
        return render(request, "exchange/receipt_raw.html", {"receipt": receipt})


class DepartmentDeskView(RoleRequiredMixin, View):
    """A department officer's desk: the messages addressed to their department and what came back.

    Officers of another department get 403: each department sees its own desk only.
    """

    department: str = ""

    def dispatch(self, request, *args, **kwargs):
        department = kwargs.get("department", self.department)
        if department not in Department.values:
            raise Http404
        self.department = department
        roles = [OFFICER_ROLE_OF_DEPARTMENT[department]]
        if department == Department.COMMERCE:
            roles.append(Role.COMMERCE_SUPERVISOR)
        self.required_roles = tuple(roles)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, department: str | None = None):
        filters = {
            "status": request.GET.get("status", ""),
            "message_type": request.GET.get("type", ""),
            "query": request.GET.get("q", ""),
        }
        qs = selectors.desk_messages(request.user, department=self.department, **filters)
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        selectors.describe_for_desk(page.object_list, request.user)
        return render(
            request,
            "exchange/desk.html",
            {
                **self.desk_context(),
                "page_obj": page,
                "statuses": MessageStatus.choices,
                "message_types": selectors.desk_message_types(self.department),
                "filters": filters,
                "latency": selectors.latency_percentiles(department=self.department),
            },
        )

    def desk_context(self) -> dict:
        return {
            "department": self.department,
            "department_label": dict(Department.choices)[self.department],
            "desk_url": reverse("exchange:desk", args=[self.department]),
        }


class DeskEnterpriseView(DepartmentDeskView):
    """Read-only: an enterprise as a department desk sees it (names, credit code) and the messages the
    department received from it."""

    def get(self, request, pk: int, department: str | None = None):
        org = get_object_or_404(
            Organisation.objects.visible_to(request.user).filter(kind=OrganisationKind.ENTERPRISE), pk=pk
        )
        qs = selectors.desk_messages(request.user, department=self.department).filter(sender=org)
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        selectors.describe_for_desk(page.object_list, request.user)
        return render(
            request,
            "exchange/desk_enterprise.html",
            {**self.desk_context(), "organisation": org, "page_obj": page},
        )
