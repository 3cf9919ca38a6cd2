"""Officer pages of the tax department. The desk lists what was sent to it and what it answered."""

from django.urls import path

from exchange.views import DepartmentDeskView

app_name = "tax_refund"

urlpatterns = [
    path("officer/", DepartmentDeskView.as_view(department="tax"), name="officer"),
]
