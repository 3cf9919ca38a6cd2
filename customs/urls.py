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
from customs.views import authorisations as authorisation_views
from customs.views import documents as document_views
from customs.views import lists as list_views
from customs.views import officer as officer_views
from exchange.views import DepartmentDeskView

app_name = "customs"


def _document_pages(kind: str) -> list:
    """Index, new, detail, edit and actions of one kind of document (customs.views.documents)."""
    return [
        path(f"{kind}/", document_views.DocumentIndexView.as_view(kind=kind), name=kind),
        path(f"{kind}/new/", document_views.DocumentFormView.as_view(kind=kind), name=f"{kind}-new"),
        path(
            f"{kind}/<int:pk>/", document_views.DocumentDetailView.as_view(kind=kind), name=f"{kind}-detail"
        ),
        path(
            f"{kind}/<int:pk>/edit/", document_views.DocumentFormView.as_view(kind=kind), name=f"{kind}-edit"
        ),
        path(
            f"{kind}/<int:pk>/<slug:action>/",
            document_views.DocumentActionView.as_view(kind=kind),
            name=f"{kind}-action",
        ),
    ]


urlpatterns = [
    path("officer/", DepartmentDeskView.as_view(department="customs"), name="officer"),
    path("officer/lists/", officer_views.OfficerListsView.as_view(), name="officer-lists"),
    path(
        "officer/declarations/", officer_views.OfficerDeclarationsView.as_view(), name="officer-declarations"
    ),
    path(
        "officer/rejected/", officer_views.OfficerQueueView.as_view(queue="rejected"), name="officer-rejected"
    ),
    path(
        "officer/unmatched/",
        officer_views.OfficerQueueView.as_view(queue="unmatched"),
        name="officer-unmatched",
    ),
    path("officer/rates/", officer_views.OfficerRatesView.as_view(), name="officer-rates"),
    path("officer/overdue/", officer_views.OfficerOverdueView.as_view(), name="officer-overdue"),
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
    *(
        path(f"{key}/import/", ListImportView.as_view(upload=key), name=f"{key}-import")
        for key in ("orders", "payments", "waybills")
    ),
    path("imports/<uuid:public_id>/", ListImportDetailView.as_view(), name="list-import"),
    path("lists/<int:pk>/cancel/", list_views.ListCancelView.as_view(), name="lists-cancel"),
    path("lists/<int:pk>/copy/", list_views.ListCopyView.as_view(), name="lists-copy"),
    path("authorisations/", authorisation_views.AuthorisationsView.as_view(), name="authorisations"),
    path(
        "authorisations/<int:pk>/revoke/",
        authorisation_views.AuthorisationRevokeView.as_view(),
        name="authorisation-revoke",
    ),
    *_document_pages("lists"),
    *_document_pages("orders"),
    *_document_pages("payments"),
    *_document_pages("waybills"),
]
