"""Email to people, in their own language, sent after the write commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def site_url(path: str) -> str:
    """An absolute link for an email."""
    return settings.YISHI_BASE_URL.rstrip("/") + path


def send_to_user_on_commit(user, template: str, context: dict) -> None:
    """Render ``<template>_subject.txt`` and ``_body.txt`` in the user's language and mail them."""
    if not user.email:
        return

    def send() -> None:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            ctx = {"user": user, **context}
            # One line: a title with a line break in it must not make the subject an invalid header.
            subject = " ".join(render_to_string(f"{template}_subject.txt", ctx).split())
            body = render_to_string(f"{template}_body.txt", ctx)
        send_mail(
            settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )

    # robust: a mail server that is down must not turn a saved change into an error page.
    transaction.on_commit(send, robust=True)
