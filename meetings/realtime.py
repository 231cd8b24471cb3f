"""The live room's frames: built from the room's events, rendered and sent to the group after the commit."""

from django.db import transaction

from core.realtime import send_to_group
from meetings import fragments


def meeting_group(meeting_id: int) -> str:
    return f"meeting.{meeting_id}"


def publish_on_commit(event) -> None:
    """Persist, then broadcast: the event's fragments are rendered and sent only once the write is committed."""
    transaction.on_commit(
        lambda: send_to_group(meeting_group(event.meeting_id), fragments.broadcast(event)), robust=True)
