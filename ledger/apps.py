from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = _("Follow-up ledger")
    default_auto_field = "django.db.models.BigAutoField"
