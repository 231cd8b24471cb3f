"""Faults in a live meeting: a Daphne process killed with ``kill -9``, and Redis restarted.

Chat flows from two people, one on each process, at four messages a second each (the room
allows five). What people saw is compared with the room's event log in the database: persist,
then broadcast, and resume with ``since`` after a reconnection.
"""

import threading
import time
import urllib.error
import urllib.request

import pytest
from websockets.exceptions import ConnectionClosed

from meetings.models import Presence, RoomEvent
from tests.scaleout.conftest import RoomClient, age_presence, html, wait_until

pytestmark = [pytest.mark.scaleout, pytest.mark.django_db(transaction=True)]

SEND_EVERY = 0.25


class Sender(threading.Thread):
    """A person typing at a steady pace, through whichever socket their tab has at the moment."""

    def __init__(self, client: RoomClient, tag: str):
        super().__init__(daemon=True)
        self.client, self.tag = client, tag
        self.sent: list[str] = []
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            socket = self.client.socket
            if not socket.closed:
                body = f"{self.tag}-{len(self.sent)}"
                try:
                    socket.send(type="chat.send", body=body)
                    self.sent.append(body)
                except (ConnectionClosed, OSError):
                    pass  # the server died under us: the tab reconnects, then we go on
            self.halt.wait(SEND_EVERY)

    def stop(self) -> None:
        self.halt.set()
        self.join(timeout=5)


def chat_ids_in_db(meeting_id: int, after: int) -> list[int]:
    return list(RoomEvent.objects.filter(meeting_id=meeting_id, kind="chat.message", pk__gt=after)
                .order_by("pk").values_list("pk", flat=True))


def wait_for_more_chat(clients: list[RoomClient], more: int) -> None:
    marks = {c: len(c.chat_ids()) for c in clients}
    wait_until(lambda: all(len(c.chat_ids()) >= marks[c] + more for c in clients), timeout=15,
               what=f"{more} more chat messages for everyone")


def wait_until_caught_up(clients: list[RoomClient], meeting_id: int) -> None:
    newest = RoomEvent.objects.filter(meeting_id=meeting_id).order_by("-pk").values_list("pk", flat=True).first()
    for client in clients:
        wait_until(lambda c=client: c.chat_ids() and c.last_id >= newest, timeout=15,
                   what=f"{client.name} to reach event {newest}")


def ping_all(clients: list[RoomClient]) -> None:
    """Each tab pings, as the page does every 25 s, and hears its pong (its presence is fresh again)."""
    for client in clients:
        pongs = sum(f["type"] == "pong" for f in client.socket.frames)
        client.send(type="ping")
        wait_until(lambda c=client, n=pongs: sum(f["type"] == "pong" for f in c.socket.frames) > n,
                   what=f"pong for {client.name}")


def test_a_process_killed_mid_meeting_loses_nothing_acknowledged(start_daphnes, redis_url, room, capsys):
    a, b = start_daphnes(redis_url, 2)
    meeting, chair, people = room["meeting"], room["chair"], room["residents"]
    on_a = [RoomClient(meeting.pk, people[0]), RoomClient(meeting.pk, people[1]),
            RoomClient(meeting.pk, None, name="public watcher")]
    on_b = [RoomClient(meeting.pk, people[2]), RoomClient(meeting.pk, chair)]
    writer_a, writer_b = RoomClient(meeting.pk, people[3]), RoomClient(meeting.pk, people[4])
    for client in [*on_a, writer_a]:
        client.connect(a)
    for client in [*on_b, writer_b]:
        client.connect(b)
    start = max(c.last_id for c in [*on_a, *on_b, writer_a, writer_b])
    everyone = [*on_a, *on_b, writer_a, writer_b]
    senders = [Sender(writer_a, "from-a"), Sender(writer_b, "from-b")]
    for sender in senders:
        sender.start()
    wait_for_more_chat(everyone, 6)

    a.kill()
    dead = [*on_a, writer_a]
    wait_until(lambda: all(c.dropped for c in dead), timeout=5, what="A's sockets to drop")
    for client in (on_a[0], writer_a):  # these reconnect at once, to the other process
        client.connect(b)
    wait_for_more_chat([*on_b, on_a[0], writer_a], 6)

    a.start()  # the same port, as a supervisor restarts it
    for client in on_a[1:]:  # these were still backing off: they come back to the restarted process
        client.connect(a)
    on_a[0].socket.close()  # and this one moves back to it (a reload)
    on_a[0].connect(a)
    wait_for_more_chat(everyone, 6)
    for sender in senders:
        sender.stop()
    wait_until_caught_up(everyone, meeting.pk)

    logged = chat_ids_in_db(meeting.pk, start)
    acknowledged = writer_b.own_chat_ids(live_only=True) | writer_a.own_chat_ids(live_only=True)
    sent = len(senders[0].sent) + len(senders[1].sent)
    assert len(logged) >= 18 and acknowledged <= set(logged)
    for client in everyone:
        ids = client.chat_ids()
        assert ids == sorted(set(ids)), f"{client.name} saw a message twice or out of order"
        assert client.behind == [], f"{client.name} was sent {client.behind} after newer frames"
        assert set(ids) <= set(logged), f"{client.name} saw messages that are not in the log"
        if client in dead:  # they reconnected with since: every committed message, in order
            assert ids == logged, f"{client.name} misses {sorted(set(logged) - set(ids))}"
        else:  # they stayed: every acknowledged message (a message A committed but never sent may be missing)
            missing = set(logged) - set(ids)
            assert acknowledged <= set(ids), f"{client.name} misses acknowledged {sorted(acknowledged - set(ids))}"
            assert missing <= set(writer_a.own_chat_ids()) - acknowledged
    with capsys.disabled():
        print(f"\n  kill -9: {sent} sent, {len(logged)} committed, {len(acknowledged)} acknowledged live; "
              f"frames repeated by reconnections: {sum(c.repeats for c in everyone)}")

    # The dead process's sockets still count until their rows go stale; then only live sockets count.
    live = everyone
    assert Presence.objects.filter(meeting=meeting).count() == len(live) + len(dead)
    age_presence(meeting.pk)  # as if PRESENCE_SECONDS had passed
    ping_all(live)
    newcomer = RoomClient(meeting.pk, people[5])
    newcomer.connect(b)
    live = [*live, newcomer]
    newcomer.socket.wait_for(lambda f: f["type"] == "presence", what="presence for the newcomer")
    assert newcomer.latest("presence")["count"] == len(live)
    wait_until(lambda: all((c.latest("presence") or {}).get("count") == len(live) for c in live),
               what=f"presence of {len(live)} everywhere")
    assert Presence.objects.filter(meeting=meeting).count() == len(live)
    for client in live:
        client.close()


def healthz(server) -> int:
    try:
        with urllib.request.urlopen(server.url + "/healthz", timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_room_recovers_after_redis_restarts(start_daphnes, private_redis, room, capsys):
    a, b = start_daphnes(private_redis.url, 2)
    meeting, people = room["meeting"], room["residents"]
    writer, on_a, on_b = (RoomClient(meeting.pk, people[0]), RoomClient(meeting.pk, people[1]),
                          RoomClient(meeting.pk, people[2]))
    writer.connect(a)
    on_a.connect(a)
    on_b.connect(b)
    start = on_b.last_id
    writer.send(type="chat.send", body="before the restart")
    for client in (writer, on_a, on_b):
        client.socket.wait_for(lambda f: f.get("type") == "chat.message" and "before the" in html(f))

    private_redis.shutdown()
    writer.send(type="chat.send", body="while Redis is down")
    wait_until(lambda: RoomEvent.objects.filter(meeting=meeting, body="while Redis is down").exists(),
               timeout=20, what="the message sent during the outage to be saved")
    down_health = healthz(a)

    private_redis.start()
    restarted = time.monotonic()
    # Each process notices its subscription had a hole and closes its sockets (code 4012, resume); tabs
    # reconnect with ?since= as the page's script does.
    for client, server in ((writer, a), (on_a, a), (on_b, b)):
        wait_until(lambda c=client: c.socket.closed, timeout=30, what=f"{client.name} to be told to resume")
        client.connect(server)
    n = 0

    def chat_crosses() -> bool:  # A → B and B → A
        nonlocal n
        n += 1
        writer.send(type="chat.send", body=f"after the restart {n}")
        on_b.send(type="chat.send", body=f"reply {n}")
        time.sleep(0.3)
        return any("after the restart" in html(f) for f in on_b.socket.frames) and any(
            "reply" in html(f) for f in on_a.socket.frames)

    wait_until(chat_crosses, timeout=30, what="chat to cross between the processes again")
    recovered = time.monotonic() - restarted
    assert healthz(a) == healthz(b) == 200

    for server in (a, b):  # each process noticed that its subscription had a hole, and told its channels
        wait_until(lambda s=server: "Redis subscription restored" in s.log(), what=f"{server.name} to notice")

    # Nothing committed is lost: a tab that resumes from the newest frame it had before the outage
    # receives every message saved since, the one sent during the outage included.
    wait_until_caught_up([writer, on_a, on_b], meeting.pk)
    logged = chat_ids_in_db(meeting.pk, start)
    outage = RoomEvent.objects.get(meeting=meeting, body="while Redis is down").pk
    for client in (writer, on_a, on_b):  # the resumed tabs miss nothing, the outage's message included
        assert [i for i in client.chat_ids() if i > start] == logged and client.behind == []
    open_sockets_got_it = {client.name: outage in client.chat_ids() for client in (writer, on_a, on_b)}
    resumed = []
    before = RoomEvent.objects.get(meeting=meeting, body="before the restart").pk
    for client, server in ((on_a, a), (on_b, b)):
        tab = RoomClient(meeting.pk, client.user, name=f"{client.name} resuming")
        tab.connect(server)
        tab.last_id = before  # the newest frame the open sockets had when Redis stopped
        tab.socket.close()
        tab.connect(server)
        resumed.append(tab)
    wait_until_caught_up(resumed, meeting.pk)
    for tab in resumed:
        assert tab.chat_ids() == [i for i in logged if i > before]
        assert tab.behind == []
    assert outage in logged and outage > before
    with capsys.disabled():
        print(f"\n  Redis restart: /healthz {down_health} while down; chat crossed again {recovered:.1f}s "
              f"after Redis was back; the message sent during the outage reached the open sockets: "
              f"{open_sockets_got_it}")
    for client in (writer, on_a, on_b, *resumed):
        client.close()
