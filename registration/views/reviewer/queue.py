"""The commerce bureau's queues: unassigned, mine, awaiting countersignature, all; filters; overdue first."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from portal import divisions
from portal.choices import Role
from portal.permissions import RoleRequiredMixin
from registration import clock, presenters, selectors
from registration.forms import QueueFilterForm

BUREAU_ROLES = (Role.COMMERCE_REVIEWER, Role.COMMERCE_SUPERVISOR)


class QueueView(RoleRequiredMixin, View):
    required_roles = BUREAU_ROLES

    def get(self, request):
        form = QueueFilterForm(request.GET or None)
        params = form.cleaned_data if form.is_valid() else {}
        which = params.get("queue") or "unassigned"
        qs = selectors.queue(
            request.user,
            which=which,
            entity_type=params.get("entity_type", ""),
            city=params.get("city", ""),
            age=params.get("age", ""),
        )
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        calendar = clock.WorkingCalendar()
        now = timezone.now()
        for filing in page:
            filing.clock = clock.clock_state(filing, now=now, calendar=calendar)
            filing.tone = presenters.status_tone(filing.status)
            filing.city = divisions.city_name(filing.division_code)
        year = timezone.localdate().year
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "registration/queue.html",
            {
                "form": form,
                "which": which,
                "page_obj": page,
                "counts": selectors.queue_counts(request.user),
                "uncovered_years": calendar.uncovered_years(year),
                "sla": clock.sla_working_days(),
                "query": query.urlencode(),
            },
        )
