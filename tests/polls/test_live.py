"""Live poll pages through the real ASGI stack: pings when counts move, never for a secret poll before close."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.cache import cache

from config.asgi import application
from polls import services
from tests.polls.conftest import make_poll

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]


async def watch(poll):
    communicator = WebsocketCommunicator(application, f"/ws/polls/{poll.pk}/", headers=ORIGIN)
    assert (await communicator.connect())[0]
    assert (await communicator.receive_json_from())["type"] == "welcome"
    return communicator


async def test_an_open_ballot_with_live_results_pings_its_viewers(chair, community, voters):
    poll = await sync_to_async(make_poll)(chair, community, secret=False, live_results=True, method="yes_no")
    viewer = await watch(poll)
    await sync_to_async(services.cast_ballot)(voters[0], poll_id=poll.pk, choices="yes")
    assert await viewer.receive_json_from(timeout=2) == {"type": "poll.changed", "poll_id": poll.pk}
    await sync_to_async(services.cast_ballot)(voters[1], poll_id=poll.pk, choices="no")
    assert await viewer.receive_nothing(timeout=0.3)  # coalesced: one ping a second at most
    await sync_to_async(cache.clear)()
    await sync_to_async(services.close_poll)(chair, poll_id=poll.pk)
    assert (await viewer.receive_json_from(timeout=2))["status"] == "closed"
    await viewer.disconnect()


async def test_a_secret_poll_says_nothing_until_it_closes(chair, community, voters):
    poll = await sync_to_async(make_poll)(chair, community)
    viewer = await watch(poll)
    await sync_to_async(services.cast_ballot)(voters[0], poll_id=poll.pk, choices="yes")
    assert await viewer.receive_nothing(timeout=0.3)
    await sync_to_async(services.close_poll)(chair, poll_id=poll.pk)
    assert (await viewer.receive_json_from(timeout=2)) == {"type": "poll.status", "poll_id": poll.pk,
                                                            "status": "closed"}
    await viewer.disconnect()


async def test_drafts_and_unknown_polls_refuse_watchers(chair, community):
    draft = await sync_to_async(services.create_poll)(chair, community_id=community.pk, title="Q", options=[])
    for path in [f"/ws/polls/{draft.pk}/", "/ws/polls/99999/"]:
        assert not (await WebsocketCommunicator(application, path, headers=ORIGIN).connect())[0]
