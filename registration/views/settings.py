"""Settings pages of the registration: the working-day calendar and the return-reason picklist."""

from datetime import date

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from portal.choices import Role
from portal.permissions import RoleRequiredMixin
from registration import clock
from registration.forms import CalendarDayForm, ReturnReasonForm
from registration.models import HolidayCalendar, ReturnReason
from registration.services import calendar as calendar_services
from registration.services import reasons as reason_services
from registration.views._helpers import run

SETTINGS_ROLES = (Role.COMMERCE_SUPERVISOR, Role.SYSTEM_ADMIN)


class CalendarView(RoleRequiredMixin, View):
    required_roles = SETTINGS_ROLES

    def _year(self, request) -> int:
        try:
            year = int(request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        return min(max(year, 2004), 2100)

    def get(self, request, form=None):
        year = self._year(request)
        calendar = clock.WorkingCalendar()
        rows = HolidayCalendar.objects.filter(date__year=year)
        for row in rows:
            row.label = clock.HOLIDAY_NAMES.get(row.name, row.name)
        return render(
            request,
            "registration/calendar.html",
            {
                "year": year,
                "rows": rows,
                "covered": calendar.covers(year),
                "form": form or CalendarDayForm(),
                "years": [year - 1, year, year + 1],
            },
        )

    def post(self, request):
        form = CalendarDayForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if run(
                request,
                calendar_services.calendar_day_set,
                form=form,
                day=data["date"],
                kind=data["kind"],
                name=data["name"],
                by=request.user,
                success=_("Calendar updated."),
            ):
                return redirect(f"{request.path}?year={data['date'].year}")
        return self.get(request, form=form)


class CalendarRemoveView(RoleRequiredMixin, View):
    required_roles = SETTINGS_ROLES

    def post(self, request, day: str):
        try:
            parsed = date.fromisoformat(day)
        except ValueError:
            parsed = None
        if parsed is not None:
            calendar_services.calendar_day_remove(day=parsed, by=request.user)
            messages.success(request, _("Calendar updated."))
            return redirect(f"{reverse('registration:calendar')}?year={parsed.year}")
        return redirect("registration:calendar")


class ReasonsView(RoleRequiredMixin, View):
    required_roles = SETTINGS_ROLES

    def get(self, request, form=None):
        return render(
            request,
            "registration/reasons.html",
            {"reasons": ReturnReason.objects.all(), "form": form or ReturnReasonForm()},
        )

    def post(self, request):
        form = ReturnReasonForm(request.POST)
        if form.is_valid() and run(
            request,
            reason_services.reason_add,
            form=form,
            by=request.user,
            success=_("Reason added."),
            **form.cleaned_data,
        ):
            return redirect("registration:reasons")
        return self.get(request, form=form)


class ReasonToggleView(RoleRequiredMixin, View):
    required_roles = SETTINGS_ROLES

    def post(self, request, pk: int):
        reason = get_object_or_404(ReturnReason, pk=pk)
        reason_services.reason_set_active(reason=reason, active=not reason.active, by=request.user)
        messages.success(request, _("Reason updated."))
        return redirect("registration:reasons")
