"""Customs pages: the officer desk and the reference data."""

from django.urls import path

from customs.imports.views import ListImportDetailView, ListImportView
from customs.summary_views import (
    CertificateView,
    DeadlinesView,
    DeclarationsView,
    DeclarationView,
    SummariesView,
    SummaryActionView,
    SummaryJobProgressView,
    SummaryJobView,
    SummaryView,
)
from customs.views import ReferenceIndexView, ReferenceListView
from exchange.views import DepartmentDeskView

app_name = "customs"

urlpatterns = [
    path("officer/", DepartmentDeskView.as_view(department="customs"), name="officer"),
    path("reference/", ReferenceIndexView.as_view(), name="reference"),
    path("reference/<slug:list_name>/", ReferenceListView.as_view(), name="reference-list"),
    path("summaries/", SummariesView.as_view(), name="summaries"),
    path("summaries/deadlines/", DeadlinesView.as_view(), name="summary-deadlines"),
    path("summaries/jobs/<int:pk>/", SummaryJobView.as_view(), name="summary-job"),
    path("summaries/jobs/<int:pk>/progress/", SummaryJobProgressView.as_view(), name="summary-job-progress"),
    path("summaries/<int:pk>/", SummaryView.as_view(), name="summary"),
    path("summaries/<int:pk>/<slug:verb>/", SummaryActionView.as_view(), name="summary-action"),
    path("declarations/", DeclarationsView.as_view(), name="declarations"),
    path("declarations/<int:pk>/", DeclarationView.as_view(), name="declaration"),
    path("declarations/<int:pk>/certificate/", CertificateView.as_view(), name="declaration-certificate"),
    path("imports/", ListImportView.as_view(), name="list-imports"),
    path("imports/<uuid:public_id>/", ListImportDetailView.as_view(), name="list-import"),
]
