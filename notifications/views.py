"""A person's notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import services


@login_required
def notifications(request):
    items = request.user.notifications.all()[:100]
    return render(request, "notifications/notifications.html", {"items": items})


@require_POST
@login_required
def notifications_read(request):
    services.mark_notifications_read(request.user)
    messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:notifications")


@require_POST
@login_required
def notification_open(request, pk: int):
    """Open what a notification is about; opening it marks it read (a button, not a link: a read is a write)."""
    item = get_object_or_404(request.user.notifications, pk=pk)
    services.mark_notifications_read(request.user, ids=[item.pk])
    return redirect(item.url if url_has_allowed_host_and_scheme(item.url, {request.get_host()})
                    else "notifications:notifications")
