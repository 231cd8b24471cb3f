"""The live room's frames: built from the room's events, sent to the group after the commit."""

from django.db import transaction

from core.realtime import send_to_group
from meetings import fragments


def meeting_group(meeting_id: int) -> str:
    return f"meeting.{meeting_id}"


def publish_on_commit(event) -> None:
    """Persist, then broadcast: the frame leaves only once the write is committed.

    It is rendered here, inside the transaction, so it shows the room as this event left it, and the
    time between the commit and the send stays short: frames of the room's events arrive in the order
    of their ids (clients drop an id lower than one they have).
    """
    message = fragments.broadcast(event)
    transaction.on_commit(lambda: send_to_group(meeting_group(event.meeting_id), message), robust=True)
