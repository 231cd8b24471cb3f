"""Live poll pages: ``poll.changed`` when counts move (at most once a second), ``poll.status`` on open/close."""

from django.core.cache import cache
from django.db import transaction

from consult.realtime import send_to_group

LIVE_EVERY_SECONDS = 1  # a busy poll is re-counted by its viewers at most once a second


def poll_group(poll_id: int) -> str:
    return f"poll.{poll_id}"


def publish_counts_on_commit(poll) -> None:
    """Tell viewers the counts moved — never for a secret poll before it closes, and coalesced."""
    if not poll.shows_counts:
        return

    def send():
        if cache.add(f"yishi:poll-live:{poll.pk}", 1, LIVE_EVERY_SECONDS):
            send_to_group(poll_group(poll.pk), {"type": "poll.changed", "poll_id": poll.pk})

    transaction.on_commit(send, robust=True)


def publish_status_on_commit(poll) -> None:
    frame = {"type": "poll.status", "poll_id": poll.pk, "status": poll.status}
    transaction.on_commit(lambda: send_to_group(poll_group(poll.pk), frame), robust=True)
