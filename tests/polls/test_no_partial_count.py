"""No partial count of a secret poll on any channel before it closes: pages, the API, CSV, Atom, the meeting room
and the poll's socket say exactly the same, byte for byte and in size, whatever has been voted so far."""

import random
import re

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from config.asgi import application
from meetings import services as meeting_services
from polls import services
from tests.polls.conftest import make_poll

ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]
# What differs between two renderings of the same state: per-response tokens, per-form tokens and the clock.
VOLATILE = [re.compile(rb'(csrfmiddlewaretoken" value=")[^"]+'), re.compile(rb'(nonce=")[^"]+'),
            re.compile(rb'(csrf-token" content=")[^"]+'), re.compile(rb"(<updated>)[^<]+"),
            re.compile(rb'(data-server-now=")[^"]+'), re.compile(rb'(name="submit_once" value=")[^"]+')]


def _meeting_poll(chair, community, voters):
    meeting = meeting_services.schedule_meeting(
        chair, community_id=community.pk, kind="joint", title="Council", starts_at=timezone.now(), chair_id=chair.pk,
        secretary_id=chair.pk, place="Hall", audience="community")
    meeting_services.open_meeting(chair, meeting_id=meeting.pk)
    for voter in voters:
        meeting_services.check_in(voter, meeting_id=meeting.pk)
    poll = services.put_question_to_meeting(chair, meeting_id=meeting.pk, title="Which hall?", method="ranked",
                                            options=["North", "South", "East"], secret=True)
    return meeting, poll


def _channels(polls, meeting) -> list[str]:
    urls = ["/polls/", "/polls/results.csv", "/api/v1/polls", "/api/v1/polls?status=open", "/outcomes/",
            "/outcomes/feed.atom", "/meetings/feed.atom", "/consultations/feed.atom", meeting.get_absolute_url(),
            f"/api/v1/meetings/{meeting.pk}"]
    for poll in polls:
        urls += [f"/polls/{poll.pk}/", f"/polls/{poll.pk}/recount/", f"/polls/{poll.pk}/results.json",
                 f"/polls/{poll.pk}/ballots.csv", f"/polls/{poll.pk}/ballots.json", f"/polls/{poll.pk}/receipts.csv",
                 f"/api/v1/polls/{poll.pk}", f"/api/v1/polls/{poll.pk}/ballots"]
    return urls


def _snapshot(clients, urls) -> dict:
    seen = {}
    for who, client in clients.items():
        for url in urls:
            cache.clear()  # nothing cached may hide a difference either
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            size = len(body)
            for pattern in VOLATILE:
                body = pattern.sub(rb"\1...", body)
            seen[(who, url)] = (response.status_code, size, body)
    return seen


@pytest.mark.django_db
def test_votes_change_nothing_anyone_can_read_before_the_close(chair, community, voters, grid_worker):
    """Random ballots, one at a time; after each, every channel as the public, the committee's chair (who runs the
    poll) and a signed-in resident who does not vote in it reads it: identical to before the first vote."""
    ballot_poll = make_poll(chair, community, method="single", options=["Green", "Blue", "Red"])
    motion = make_poll(chair, community)
    meeting, room_poll = _meeting_poll(chair, community, voters)
    polls = [ballot_poll, motion, room_poll]
    clients = {"public": Client(), "chair": Client(), "resident": Client()}
    clients["chair"].force_login(chair)
    clients["resident"].force_login(grid_worker)
    urls = _channels(polls, meeting)
    before = _snapshot(clients, urls)
    assert before[("public", f"/polls/{motion.pk}/")][0] == 200
    rnd = random.Random(17)
    plan = [(voter, poll) for voter in voters for poll in polls]
    rnd.shuffle(plan)
    for voter, poll in plan[:9]:
        options = list(poll.options.values_list("pk", flat=True))
        choices = {"yes_no": lambda: rnd.choice(["yes", "no", "abstain"]), "single": lambda: rnd.choice(options),
                   "ranked": lambda: rnd.sample(options, rnd.randint(1, len(options)))}[poll.method]()
        services.cast_ballot(voter, poll_id=poll.pk, choices=choices)
        after = _snapshot(clients, urls)
        changed = [key for key in before if before[key] != after[key]]
        assert changed == [], changed
    closed = services.close_poll(chair, poll_id=motion.pk)  # and once closed, the count is there
    assert Client().get(f"/polls/{motion.pk}/results.json").json()["result"]["ballots"] == closed.result["ballots"]


@pytest.mark.django_db(transaction=True)
async def test_the_meeting_room_and_the_poll_socket_hear_nothing_of_a_secret_vote(chair, community, voters):
    meeting, poll = await sync_to_async(_meeting_poll)(chair, community, voters)
    sockets = []
    for path in (f"/ws/meetings/{meeting.pk}/", f"/ws/polls/{poll.pk}/"):
        communicator = WebsocketCommunicator(application, path, headers=ORIGIN)
        assert (await communicator.connect())[0], path
        while not await communicator.receive_nothing(timeout=0.3):
            await communicator.receive_output()  # the welcome and the room's state: before any vote
        sockets.append(communicator)
    options = await sync_to_async(lambda: list(poll.options.values_list("pk", flat=True)))()
    for voter in voters:
        await sync_to_async(services.cast_ballot)(voter, poll_id=poll.pk, choices=options[:2])
    for communicator in sockets:
        assert await communicator.receive_nothing(timeout=0.5)
    await sync_to_async(services.close_poll)(chair, poll_id=poll.pk)
    heard = await sockets[1].receive_json_from(timeout=2)
    assert heard == {"type": "poll.status", "poll_id": poll.pk, "status": "closed"}
    for communicator in sockets:
        await communicator.disconnect()
