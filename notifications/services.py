"""Telling people: an in-app notification, a live ping and an email, each in the person's language."""

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from community.models import User
from community.models.accounts import EmailFrequency
from core.i18n import freeze, thaw
from core.mail import send_to_user_on_commit, site_url
from core.realtime import publish_to_user_on_commit
from core.text import max_length
from notifications.models import Notification

DIGEST_EVERY = timedelta(hours=24)


def notify(
    users: Iterable[User],
    *,
    message: Any,
    params: dict[str, Any] | None = None,
    url: str = "",
    exclude: User | None = None,
    email: bool = True,
    alert: bool = False,
) -> None:
    """Tell each user once. ``message`` is a lazy translatable string, rendered per recipient."""
    params = params or {}
    key = freeze(message, params)
    seen = set()
    rows = []
    for user in users:
        if user is None or user.pk in seen or (exclude is not None and user.pk == exclude.pk) or not user.is_active:
            continue
        seen.add(user.pk)
        with translation.override(user.language or settings.LANGUAGE_CODE):
            text = thaw(key)  # dates in their date format, lazy parameters in their language
        frequency = user.email_frequency if email else EmailFrequency.NEVER
        rows.append(
            Notification(user=user, message=text[:max_length(Notification, "message")], key=key, url=url, alert=alert,
                         in_digest=frequency == EmailFrequency.DAILY)
        )
        publish_to_user_on_commit(user.pk, {"type": "notification.new", "message": text, "url": url, "alert": alert})
        if frequency == EmailFrequency.IMMEDIATELY:
            send_to_user_on_commit(
                user, "notifications/email/notification", {"message": text, "link": site_url(url) if url else ""}
            )
    Notification.objects.bulk_create(rows)


def send_digests(now=None) -> int:
    """Mail each person who chose a daily digest what they were told since their last one.

    A person gets at most one digest a day; notifications already read on the site are left out.
    Safe to run often: ``manage.py send_digests`` from cron, and now and then from page views.
    Returns how many digests were sent.
    """
    now = now or timezone.now()
    due = User.objects.filter(
        is_active=True, email_frequency=EmailFrequency.DAILY, notifications__in_digest=True
    ).filter(Q(digest_sent_at=None) | Q(digest_sent_at__lte=now - DIGEST_EVERY)).distinct()
    sent = 0
    for user_id in list(due.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=user_id)
            if user.digest_sent_at and user.digest_sent_at > now - DIGEST_EVERY:
                continue  # another process sent it a moment ago
            waiting = Notification.objects.filter(user=user, in_digest=True)
            items = list(waiting.filter(read_at=None).order_by("created_at", "pk"))
            waiting.update(in_digest=False)
            user.digest_sent_at = now
            user.save(update_fields=["digest_sent_at"])
            if items:
                with translation.override(user.language or settings.LANGUAGE_CODE):
                    lines = [{"message": n.text, "link": site_url(n.url) if n.url else ""} for n in items]
                send_to_user_on_commit(user, "notifications/email/digest", {"items": lines})
                sent += 1
    return sent


@transaction.atomic
def mark_notifications_read(actor: User, *, ids: list[int] | None = None) -> int:
    """Mark the actor's notifications read: all of them, or the given ones."""
    unread = Notification.objects.filter(user=actor, read_at=None)
    if ids is not None:
        unread = unread.filter(Q(pk__in=ids))
    return unread.update(read_at=timezone.now())
