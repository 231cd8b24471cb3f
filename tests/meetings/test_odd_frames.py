"""Odd frames never crash a socket: each gets an error frame, nothing is stored, and the socket goes on."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from meetings.models import RoomEvent
from tests.meetings.test_room import ORIGIN, enter, next_of

pytestmark = pytest.mark.django_db(transaction=True)

ODD = [
    '{"type": "chat.send", "body": "\\ud800 a lone surrogate"}',  # as JSON escapes: valid JSON, invalid text
    '{"type": "chat.send", "body": "x\\udfff"}',
    '{"type": "chat.send", "body": {"nested": "object"}}',
    '{"type": "chat.send", "body": ["an", "array"]}',
    '{"type": "chat.send", "body": 12345678901234567890123}',
    '{"type": "chat.hide", "message_id": 100000000000000000000000000000}',  # beyond 64 bits
    '{"type": "chat.hide", "message_id": "' + "9" * 5000 + '"}',  # too many digits to read as a number
    '{"type": "agenda.set", "item_id": -1}',
    '{"type": "check_in", "user_id": 1e400}',
    '{"type": "speaker.next", "seconds": 99999999999999999999}',
    "1" + "0" * 5000,  # a number Python refuses to read
    "[" * 5000 + "]" * 5000,  # nested deeper than any parser likes
    "[]", "null", "true", '"chat.send"', "{}",
]


@pytest.mark.parametrize("frame", ODD)
async def test_every_odd_frame_gets_an_error_and_the_socket_goes_on(live_meeting, resident, frame):
    mei, _ = await enter(live_meeting, resident)
    await mei.send_to(text_data=frame)
    assert (await next_of(mei, "error"))["message"]
    await mei.send_json_to({"type": "chat.send", "body": "still here"})
    assert (await next_of(mei, "chat.message"))["type"] == "chat.message"
    stored = await sync_to_async(list)(RoomEvent.objects.filter(kind="chat.message").values_list("data", flat=True))
    assert len(stored) == 1  # only the message that made sense
    await mei.disconnect()


async def test_binary_frames_get_an_error_on_every_socket(live_meeting, resident):
    mei, _ = await enter(live_meeting, resident)
    await mei.send_to(bytes_data=b"\x00\xff\xfe binary")
    assert (await next_of(mei, "error"))["message"]
    await mei.send_json_to({"type": "ping"})
    assert (await next_of(mei, "pong"))["type"] == "pong"
    await mei.disconnect()
    for path in ("/ws/me/", f"/ws/issues/{1}/", "/ws/polls/1/"):
        socket = WebsocketCommunicator(application, path, headers=ORIGIN)
        socket.scope["user"] = resident
        connected, _ = await socket.connect()
        if not connected:
            continue
        await socket.receive_json_from()  # welcome
        for frame in ("[" * 3000 + "]" * 3000, "1" + "0" * 5000):
            await socket.send_to(text_data=frame)
            assert (await socket.receive_json_from())["type"] == "error"
        await socket.send_to(bytes_data=b"\x00\x01")
        assert (await socket.receive_json_from())["type"] == "error"
        await socket.disconnect()


def test_lone_surrogates_are_refused_in_one_place_for_forms_the_api_and_sockets(grid, category, resident):
    from django.core.exceptions import ValidationError

    from core.text import clean_text

    with pytest.raises(ValidationError, match="not allowed"):
        clean_text("a\ud800b", field="The title", limit=100)
    client = Client()
    client.force_login(resident)
    response = client.post("/api/v1/issues", data='{"grid": %d, "category": %d, "title": "Gate \\ud800", "body": "B"}'
                           % (grid.pk, category.pk), content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"].endswith("title")
