"""Keyset pages for the customs document endpoints (``/api/v1/customs/{orders,payments,waybills,
inventory-lists}/``).

The portal's default pages (``PortalPagination``) answer ``page=N`` with ``OFFSET`` and a ``COUNT(*)`` of
every row the filters let through: with 2,000,000 lists that is a count of 1,960,000 index entries per
request, and ``OFFSET`` reads every row before the page. Here a page is the rows past a key, by id (newest
first; ``ordering=id`` walks oldest first): ``after=<id>`` the next page, ``before=<id>`` the previous one,
each one ``LIMIT page_size + 1`` range scan on the ``(owner, -id)`` / ``(owner, status, -id)`` / ``(status,
-id)`` indexes whatever the depth (ADR 0030). ``next`` and ``previous`` carry the keys.

``count`` stops at ``COUNT_CAP`` (``count_more`` is true beyond it): a first page that holds every row is
counted from its rows, any other page with ``COUNT(*)`` of a ``LIMIT COUNT_CAP + 1`` subquery.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from customs.selectors import pages
from portal.api.pagination import _on_site_url


class KeysetPagination(BasePagination):
    page_size = 50
    max_page_size = 500
    after_query_param = "after"
    before_query_param = "before"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        if "page" in request.query_params:  # a client of the old numbered pages would loop on the first one
            message = _("Pages are by key, not by number: follow “next” (after=<id>).")
            raise ValidationError({"page": [message]})
        ordering = request.query_params.get("ordering")
        if ordering not in (None, "", "id", "-id"):  # DRF would ignore it, and the client get another order
            message = _(
                "Lists are ordered by id only: “-id” (newest first, the default) or “id” (oldest first)."
            )
            raise ValidationError({"ordering": [message]})
        size = self._size(request)
        after = self._key(request, self.after_query_param)
        before = self._key(request, self.before_query_param)
        descending = not _ascending(queryset)
        self.page = pages.keyset_page(queryset, after=after, before=before, size=size, descending=descending)
        if after is None and before is None and self.page.older is None:
            self.count, self.count_more = len(self.page.rows), False  # the whole result is on this page
        else:
            cap = pages.COUNT_CAP
            n = queryset.order_by()[: cap + 1].count()
            self.count, self.count_more = min(n, cap), n > cap
        return self.page.rows

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "count_more": self.count_more,
                "next": self._link(self.after_query_param, self.page.older),
                "previous": self._link(self.before_query_param, self.page.newer),
                "results": data,
            }
        )

    def _link(self, param, key):
        if key is None:
            return None
        url = self.request.build_absolute_uri()
        other = self.before_query_param if param == self.after_query_param else self.after_query_param
        return _on_site_url(replace_query_param(remove_query_param(url, other), param, key))

    def _size(self, request) -> int:
        value = request.query_params.get(self.page_size_query_param, "")
        if value.isdigit() and int(value) > 0:
            return min(int(value), self.max_page_size)
        return self.page_size

    @staticmethod
    def _key(request, name):
        value = request.query_params.get(name)
        if value in (None, ""):
            return None
        if not value.isdigit():
            raise ValidationError({name: [_("A page key is the id of a row: a whole number.")]})
        return int(value)

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_more", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "example": 123,
                    "description": f"rows the filters let through, counted up to {pages.COUNT_CAP:,}",
                },
                "count_more": {
                    "type": "boolean",
                    "description": f"more than {pages.COUNT_CAP:,} rows match (`count` stopped there)",
                },
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "example": f"https://portal.example/api/v1/customs/inventory-lists/?{self.after_query_param}=4051",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "example": f"https://portal.example/api/v1/customs/inventory-lists/?{self.before_query_param}=4100",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        def parameter(name, description, minimum=1):
            return {
                "name": name,
                "required": False,
                "in": "query",
                "description": description,
                "schema": {"type": "integer", "minimum": minimum},
            }

        return [
            parameter(
                self.after_query_param,
                "keyset page: the rows after this id in the page's order (newest first: older rows); "
                "`next` carries it. No page numbers and no OFFSET: the cost does not grow with the depth.",
            ),
            parameter(
                self.before_query_param,
                "keyset page: the page just before this id (newest first: newer rows); `previous` carries it",
            ),
            {
                **parameter(self.page_size_query_param, f"rows per page (default {self.page_size})"),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


def _ascending(queryset) -> bool:
    """Whether the rows are asked oldest first (``ordering=id``); any other order pages newest first."""
    order = list(queryset.query.order_by)
    return bool(order) and order[0] in ("id", "pk")
