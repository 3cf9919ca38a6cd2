"""Pages of the monthly summaries, export declarations and their certificates (``/customs/summaries/``,
``/customs/declarations/``). Thin: reads through selectors and ``visible_to``, writes through services."""

from django.shortcuts import render
from django.utils import timezone
from django.views import View

from customs.selectors.summaries import deadlines
from portal.choices import Role
from portal.models import Organisation
from portal.permissions import RoleRequiredMixin

ENTERPRISE = (Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR)


def is_officer(user) -> bool:
    return user.is_superuser or user.has_perm("customs.view_all_documents")


class DeadlinesView(RoleRequiredMixin, View):
    """Each month with closed lists on path B: how many still wait, the deadline, and whether it is near or
    past. An enterprise sees its own months; customs officers every enterprise's waiting months
    (``?overdue=1``: the overdue ones)."""

    required_roles = (*ENTERPRISE, Role.CUSTOMS_OFFICER)

    def get(self, request):
        today = timezone.localdate()
        officer = is_officer(request.user)
        if officer:
            rows = deadlines(today=today, waiting_only=True)
            if request.GET.get("overdue"):
                rows = [r for r in rows if r.overdue(today)]
        else:
            rows = deadlines(owner=request.user.organisation, today=today)
        names = Organisation.objects.in_bulk({r.owner_id for r in rows}) if officer else {}
        shown = [
            {
                "row": r,
                "owner": names.get(r.owner_id),
                "days_left": r.days_left(today),
                "overdue": r.overdue(today),
                "due_soon": r.due_soon(today),
            }
            for r in rows
        ]
        return render(
            request,
            "customs/summaries/deadlines.html",
            {
                "rows": shown,
                "today": today,
                "officer": officer,
                "only_overdue": bool(request.GET.get("overdue")),
            },
        )
