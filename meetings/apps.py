from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Joint meetings: agenda, live room, speaker queue, minutes."""

    name = "meetings"
    verbose_name = _("Meetings")
