"""Officer pages of the safe department. The desk lists what was sent to it and what it answered."""

from django.urls import path

from exchange.views import DepartmentDeskView

app_name = "forex"

urlpatterns = [
    path("officer/", DepartmentDeskView.as_view(department="safe"), name="officer"),
]
