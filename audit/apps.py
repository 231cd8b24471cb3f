from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit log: who did which privileged action, when; append-only."""

    name = "audit"
    verbose_name = _("Audit log")
