"""Customs pages: the officer desk and the reference data."""

from django.urls import path

from customs.imports.views import ListImportDetailView, ListImportView
from customs.views import ReferenceIndexView, ReferenceListView
from exchange.views import DepartmentDeskView

app_name = "customs"

urlpatterns = [
    path("officer/", DepartmentDeskView.as_view(department="customs"), name="officer"),
    path("reference/", ReferenceIndexView.as_view(), name="reference"),
    path("reference/<slug:list_name>/", ReferenceListView.as_view(), name="reference-list"),
    path("imports/", ListImportView.as_view(), name="list-imports"),
    path("imports/<uuid:public_id>/", ListImportDetailView.as_view(), name="list-import"),
]
