"""The live room's frames: built from the room's events, sent to the group after the commit."""

from typing import Any

from django.db import transaction

from core.realtime import send_to_group
from core.text import render_markdown


def meeting_group(meeting_id: int) -> str:
    return f"meeting.{meeting_id}"


def publish_on_commit(meeting_id: int, frame: dict[str, Any]) -> None:
    """Persist, then broadcast: the frame leaves only once the write is committed."""
    transaction.on_commit(lambda: send_to_group(meeting_group(meeting_id), frame), robust=True)


def publish_now(meeting_id: int, frame: dict[str, Any]) -> None:
    """For frames with nothing to commit (presence)."""
    send_to_group(meeting_group(meeting_id), frame)


def frame_for(event) -> dict[str, Any]:
    """The frame every client of the room receives for one event (the same live and on replay)."""
    kind, data = event.kind, event.data
    frame: dict[str, Any] = {"type": kind, "id": event.pk}
    if kind == "chat.message":
        author = event.author
        frame.update(
            author={"id": author.pk, "name": author.public_name} if author else None,
            body_html="" if event.hidden else str(render_markdown(event.body)),
            hidden=event.hidden,
            created_at=event.created_at.isoformat(),
        )
    else:  # minutes.updated carries the version only: drafts are fetched by those who may read them
        frame.update(data)
    return frame
