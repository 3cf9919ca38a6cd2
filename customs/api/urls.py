"""``/api/v1/customs/`` (included by portal/api/urls.py)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from customs.api.authorisations import AuthorisationViewSet
from customs.api.imports import ListImportViewSet
from customs.api.summaries import ExportDeclarationViewSet, SummaryDeclarationViewSet, SummaryJobViewSet
from customs.api.views import reference_view
from customs.api.views_documents import InventoryListViewSet, OrderViewSet, PaymentViewSet, WaybillViewSet
from customs.reference_lists import LIST_NAMES

router = DefaultRouter()
router.include_root_view = False
router.register("summary-declarations", SummaryDeclarationViewSet, basename="customs-summary")
router.register("summary-jobs", SummaryJobViewSet, basename="customs-summary-job")
router.register("export-declarations", ExportDeclarationViewSet, basename="customs-declaration")
router.register("orders", OrderViewSet, basename="customs-order")
router.register("payments", PaymentViewSet, basename="customs-payment")
router.register("waybills", WaybillViewSet, basename="customs-waybill")
router.register("inventory-lists", InventoryListViewSet, basename="customs-list")
router.register("imports", ListImportViewSet, basename="customs-import")
router.register("authorisations", AuthorisationViewSet, basename="customs-authorisation")

urlpatterns = [
    path(f"reference/{name}/", reference_view(name).as_view(), name=f"customs-reference-{name}")
    for name in LIST_NAMES
]
urlpatterns += router.urls
