"""``/api/v1/customs/`` (included by portal/api/urls.py)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from customs.api.summaries import ExportDeclarationViewSet, SummaryDeclarationViewSet
from customs.api.views import reference_view
from customs.reference_lists import LIST_NAMES

router = DefaultRouter()
router.include_root_view = False
router.register("summary-declarations", SummaryDeclarationViewSet, basename="customs-summary")
router.register("export-declarations", ExportDeclarationViewSet, basename="customs-declaration")

urlpatterns = [
    path(f"reference/{name}/", reference_view(name).as_view(), name=f"customs-reference-{name}")
    for name in LIST_NAMES
] + router.urls
