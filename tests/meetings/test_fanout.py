"""Process-local fan-out: one layer subscription per process and room, every socket served, order kept."""

import asyncio
import time

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from config.asgi import application
from core.fanout import coalesce, hub
from core.realtime import send_latest_to_group, send_to_group
from meetings.realtime import meeting_group

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]


async def watch(meeting):
    communicator = WebsocketCommunicator(application, f"/ws/meetings/{meeting.pk}/", headers=ORIGIN)
    assert (await communicator.connect())[0]
    assert (await communicator.receive_json_from())["type"] == "welcome"
    return communicator


async def frames_of(communicator, kind, count, timeout=3):
    got = []
    while len(got) < count:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] == kind:
            got.append(frame)
    return got


async def test_a_room_of_many_sockets_is_one_member_of_the_layer_group(live_meeting):
    sockets = [await watch(live_meeting) for _ in range(25)]
    layer = get_channel_layer()
    group = meeting_group(live_meeting.pk)
    assert len(layer.groups[group]) == 1  # the process's hub, not 25 sockets
    assert len(hub().members[group]) == 25
    for n in range(5):
        await sync_to_async(send_to_group)(group, {"type": "test.frame", "n": n})
    for socket in sockets:  # everyone gets every frame, in the order sent
        assert [f["n"] for f in await frames_of(socket, "test.frame", 5)] == [0, 1, 2, 3, 4]
    for socket in sockets:
        await socket.disconnect()
    assert group not in layer.groups and group not in hub().members  # the last one out leaves the group


async def test_a_socket_that_leaves_mid_broadcast_does_not_stop_the_others(live_meeting):
    first, second, third = [await watch(live_meeting) for _ in range(3)]
    await second.disconnect()
    await sync_to_async(send_to_group)(meeting_group(live_meeting.pk), {"type": "test.frame", "n": 1})
    for socket in (first, third):
        assert (await frames_of(socket, "test.frame", 1))[0]["n"] == 1
        await socket.disconnect()


async def test_latest_state_is_sent_at_most_twice_a_second_and_the_last_one_always(live_meeting):
    socket = await watch(live_meeting)
    group = meeting_group(live_meeting.pk)
    started = time.monotonic()
    for n in range(20):  # a burst of 20 changes in about 0.2 s
        await sync_to_async(send_latest_to_group)(group, {"type": "test.latest", "n": n}, every=0.5)
        await asyncio.sleep(0.01)
    got = []
    while not got or got[-1]["n"] != 19:
        got += await frames_of(socket, "test.latest", 1)
    assert len(got) <= 2 * (time.monotonic() - started) + 1 and got[0]["n"] == 0
    await socket.disconnect()


async def test_coalesce_runs_at_once_then_once_at_the_end_of_the_interval():
    runs = []

    async def record():
        runs.append(time.monotonic())

    for _ in range(10):
        await coalesce("test-key", 0.3, record)
    await asyncio.sleep(0.5)
    assert len(runs) == 2 and 0.25 <= runs[1] - runs[0] <= 0.45
