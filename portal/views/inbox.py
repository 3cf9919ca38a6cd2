"""The in-app inbox."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.models import Notification
from portal.services.notifications import mark_read


@login_required
def inbox(request):
    qs = Notification.objects.visible_to(request.user)
    if request.GET.get("unread") == "1":
        qs = qs.unread()
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request, "portal/inbox.html", {"page_obj": page, "only_unread": request.GET.get("unread") == "1"}
    )


@login_required
@require_POST
def inbox_open(request, pk: int):
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    mark_read(user=request.user, ids=[notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("portal:inbox")


@login_required
@require_POST
def inbox_mark_all(request):
    count = mark_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("portal:inbox")
