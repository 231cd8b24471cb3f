"""Two Daphne processes behind one Redis and one database: people on either see the same room.

Each test starts two real servers (``daphne config.asgi:application``) with ``REDIS_URL`` set, so
the channel layer is Redis pub/sub and the cache is Redis, and connects WebSocket clients to each.
"""

import re

import pytest
import redis
import requests
from django.conf import settings
from django.utils.html import escape

from meetings.models import RoomEvent
from polls.models import OpenVote
from tests.polls.conftest import make_poll
from tests.scaleout.conftest import RoomClient, Socket, html, session_cookie, wait_until

pytestmark = [pytest.mark.scaleout, pytest.mark.django_db(transaction=True)]


def chat_with(client: RoomClient, text: str) -> dict:
    return client.socket.wait_for(lambda f: f["type"] == "chat.message" and text in html(f),
                                  what=f"chat {text!r} for {client.name}")


def test_a_chat_message_sent_on_one_process_reaches_people_on_both(two_daphnes, room):
    a, b = two_daphnes
    meeting, chair, (rita, sam, *_) = room["meeting"], room["chair"], room["residents"]
    on_a = [RoomClient(meeting.pk, rita), RoomClient(meeting.pk, chair)]
    on_b = [RoomClient(meeting.pk, sam), RoomClient(meeting.pk, None, name="public watcher")]
    for client in on_a:
        client.connect(a)
    for client in on_b:
        client.connect(b)

    on_a[0].send(type="chat.send", body="Put the shed *behind* block 3")
    frames = [chat_with(client, "behind") for client in on_a + on_b]

    saved = RoomEvent.objects.get(meeting=meeting, kind="chat.message")
    assert {f["id"] for f in frames} == {saved.pk}
    assert all(f["author_id"] == rita.pk and escape(rita.public_name) in html(f) for f in frames)
    assert "<em>behind</em>" in html(frames[0])

    on_b[0].send(type="chat.send", body="Agreed, from the other process")
    for client in on_a + on_b:
        chat_with(client, "other process")
    for client in on_a + on_b:
        client.close()


def test_a_hand_raised_on_one_process_reaches_the_chair_on_the_other(two_daphnes, room):
    a, b = two_daphnes
    meeting, chair, (rita, *_) = room["meeting"], room["chair"], room["residents"]
    the_chair, the_resident = RoomClient(meeting.pk, chair), RoomClient(meeting.pk, rita)
    the_chair.connect(a)
    the_resident.connect(b)

    the_resident.send(type="hand.raise")
    raised = the_chair.socket.wait_for(lambda f: f["type"] == "queue" and f["change"] == "raised",
                                       what="the raised hand")
    assert f'<li data-user="{rita.pk}">' in html(raised)

    the_chair.send(type="speaker.next", seconds=60)
    called = the_resident.socket.wait_for(lambda f: f["type"] == "queue" and f["change"] == "next",
                                          what="the floor given")
    assert f'<p data-user="{rita.pk}">' in html(called) and "<li" not in html(called)
    assert called["id"] > raised["id"]
    the_chair.close()
    the_resident.close()


def test_a_ballot_cast_over_http_on_one_process_moves_live_results_on_the_other(two_daphnes, room):
    a, b = two_daphnes
    chair, voter = room["chair"], room["residents"][0]
    poll = make_poll(chair, room["meeting"].community, secret=False, live_results=True, method="yes_no")
    watchers = [Socket(server, f"/ws/polls/{poll.pk}/") for server in (a, b)]
    for watcher in watchers:
        watcher.wait_for(lambda f: f["type"] == "welcome")

    browser = requests.Session()
    browser.cookies.set(settings.SESSION_COOKIE_NAME, session_cookie(voter), domain="127.0.0.1")
    page = browser.get(f"{a.url}/polls/{poll.pk}/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = browser.post(f"{a.url}/polls/{poll.pk}/vote", data={"csrfmiddlewaretoken": token, "ballot-choice": "yes"},
                          allow_redirects=False, timeout=10)
    assert answer.status_code == 302, re.findall(r'(?s)<ul class="errorlist[^>]*>.*?</ul>', answer.text)

    for watcher in watchers:
        watcher.wait_for(lambda f: f == {"type": "poll.changed", "poll_id": poll.pk}, what="poll.changed")
    assert OpenVote.objects.filter(poll=poll, user=voter).count() == 1
    results = requests.get(f"{b.url}/polls/{poll.pk}/", timeout=10).text  # what the page on B fetches
    assert re.search(r"Yes</t[hd]>\s*<td[^>]*>\s*1\b", results), "the other process shows the vote"
    for watcher in watchers:
        watcher.close()


def test_presence_counts_converge_across_processes(two_daphnes, room):
    a, b = two_daphnes
    meeting, chair, (rita, sam, tom, *_) = room["meeting"], room["chair"], room["residents"]
    clients = [RoomClient(meeting.pk, rita), RoomClient(meeting.pk, chair), RoomClient(meeting.pk, sam),
               RoomClient(meeting.pk, tom), RoomClient(meeting.pk, None, name="public watcher")]
    for i, client in enumerate(clients):
        client.connect(a if i % 2 == 0 else b)

    def everyone_sees(count: int, people: set[str]) -> bool:
        for client in clients:
            latest = client.latest("presence")
            if latest is None or latest["count"] != count:
                return False
            expected = people if client.user else set()  # names are for those signed in
            if set(latest["people"]) != expected:
                return False
        return True

    names = {p.public_name for p in (rita, chair, sam, tom)}
    wait_until(lambda: everyone_sees(5, names), what="5 sockets and 4 names everywhere")

    leaving = clients.pop(2)  # Sam, on A
    leaving.close()
    wait_until(lambda: everyone_sees(4, names - {sam.public_name}), what="Sam gone everywhere")
    for client in clients:
        client.close()


def test_health_probes_leave_no_subscription_behind(two_daphnes, redis_url):
    """/healthz sends a message through the layer and back; a load balancer calls it every few seconds."""
    for server in two_daphnes:
        for _ in range(5):
            assert requests.get(f"{server.url}/healthz", timeout=10).json()["channel_layer"] == "ok"
    assert redis.Redis.from_url(redis_url).pubsub_channels("asgispecific.*") == []
