"""``GET /api/v1/customs/reference/<list>/``: the code lists, so an ERP can check codes before sending.

Reference data is public to every signed-in user (no organisation scoping applies); anonymous callers are
refused like everywhere else in the API.
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics

from customs.api.serializers import SERIALIZERS, ReferenceQuerySerializer
from customs.selectors import reference as selectors


class ReferenceListAPIView(generics.ListAPIView):
    list_name = ""
    filter_backends = ()

    def get_queryset(self):
        params = ReferenceQuerySerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        on = None if data["all_editions"] else data.get("on") or timezone.localdate()
        return selectors.entries(self.list_name, on=on, q=data.get("q", ""))


def reference_view(list_name: str):
    """A list endpoint for one code list, documented with its own serializer in the OpenAPI schema."""
    view = type(
        f"{''.join(part.title() for part in list_name.split('_'))}ReferenceView",
        (ReferenceListAPIView,),
        {"list_name": list_name, "serializer_class": SERIALIZERS[list_name]},
    )
    return extend_schema(
        summary=f"Customs code list: {list_name}",
        description=(
            f"Entries of the `{list_name}` list valid on `on` (default: today, Asia/Shanghai) whose code "
            "starts with `q` or whose name contains it; `all_editions=true` lists every edition. Paginated."
        ),
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("on", str, description="YYYY-MM-DD"),
            OpenApiParameter("all_editions", bool),
        ],
        tags=["customs reference data"],
    )(view)
