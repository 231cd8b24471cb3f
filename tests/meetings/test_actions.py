"""One table of actions (meetings/actions.py) serves the room's socket and the page's plain forms: the same
steps, taken once through each, leave the same room behind and are refused with the same words."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.messages import get_messages
from django.test import Client

from config.asgi import application
from meetings import actions, services
from tests.meetings.conftest import schedule

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]

# Who does what, with which fields (the same names in a frame and in a form); ids are found in the meeting.
STEPS = [
    ("resident", "chat.send", lambda m: {"body": "Hello **all**"}),
    ("resident", "hand.raise", lambda m: {}),
    ("resident", "speaker.next", lambda m: {}),  # refused: only the chair gives the floor
    ("chair", "speaker.next", lambda m: {"seconds": "60"}),
    ("moderator", "hand.raise", lambda m: {}),
    ("chair", "speaker.remove", lambda m: {"request_id": str(m.speakers.get(status="waiting").pk)}),
    ("chair", "chat.hide", lambda m: {"message_id": str(m.events.get(kind="chat.message").pk)}),
    ("chair", "chat.hide", lambda m: {"message_id": "x"}),  # refused: not a number
    ("chair", "agenda.set", lambda m: {"item_id": str(m.agenda_items.last().pk)}),
    ("resident", "check_in", lambda m: {}),
    ("chair", "check_in", lambda m: {"user_id": str(m.secretary_id)}),
    ("resident", "hand.lower", lambda m: {}),  # speaking: "I'm done" ends the speech
]


def _room(chair, community, moderator, resident):
    meeting = schedule(chair, community, secretary=moderator, invite=[resident])
    for title in ("Parking", "Hall renovation"):
        services.add_agenda_item(chair, meeting_id=meeting.pk, title=title)
    return services.open_meeting(chair, meeting_id=meeting.pk)


def _outcome(meeting) -> list:
    """The room's log and state without ids and times, to compare two meetings."""
    log = []
    for event in meeting.events.order_by("pk"):
        data = {k: v for k, v in event.data.items() if not k.endswith("_id")}
        if data.get("speaker"):
            data["speaker"] = (data["speaker"]["name"], data["speaker"]["seconds"])
        if "waiting" in data:
            data["waiting"] = [w["name"] for w in data["waiting"]]
        log.append((event.kind, event.body, event.hidden, data))
    meeting.refresh_from_db()
    speakers = sorted((s.user.public_name, s.status, s.seconds) for s in meeting.speakers.select_related("user"))
    present = sorted(a.user.public_name for a in meeting.attendances.select_related("user"))
    return [log, speakers, present, meeting.current_item.title]


def _by_form(client, meeting, frame, fields) -> str:
    path = next(a.path for a in actions.ACTIONS if a.frame == frame)
    response = client.post(f"/meetings/{meeting.pk}/{path}", fields, follow=True)  # the page shows its messages
    assert response.redirect_chain == [(meeting.get_absolute_url(), 302)], frame
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


async def _by_socket(socket, meeting, frame, fields) -> str:
    await socket.send_json_to({"type": frame, **fields})
    while True:
        answer = await socket.receive_json_from(timeout=3)
        if answer["type"] == "error":
            return answer["message"]
        if answer.get("id") and answer["id"] > meeting.last_seen:
            meeting.last_seen = answer["id"]
            return ""


async def test_the_plain_forms_and_the_socket_do_the_same_through_one_table(chair, community, moderator, resident):
    people = {"chair": chair, "moderator": moderator, "resident": resident}
    by_form, by_socket = [await sync_to_async(_room)(chair, community, moderator, resident) for _ in range(2)]

    clients = {}
    for name, user in people.items():
        clients[name] = Client()
        await sync_to_async(clients[name].force_login)(user)
    said_by_form = [await sync_to_async(_by_form)(clients[who], by_form, frame, await sync_to_async(fields)(by_form))
                    for who, frame, fields in STEPS]

    sockets = {}
    for name, user in people.items():
        sockets[name] = WebsocketCommunicator(application, f"/ws/meetings/{by_socket.pk}/", headers=ORIGIN)
        sockets[name].scope["user"] = user
        assert (await sockets[name].connect())[0]
        by_socket.last_seen = (await sockets[name].receive_json_from())["last_id"]
    said_by_socket = [await _by_socket(sockets[who], by_socket, frame, await sync_to_async(fields)(by_socket))
                      for who, frame, fields in STEPS]
    for socket in sockets.values():
        await socket.disconnect()

    assert said_by_form == said_by_socket
    assert [bool(said) for said in said_by_form] == [
        False, False, True, False, False, False, False, True, False, False, False, False]
    assert await sync_to_async(_outcome)(by_form) == await sync_to_async(_outcome)(by_socket)


def test_every_frame_of_the_room_is_an_action_of_the_table_and_has_a_plain_form():
    from meetings import consumers

    assert set(actions.BY_FRAME) == {"chat.send", "chat.hide", "hand.raise", "hand.lower", "speaker.next",
                                     "speaker.remove", "agenda.set", "check_in", "participant.mute", "participant.unmute"}
    assert not hasattr(consumers, "ACTIONS")  # no second table
    assert all(action.path in actions.BY_PATH for action in actions.BY_FRAME.values())
