"""``/api/v1/registration/`` (included by portal/api/urls.py)."""

from rest_framework.routers import DefaultRouter

from registration.api.views import FilingViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("filings", FilingViewSet, basename="registration-filing")

urlpatterns = router.urls
