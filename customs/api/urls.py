"""``/api/v1/customs/`` (included by portal/api/urls.py)."""

from django.urls import path

from customs.api.views import reference_view
from customs.reference_lists import LIST_NAMES

urlpatterns = [
    path(f"reference/{name}/", reference_view(name).as_view(), name=f"customs-reference-{name}")
    for name in LIST_NAMES
]

# Seller authorisations (customs.api.authorisations).
from rest_framework.routers import SimpleRouter  # noqa: E402

from customs.api.authorisations import AuthorisationViewSet  # noqa: E402

_router = SimpleRouter()
_router.register("authorisations", AuthorisationViewSet, basename="customs-authorisation")
urlpatterns += _router.urls
