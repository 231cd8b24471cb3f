"""What every meeting service shares: the meeting locked for a change, the room's event log."""


from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from community.models import User
from meetings.models import (
    Meeting,
    RoomEvent,
)
from meetings.realtime import publish_on_commit

Status = Meeting.Status
CHAT_PER_SECOND = 5
SPEAKING_SECONDS = 120


def lock_meeting(meeting_id: int) -> Meeting:
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("community", "chair", "secretary")
        .filter(pk=meeting_id).first()
    )
    if meeting is None:
        raise ValidationError(_("There is no meeting #%(id)s.") % {"id": meeting_id})
    return meeting


def record(meeting: Meeting, kind: str, actor: User | None = None, body: str = "", **data) -> RoomEvent:
    """Write the room's next event and broadcast it once committed."""
    event = RoomEvent.objects.create(meeting=meeting, kind=kind, author=actor, body=body, data=data)
    publish_on_commit(event)
    return event


def require_live(meeting: Meeting) -> None:
    if meeting.status != Status.LIVE:
        raise ValidationError(_("The meeting is not live."))
