"""The project's URL configuration: the composition root, the only place that names every app."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include(("portal.api.urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("exchange/", include("exchange.urls")),
    path("registration/", include("registration.urls")),
    # Account holding moved out of registration and kept its addresses (ADR 0026).
    path("registration/", include("accounts.urls")),
    path("customs/", include("customs.urls")),
    path("inspection/", include("inspection.urls")),
    path("forex/", include("forex.urls")),
    path("tax/", include("tax_refund.urls")),
    path("statistics/", include("trade_statistics.urls")),
    path("", include("portal.shell_urls")),
]

handler400 = "portal.views.errors.bad_request"
handler403 = "portal.views.errors.permission_denied"
handler404 = "portal.views.errors.not_found"
handler500 = "portal.views.errors.server_error"
