"""Officer pages of the ciq department. The desk lists what was sent to it and what it answered."""

from django.urls import path

from exchange.views import DepartmentDeskView

app_name = "inspection"

urlpatterns = [
    path("officer/", DepartmentDeskView.as_view(department="ciq"), name="officer"),
]
