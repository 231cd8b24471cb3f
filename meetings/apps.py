from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Joint meetings: agenda, live room, speaker queue, minutes."""

    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core import fragments
        from meetings.models import AgendaItem, Attendance, Invitation, Meeting, Minutes, Mute, RoomEvent, SpeakerRequest

        def changed(sender, instance, **kwargs):
            """Any write to a meeting or what its page shows bumps its version, which the page's cached fragments
            are keyed by (core/fragments.py), at once and after the commit."""
            fragments.bump_on_commit("meeting", instance.pk if sender is Meeting else instance.meeting_id)

        for model in (Meeting, Invitation, Attendance, AgendaItem, RoomEvent, SpeakerRequest, Minutes, Mute):
            post_save.connect(changed, sender=model, dispatch_uid=f"fragments-meetings-{model.__name__}-save")
            post_delete.connect(changed, sender=model, dispatch_uid=f"fragments-meetings-{model.__name__}-delete")
