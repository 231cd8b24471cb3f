"""The account socket through the real ASGI stack: origin check, session auth, frames, events."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from community import services
from config.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = (b"origin", b"http://127.0.0.1:8000")


@sync_to_async
def session_headers(user) -> list[tuple[bytes, bytes]]:
    """The headers of a browser signed in as ``user`` on our site."""
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    return [ORIGIN, (b"cookie", cookie)]


async def test_a_signed_in_person_is_welcomed_by_name(newcomer):
    communicator = WebsocketCommunicator(application, "/ws/me/", headers=await session_headers(newcomer))
    connected, _ = await communicator.connect()
    assert connected
    assert await communicator.receive_json_from() == {
        "type": "welcome",
        "user": {"id": newcomer.pk, "display_name": "Nina"},
    }
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}
    await communicator.disconnect()


async def test_an_anonymous_socket_is_refused(db):
    communicator = WebsocketCommunicator(application, "/ws/me/", headers=[ORIGIN])
    connected, code = await communicator.connect()
    assert (connected, code) == (False, 4401)


async def test_a_socket_from_a_foreign_origin_is_refused(newcomer):
    headers = [(b"origin", b"http://evil.example"), (await session_headers(newcomer))[1]]
    communicator = WebsocketCommunicator(application, "/ws/me/", headers=headers)
    connected, _ = await communicator.connect()
    assert not connected


async def test_bad_frames_get_an_error_and_the_socket_stays_open(newcomer):
    communicator = WebsocketCommunicator(application, "/ws/me/", headers=await session_headers(newcomer))
    await communicator.connect()
    await communicator.receive_json_from()
    for bad in ["not json", "[1, 2]", '{"type": "launch.missiles"}', "x" * 5000]:
        await communicator.send_to(text_data=bad)
        frame = await communicator.receive_json_from()
        assert frame["type"] == "error" and frame["message"]
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}
    await communicator.disconnect()


async def test_a_decision_reaches_the_requesters_open_socket(grid, newcomer, grid_worker):
    request = await sync_to_async(services.request_membership)(newcomer, grid_id=grid.pk, unit="B2")
    communicator = WebsocketCommunicator(application, "/ws/me/", headers=await session_headers(newcomer))
    await communicator.connect()
    await communicator.receive_json_from()
    await sync_to_async(services.approve_membership_request)(grid_worker, request_id=request.pk)
    event = await communicator.receive_json_from(timeout=2)
    assert event["type"] == "membership.request.decided"
    assert event["status"] == "approved" and event["request_id"] == request.pk
    assert "verified resident" in event["message"]
    await communicator.disconnect()
