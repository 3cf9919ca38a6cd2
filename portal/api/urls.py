"""``/api/v1/``: the shell's endpoints plus each domain app's router."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from portal.api import views
from portal.intake.api import ImportJobViewSet

router = DefaultRouter()
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("imports", ImportJobViewSet, basename="import")

urlpatterns = [
    path("auth/token/", views.ObtainTokenView.as_view(), name="token"),
    path("me/", views.MeView.as_view(), name="me"),
    path("exchange/", include("exchange.api.urls")),
    path("registration/", include("registration.api.urls")),
    path("customs/", include("customs.api.urls")),
    path("", include(router.urls)),
]
