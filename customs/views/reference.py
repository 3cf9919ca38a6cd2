"""Reference-data pages (``/customs/reference/``): the code lists the declarations are checked against.

Reference data is public: customs officers, system administrators and enterprise users may read it; nobody
edits it here (``manage.py load_customs_reference`` loads it).
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View

from customs.forms import ReferenceSearchForm
from customs.reference_lists import BY_NAME
from customs.selectors import reference as selectors
from portal.choices import Role
from portal.permissions import RoleRequiredMixin

REFERENCE_READERS = (Role.CUSTOMS_OFFICER, Role.SYSTEM_ADMIN, Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR)


class ReferenceIndexView(RoleRequiredMixin, View):
    """Every list with its counts, source and edition, and a commodity-code search."""

    required_roles = REFERENCE_READERS

    def get(self, request):
        today = timezone.localdate()
        return render(
            request,
            "customs/reference/index.html",
            {"lists": selectors.list_summaries(today), "today": today, "form": ReferenceSearchForm()},
        )


class ReferenceListView(RoleRequiredMixin, View):
    """One list, searchable by code or name, as it stood on a day (default today)."""

    required_roles = REFERENCE_READERS

    def get(self, request, list_name: str):
        if list_name not in BY_NAME:
            raise Http404
        form = ReferenceSearchForm(request.GET or None)
        q, on = "", timezone.localdate()
        if form.is_valid():
            q, on = form.cleaned_data["q"], form.cleaned_data["on"] or on
        qs = (
            selectors.entries(list_name, on=on, q=q)
            if not form.errors
            else selectors.entries(list_name, on=on).none()
        )
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        return render(
            request,
            f"customs/reference/{'hs' if list_name == 'hs' else 'list'}.html",
            {
                "spec": BY_NAME[list_name],
                "list_name": list_name,
                "form": form if form.is_bound else ReferenceSearchForm(),
                "page_obj": page,
                "on": on,
                "query": urlencode({k: v for k, v in (("q", q), ("on", request.GET.get("on", ""))) if v}),
            },
        )
