"""Live poll pages: ``poll.changed`` when counts move (at most twice a second), ``poll.status`` on open/close."""

from django.db import transaction

from core.realtime import send_latest_to_group, send_to_group


def poll_group(poll_id: int) -> str:
    return f"poll.{poll_id}"


def publish_counts_on_commit(poll) -> None:
    """Tell viewers the counts moved — never for a secret poll before it closes, and coalesced."""
    if not poll.shows_counts:
        return

    frame = {"type": "poll.changed", "poll_id": poll.pk}
    transaction.on_commit(lambda: send_latest_to_group(poll_group(poll.pk), frame), robust=True)


def publish_status_on_commit(poll) -> None:
    frame = {"type": "poll.status", "poll_id": poll.pk, "status": poll.status}
    transaction.on_commit(lambda: send_to_group(poll_group(poll.pk), frame), robust=True)
