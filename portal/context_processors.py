"""Template context every page of the shell needs: navigation, unread count, languages."""

from django.conf import settings

from portal.ui import nav_for


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "unread_count": 0, "portal_languages": settings.LANGUAGES}
    from portal.models import Notification

    return {
        "nav_items": nav_for(user),
        "unread_count": Notification.objects.visible_to(user).unread().count(),
        "portal_languages": settings.LANGUAGES,
    }
