"""Officer pages of the customs department. The desk lists what was sent to it and what it answered."""

from django.urls import path

from exchange.views import DepartmentDeskView

app_name = "customs"

urlpatterns = [
    path("officer/", DepartmentDeskView.as_view(department="customs"), name="officer"),
]
