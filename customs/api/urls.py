"""``/api/v1/customs/`` (included by portal/api/urls.py)."""

from django.urls import path

from customs.api.views import reference_view
from customs.reference_lists import LIST_NAMES

urlpatterns = [
    path(f"reference/{name}/", reference_view(name).as_view(), name=f"customs-reference-{name}")
    for name in LIST_NAMES
]
