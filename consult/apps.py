from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultConfig(AppConfig):
    name = "consult"
    verbose_name = _("Community and consultation")

    def ready(self):
        from consult.services.tokens import connect_signals

        connect_signals()
