"""The audit search page (administrators) and the timeline fragment any object page includes."""

from datetime import datetime, time

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from portal.choices import Role
from portal.forms import AuditSearchForm
from portal.models import AuditEvent
from portal.permissions import RoleRequiredMixin
from portal.timeline import state_label


class AuditSearchView(RoleRequiredMixin, View):
    required_roles = (Role.SYSTEM_ADMIN,)

    def get(self, request):
        form = AuditSearchForm(request.GET or None)
        qs = AuditEvent.objects.visible_to(request.user).select_related("actor_org", "target_type")
        if form.is_valid():
            data = form.cleaned_data
            if data["q"]:
                qs = qs.filter(
                    Q(target_repr__icontains=data["q"])
                    | Q(actor_label__icontains=data["q"])
                    | Q(target_id=data["q"])
                )
            if data["verb"]:
                qs = qs.filter(verb=data["verb"])
            if data["request_id"]:
                qs = qs.filter(request_id=data["request_id"])
            tz = timezone.get_current_timezone()
            if data["date_from"]:
                qs = qs.filter(at__gte=datetime.combine(data["date_from"], time.min, tzinfo=tz))
            if data["date_to"]:
                qs = qs.filter(at__lte=datetime.combine(data["date_to"], time.max, tzinfo=tz))
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        for event in page:  # states in words: the raw value is for the database, not for people
            model = event.target_type.model_class() if event.target_type_id else None
            event.from_label = state_label(model, event.from_state, event.payload)
            event.to_label = state_label(model, event.to_state, event.payload)
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request, "portal/audit_search.html", {"form": form, "page_obj": page, "query": query.urlencode()}
        )
