from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultConfig(AppConfig):
    name = "consult"
    verbose_name = _("Community and consultation")

    def ready(self):
        from consult import signout
        from consult.services.tokens import connect_signals

        connect_signals()
        signout.connect_signals()
