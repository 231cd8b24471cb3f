"""The WebSocket cells of the authorization matrix, through the real ASGI stack with a session cookie.

Consumers reach the database from other threads, so these tests commit: each builds the people and
only the objects its route needs.
"""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from meetings import services as meeting_services
from polls import services as poll_services
from tests.consult.conftest import new_consultation
from tests.meetings.conftest import schedule
from tests.security.matrix import ALLOW, CLOSED, ERROR_FRAME, ROLES, WS
from tests.security.test_authorization import changed_tables, snapshot
from tests.security.world import build_people

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = (b"origin", b"http://127.0.0.1:8000")


def _live_meeting(w, **extra):
    meeting = schedule(w.chair, w.community, secretary=w.secretary, invite=[w.resident], orgs=[w.organisation],
                       **extra)
    meeting_services.add_agenda_item(w.chair, meeting_id=meeting.pk, title="Parking", minutes_allotted=20)
    meeting = meeting_services.open_meeting(w.chair, meeting_id=meeting.pk)
    w.message = meeting_services.post_message(w.resident, meeting_id=meeting.pk, body="Hello")
    meeting_services.raise_hand(w.resident, meeting_id=meeting.pk)
    w.hand = meeting.speakers.get()
    w.item = meeting.agenda_items.get()
    from community.models import Membership
    from tests.conftest import make_user
    w.noisy = make_user("noisy@test.org", "Noisy")  # muted already: the one to let speak again
    Membership.objects.create(user=w.noisy, community=w.community, role="resident", grid=w.grid)
    meeting_services.mute_participant(w.chair, meeting_id=meeting.pk, user_id=w.noisy.pk)
    return meeting


def _issue(w):
    from issues import services
    from issues.models import Category

    category = Category.objects.create(community=w.community, name="Lifts")
    return services.raise_issue(w.resident, grid_id=w.grid.pk, category_id=category.pk, title="Lift", body="Stuck")


def _poll(w, *, opened=True):
    poll = poll_services.create_poll(w.chair, community_id=w.community.pk, title="Paint it?", options=[])
    return poll_services.open_poll(w.chair, poll_id=poll.pk) if opened else poll


# Where each row connects: the path, built from the objects it needs.
ROUTES = {
    "ws/me/": lambda w, variant: "/ws/me/",
    "ws/issues/<int:issue_id>/": lambda w, variant: f"/ws/issues/{_issue(w).pk}/",
    "ws/issue-lists/": lambda w, variant: f"/ws/issue-lists/?grids={w.grid.pk},{w.other_grid.pk}",
    "ws/consultations/<int:consultation_id>/": lambda w, variant: "/ws/consultations/{}/".format(
        new_consultation(w.chair, w.community, phase="draft" if variant == "draft" else "collecting").pk),
    "ws/polls/<int:poll_id>/": lambda w, variant: f"/ws/polls/{_poll(w, opened=variant != 'draft').pk}/",
    "ws/meetings/<int:meeting_id>/": lambda w, variant: "/ws/meetings/{}/".format(
        _live_meeting(w, is_public=variant != "closed").pk),
}

FRAMES = {
    "ping": lambda w: {"type": "ping"},
    "chat.send": lambda w: {"type": "chat.send", "body": "Hello all"},
    "chat.hide": lambda w: {"type": "chat.hide", "message_id": w.message.pk},
    "hand.raise": lambda w: {"type": "hand.raise"},
    "hand.lower": lambda w: {"type": "hand.lower"},
    "speaker.next": lambda w: {"type": "speaker.next"},
    "speaker.remove": lambda w: {"type": "speaker.remove", "request_id": w.hand.pk},
    "agenda.set": lambda w: {"type": "agenda.set", "item_id": w.item.pk},
    "check_in": lambda w: {"type": "check_in"},
    "participant.mute": lambda w: {"type": "participant.mute", "user_id": w.resident.pk},
    "participant.unmute": lambda w: {"type": "participant.unmute", "user_id": w.noisy.pk},
}
CHANGES = {"chat.send", "chat.hide", "hand.raise", "hand.lower", "speaker.next", "speaker.remove", "agenda.set",
           "check_in", "participant.mute", "participant.unmute"}


def _headers(user) -> list:
    if user is None:
        return [ORIGIN]
    client = Client()
    client.force_login(user)
    return [ORIGIN, (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())]


async def _next_answer(communicator) -> dict:
    """The next frame that answers the client, skipping the room's own news (presence, the queue...)."""
    while True:
        frame = await communicator.receive_json_from(timeout=3)
        if frame["type"] in ("pong", "error") or frame.get("id") is not None:
            return frame


@pytest.mark.parametrize(("key", "role"), [pytest.param(k, r, id=f"{k} | {r}") for k in WS for r in ROLES])
async def test_ws_cell(key, role):
    _, route, frame_type, *variant = key.split()
    w = await sync_to_async(build_people)()
    user = w.people.get(role)
    path = await sync_to_async(ROUTES[route])(w, variant[0] if variant else None)
    communicator = WebsocketCommunicator(application, path, headers=await sync_to_async(_headers)(user))
    connected, _code = await communicator.connect()
    expected = WS[key][role]
    try:
        if frame_type == "connect" or not connected:
            assert (ALLOW if connected else CLOSED) == expected, f"{key} as {role}"
            if connected:
                assert (await communicator.receive_json_from())["type"] == "welcome"
            return
        assert (await communicator.receive_json_from())["type"] == "welcome"
        before = await sync_to_async(snapshot)()
        await communicator.send_json_to(await sync_to_async(FRAMES[frame_type])(w))
        answer = await _next_answer(communicator)
        after = await sync_to_async(snapshot)()
        got = ERROR_FRAME if answer["type"] == "error" else ALLOW
        assert got == expected, f"{key} as {role}: got {answer}"
        if expected != ALLOW:
            assert answer["message"]
            assert changed_tables(before, after) == [], f"{key} as {role}: refused but changed"
        elif frame_type in CHANGES:
            assert changed_tables(before, after), f"{key} as {role}: allowed but changed nothing"
    finally:
        await communicator.disconnect()
