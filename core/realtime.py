"""Real-time events, sent only after the transaction commits: to a person, to a group, coalesced."""

import asyncio
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from core.fanout import CLOSE_SOCKETS, CONTROL_GROUP, coalesce, group_message

COALESCE_SECONDS = 0.5  # latest-state broadcasts: at most two a second per group


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def send_to_group(group: str, event: dict[str, Any]) -> None:
    """Send one event to every socket of a group, in every process (callers schedule it after the commit)."""
    layer = get_channel_layer()
    if layer is None:
        return
    _run(layer.group_send(group, group_message(group, event)))


def send_latest_to_group(group: str, event: dict[str, Any], *, every: float = COALESCE_SECONDS) -> None:
    """For "latest state" events (live counts): at most one per ``every`` seconds per group and process,
    and the last one is never dropped."""
    layer = get_channel_layer()
    if layer is None:
        return
    _run(coalesce(group, every, lambda: layer.group_send(group, group_message(group, event))))


def _run(coroutine) -> None:
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # the usual case: a worker thread, run in the server's event loop
        async_to_sync(_await)(coroutine)
    else:  # called from a thread that runs an event loop: it cannot block, so schedule it
        loop.create_task(coroutine)


async def _await(coroutine) -> None:
    await coroutine


def publish_to_user_on_commit(user_id: int, event: dict[str, Any]) -> None:
    """Send ``event`` to every open socket of the user once the write is committed."""
    transaction.on_commit(lambda: send_to_group(user_group(user_id), event), robust=True)


def close_sockets_on_commit(user_id: int) -> None:
    """Close every open socket of the user, in every process, once the change is committed (close code 4401)."""
    event = {"type": CLOSE_SOCKETS, "user_id": user_id}
    transaction.on_commit(lambda: send_to_group(CONTROL_GROUP, event), robust=True)
