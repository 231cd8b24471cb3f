"""Signing out or being suspended closes the person's open sockets at once; other people's stay open."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from core.fanout import SIGNED_OUT_CODE
from meetings.models import RoomEvent
from tests.meetings.conftest import live_meeting, meeting  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = (b"origin", b"http://127.0.0.1:8000")


@sync_to_async
def browser(user) -> tuple[Client, list]:
    """A browser signed in as ``user``, and the headers its sockets send."""
    client = Client()
    client.force_login(user)
    return client, [ORIGIN, (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())]


async def opened(path: str, headers) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    assert (await communicator.receive_json_from())["type"] == "welcome"
    return communicator


async def close_code(communicator) -> int:
    """The code of the close the server sends, skipping frames that came before it (e.g. presence)."""
    while True:
        message = await communicator.receive_output(timeout=2)
        if message["type"] == "websocket.close":
            return message["code"]


async def still_open(communicator) -> bool:
    await communicator.send_json_to({"type": "ping"})
    while (await communicator.receive_json_from())["type"] != "pong":
        pass
    return True


async def test_signing_out_closes_every_socket_of_that_person_and_no_one_elses(
    live_meeting, issue, resident, newcomer  # noqa: F811
):
    client, headers = await browser(resident)
    _, other_headers = await browser(newcomer)
    mine = [await opened("/ws/me/", headers), await opened(f"/ws/issues/{issue.pk}/", headers),
            await opened(f"/ws/meetings/{live_meeting.pk}/", headers)]
    theirs = await opened("/ws/me/", other_headers)
    await sync_to_async(client.post)("/accounts/logout/")
    assert [await close_code(socket) for socket in mine] == [SIGNED_OUT_CODE] * 3
    assert await still_open(theirs)
    again = WebsocketCommunicator(application, "/ws/me/", headers=headers)  # the old cookie no longer signs in
    assert (await again.connect())[0] is False
    for socket in [*mine, theirs]:
        await socket.disconnect()


async def test_suspending_an_account_closes_its_sockets_and_it_can_no_longer_take_part(
    live_meeting, resident, chair  # noqa: F811
):
    _, headers = await browser(resident)
    room = await opened(f"/ws/meetings/{live_meeting.pk}/", headers)
    account = await opened("/ws/me/", headers)
    chairs = await opened(f"/ws/meetings/{live_meeting.pk}/", (await browser(chair))[1])
    resident.is_active = False
    await sync_to_async(resident.save)()  # what unticking "active" in the admin does
    assert [await close_code(room), await close_code(account)] == [SIGNED_OUT_CODE] * 2
    assert await still_open(chairs)
    back = await opened(f"/ws/meetings/{live_meeting.pk}/", headers)  # a public room: back as an anonymous watcher
    await back.send_json_to({"type": "chat.send", "body": "Still here"})
    while (frame := await back.receive_json_from())["type"] != "error":
        pass
    assert "Sign in" in frame["message"]
    assert not await sync_to_async(RoomEvent.objects.filter(kind="chat.message").exists)()
    for socket in [room, account, chairs, back]:
        await socket.disconnect()
