"""Telling people: an in-app notification, a live ping and an email, each in the person's language."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from consult.mail import send_to_user_on_commit, site_url
from consult.models import Notification, User
from consult.realtime import publish_to_user_on_commit


def notify(
    users: Iterable[User],
    *,
    message: Any,
    params: dict[str, Any] | None = None,
    url: str = "",
    exclude: User | None = None,
    email: bool = True,
) -> None:
    """Tell each user once. ``message`` is a lazy translatable string, rendered per recipient."""
    params = params or {}
    seen = set()
    rows = []
    for user in users:
        if user is None or user.pk in seen or (exclude is not None and user.pk == exclude.pk) or not user.is_active:
            continue
        seen.add(user.pk)
        with translation.override(user.language or settings.LANGUAGE_CODE):
            text = str(message) % {k: str(v) for k, v in params.items()}
        rows.append(Notification(user=user, message=text[:300], url=url))
        publish_to_user_on_commit(user.pk, {"type": "notification.new", "message": text, "url": url})
        if email:
            send_to_user_on_commit(
                user, "consult/email/notification", {"message": text, "link": site_url(url) if url else ""}
            )
    Notification.objects.bulk_create(rows)


@transaction.atomic
def mark_notifications_read(actor: User, *, ids: list[int] | None = None) -> int:
    """Mark the actor's notifications read: all of them, or the given ones."""
    unread = Notification.objects.filter(user=actor, read_at=None)
    if ids is not None:
        unread = unread.filter(Q(pk__in=ids))
    return unread.update(read_at=timezone.now())
