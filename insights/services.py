"""Telling the committee about early warnings: once per grid, category and week."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from community.models import Community, Membership, User
from insights.models import WarningSent
from insights.warnings import spikes
from notifications.services import notify


def send_early_warnings(now=None) -> int:
    """Notify each community's committee of this week's spikes, each one once. Returns how many were sent."""
    now = now or timezone.now()
    year, week, _day = timezone.localtime(now).isocalendar()
    sent = 0
    for community in Community.objects.all():
        found = spikes(community, now)
        if not found:
            continue
        committee = list(User.objects.filter(memberships__community=community,
                                             memberships__role=Membership.Role.COMMITTEE))
        for spike in found:
            key = f"spike:{spike['grid_id']}:{spike['category_id']}:{year}-{week}"
            try:
                with transaction.atomic():
                    WarningSent.objects.create(key=key)
                    notify(committee, message=gettext_lazy(
                        "Early warning: %(count)s “%(category)s” issues in %(grid)s this week; usually %(usual)s."),
                        params={"count": spike["latest"], "category": spike["category"], "grid": spike["grid"],
                                "usual": spike["usual"]},
                        url=reverse("insights:warnings", kwargs={"slug": community.slug}), alert=True)
            except IntegrityError:
                continue  # told already
            sent += 1
    return sent
