"""A person's notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
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
