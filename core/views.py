"""Site-wide endpoints with no domain of their own: health check and media files."""

import asyncio
import contextlib

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from core import files


@never_cache
def healthz(request):
    """Liveness for load balancers: the database and the channel layer answer."""
    status = {"database": "ok", "channel_layer": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 - report any failure, do not raise
        status["database"] = f"error: {error.__class__.__name__}"
    try:
        async_to_sync(_layer_round_trip)(get_channel_layer())
    except Exception as error:  # noqa: BLE001
        status["channel_layer"] = f"error: {error.__class__.__name__}"
    healthy = all(value == "ok" for value in status.values())
    return JsonResponse({"status": "ok" if healthy else "error", **status}, status=200 if healthy else 503)


def media(request, path: str):
    """An uploaded file, if the rule of the app that owns it lets this reader see it (core/files.py)."""
    return files.serve(request, path)


async def _layer_round_trip(layer) -> None:
    """A message to a fresh channel and back, within a few seconds; then the channel is let go."""
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "healthz"})
    await asyncio.wait_for(layer.receive(channel), timeout=5)
    # The pub/sub layer unsubscribes a channel only when a receive on it is cancelled: without this,
    # every probe would leave a subscription behind in Redis and in the process.
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(layer.receive(channel), timeout=0.01)
