"""Email to people, in their own language, queued after the write commits and sent by the worker.

The ``default`` mailer (``settings.MAILERS``) is :class:`QueuedEmailBackend`: sending a message —
ours, allauth's confirmations and password resets, the admin's — only stores it as a task
(``core.tasks.send_email``), and the task worker hands it to the real mailer (``outgoing``: SMTP,
a folder or the console). A mail server that is slow or down therefore never slows or breaks the
request that sent the mail; the task fails, is retried later and staff see it in the admin.
"""

import base64
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


# The address the person being served used (scheme and host, checked against ALLOWED_HOSTS), set by
# ``core.middleware.RequestAddressMiddleware`` for a request and by the sockets for their frames.
request_address: ContextVar[str] = ContextVar("yishi_request_address", default="")


def base_url() -> str:
    """The site's address for links that leave it (mail): the ``YISHI_BASE_URL`` setting when there is one;
    else the address of the request being served; else — work of the scheduler with no request — the
    domain of the current site (``django.contrib.sites``, editable in the admin)."""
    if settings.YISHI_BASE_URL:
        return settings.YISHI_BASE_URL.rstrip("/")
    if address := request_address.get():
        return address
    from django.contrib.sites.models import Site

    return f"{settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL}://{Site.objects.get_current().domain}"


def site_url(path: str) -> str:
    """An absolute link for an email."""
    return base_url() + path


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

    # robust: a saved change must never turn into an error page because its mail could not be queued.
    transaction.on_commit(send, robust=True)


class QueuedEmailBackend(BaseEmailBackend):
    """Store each message as a task; the worker sends it through the mailer named by ``mailer``."""

    def __init__(self, *, mailer: str = "outgoing", **kwargs):
        super().__init__(**kwargs)
        self.mailer = mailer

    def send_messages(self, email_messages) -> int:
        from core.tasks import send_email  # the task module imports this one

        for message in email_messages:
            send_email.enqueue(message_to_dict(message), mailer=self.mailer)
        return len(email_messages)


def message_to_dict(message: EmailMessage) -> dict:
    """A message as JSON the task backend can store: headers, bodies and attachments (base64)."""
    attachments = []
    for attachment in message.attachments:
        if not isinstance(attachment, tuple):
            raise TypeError("Queued mail takes attachments as (filename, content, mimetype), not MIME parts.")
        filename, content, mimetype = attachment
        raw = content.encode() if isinstance(content, str) else content
        attachments.append([filename, base64.b64encode(raw).decode("ascii"), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "content_subtype": message.content_subtype,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(k): str(v) for k, v in message.extra_headers.items()},
        "alternatives": [[str(c), m] for c, m in getattr(message, "alternatives", [])],
        "attachments": attachments,
    }


def message_from_dict(data: dict) -> EmailMultiAlternatives:
    """The message :func:`message_to_dict` stored, ready for a mailer."""
    message = EmailMultiAlternatives(
        data["subject"], data["body"], data["from_email"], data["to"], cc=data["cc"], bcc=data["bcc"],
        reply_to=data["reply_to"], headers=data["headers"], alternatives=data["alternatives"],
    )
    message.content_subtype = data["content_subtype"]
    for filename, content, mimetype in data["attachments"]:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message
