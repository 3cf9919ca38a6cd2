from rest_framework.routers import DefaultRouter

from exchange.api.views import MessageViewSet

router = DefaultRouter()
router.register("messages", MessageViewSet, basename="exchange-message")

urlpatterns = router.urls
