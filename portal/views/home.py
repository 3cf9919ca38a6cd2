"""The home page: what the user's role needs first (domain apps contribute panels)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from portal.models import Notification
from portal.ui import home_panels_for


@login_required
def home(request):
    user = request.user
    return render(
        request,
        "portal/home.html",
        {
            "panels": home_panels_for(request),
            "recent_notifications": Notification.objects.visible_to(user).unread()[:5],
        },
    )
