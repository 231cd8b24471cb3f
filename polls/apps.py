from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    """Polls: every common voting method, secret and open ballots, recounts."""

    name = "polls"
    verbose_name = _("Polls")
