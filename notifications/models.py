"""In-app notifications: one row per person told, shown in the language they read in."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import thaw


class Notification(models.Model):
    """Something a person was told, with a link to it; unread until they open their notifications."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("person")
    )
    message = models.CharField(_("message"), max_length=300,
                               help_text=_("As written for the person when they were told (their mail said this)."))
    key = models.JSONField(_("message key"), null=True, blank=True,
                           help_text=_("The untranslated message and its parameters, shown in the reader's language."))
    url = models.CharField(_("link"), max_length=200, blank=True)
    alert = models.BooleanField(_("alert"), default=False,
                                help_text=_("Needs attention now (an escalation, an early warning), not news."))
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    in_digest = models.BooleanField(
        _("waiting for the daily digest"), default=False, help_text=_("Sent in the next daily email digest.")
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    @property
    def text(self) -> str:
        """The message in the language of whoever reads it now."""
        return thaw(self.key) if self.key else self.message
