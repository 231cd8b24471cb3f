"""A person's open sockets close when they sign out, are suspended (``is_active`` turned off) or are deleted.

Signals, because signing out happens inside allauth and Django, and an account is suspended from the
admin: neither runs a service of ours. Each only schedules one message after the commit.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_delete, post_save

from core.realtime import close_sockets_on_commit


def _signed_out(sender, request=None, user=None, **kwargs) -> None:
    if user is not None and user.pk is not None:
        close_sockets_on_commit(user.pk)


def _saved(sender, instance, created=False, **kwargs) -> None:
    if not created and not instance.is_active:
        close_sockets_on_commit(instance.pk)


def _deleted(sender, instance, **kwargs) -> None:
    close_sockets_on_commit(instance.pk)


def connect_signals() -> None:
    user = get_user_model()
    user_logged_out.connect(_signed_out, dispatch_uid="yishi-close-sockets-signed-out")
    post_save.connect(_saved, sender=user, dispatch_uid="yishi-close-sockets-suspended")
    post_delete.connect(_deleted, sender=user, dispatch_uid="yishi-close-sockets-deleted")
