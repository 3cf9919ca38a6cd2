"""Customs pages: the officer desk and the reference data."""

from django.urls import path

from customs.summary_views import DeadlinesView
from customs.views import ReferenceIndexView, ReferenceListView
from exchange.views import DepartmentDeskView

app_name = "customs"

urlpatterns = [
    path("officer/", DepartmentDeskView.as_view(department="customs"), name="officer"),
    path("reference/", ReferenceIndexView.as_view(), name="reference"),
    path("reference/<slug:list_name>/", ReferenceListView.as_view(), name="reference-list"),
    path("summaries/deadlines/", DeadlinesView.as_view(), name="summary-deadlines"),
]
