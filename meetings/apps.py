from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Joint meetings: agenda, live room, speaker queue, minutes."""

    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core import fragments
        from meetings.models import RoomEvent

        def changed(sender, instance, created=False, **kwargs):
            """A new event moves the room's latest id on, which the chat's cached fragment is keyed by; a
            message changed or deleted in place (the admin) bumps its version."""
            if not created:
                fragments.bump_on_commit("meeting", instance.meeting_id)

        post_save.connect(changed, sender=RoomEvent, dispatch_uid="fragments-roomevent-save")
        post_delete.connect(changed, sender=RoomEvent, dispatch_uid="fragments-roomevent-delete")
