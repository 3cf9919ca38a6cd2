from django.urls import path

from trade_statistics import views

app_name = "trade_statistics"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("export.csv", views.ExportView.as_view(fmt="csv"), name="export-csv"),
    path("export.xlsx", views.ExportView.as_view(fmt="xlsx"), name="export-xlsx"),
]
