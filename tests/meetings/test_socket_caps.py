"""Sockets per person: at most 5 in one room and 20 in one process, more are closed with 4429; presence
counts a person once."""

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application
from core.fanout import MAX_SOCKETS_PER_PERSON, TOO_MANY_SOCKETS
from meetings.consumers import MAX_SOCKETS_PER_ROOM
from tests.meetings.test_room import ORIGIN, enter, next_of

pytestmark = pytest.mark.django_db(transaction=True)


async def refused_with_4429(path, user):
    socket = WebsocketCommunicator(application, path, headers=ORIGIN)
    socket.scope["user"] = user
    connected, _ = await socket.connect()
    assert connected  # accepted, so that the page can read why it is closed
    closing = await socket.receive_output(timeout=2)
    assert closing == {"type": "websocket.close", "code": TOO_MANY_SOCKETS}


async def test_one_person_holds_five_sockets_in_a_room_and_is_counted_once(live_meeting, resident, chair):
    mine = [(await enter(live_meeting, resident))[0] for _ in range(MAX_SOCKETS_PER_ROOM)]
    await refused_with_4429(f"/ws/meetings/{live_meeting.pk}/", resident)
    chen, _ = await enter(live_meeting, chair)  # others still come in
    frame = await next_of(chen, "presence", timeout=3)
    while len(frame["people"]) < 2:
        frame = await next_of(chen, "presence", timeout=3)
    assert frame["count"] == 2 and sorted(frame["people"]) == sorted([resident.public_name, chair.public_name])
    await mine[0].disconnect()  # one closed: one more may come
    again, _ = await enter(live_meeting, resident)
    for socket in [*mine[1:], again, chen]:
        await socket.disconnect()


async def test_one_person_holds_at_most_twenty_sockets_in_a_process(live_meeting, resident):
    opened = []
    for _ in range(MAX_SOCKETS_PER_PERSON):
        socket = WebsocketCommunicator(application, "/ws/me/", headers=ORIGIN)
        socket.scope["user"] = resident
        connected, _ = await socket.connect()
        assert connected and (await socket.receive_json_from())["type"] == "welcome"
        opened.append(socket)
    await refused_with_4429("/ws/me/", resident)
    await refused_with_4429(f"/ws/meetings/{live_meeting.pk}/", resident)
    await opened.pop().disconnect()
    socket, _ = await enter(live_meeting, resident)  # a freed place is taken again
    for other in [*opened, socket]:
        await other.disconnect()
