"""The room's frames written straight to each connection (``core.wire``), on a real Daphne.

What a person can observe: every socket in the room gets every message, whole (Chinese, emoji, long
messages whose frames need the longer length forms), exactly once and in the order they were
saved, including a phone that stops reading for a while and catches up later.
"""

import json
import socket
import threading
import time

import pytest
from websockets.sync.client import connect

from community.models import Membership
from meetings.models import RoomEvent
from meetings.services import CHAT_PER_SECOND
from tests.conftest import make_user
from tests.scaleout.conftest import RoomClient, html, wait_until

pytestmark = [pytest.mark.scaleout, pytest.mark.django_db(transaction=True)]


def bodies(count: int) -> list[str]:
    """Messages as people write them: short, with emoji, longer than one small frame, the longest allowed."""
    shapes = [lambda n: f"第{n}条：同意", lambda n: f"{n} 👍🏽 加装电梯 🛗", lambda n: f"{n} " + "楼道灯不亮。" * 30,
              lambda n: f"{n} " + "议" * 1990]
    return [shapes[n % len(shapes)](n) for n in range(count)]


def send_paced(senders: list[RoomClient], texts: list[str]) -> None:
    """Each person within the chat's limit of messages a second."""
    for n, text in enumerate(texts):
        frame = json.dumps({"type": "chat.send", "body": text}, ensure_ascii=False)  # as a browser writes it
        senders[n % len(senders)].socket.ws.send(frame)
        time.sleep(1.2 / (CHAT_PER_SECOND * len(senders)))


def saved_chat(meeting_id: int, count: int) -> list[int]:
    wait_until(lambda: RoomEvent.objects.filter(meeting_id=meeting_id, kind="chat.message").count() >= count,
               timeout=60, what=f"{count} messages saved")
    return list(RoomEvent.objects.filter(meeting_id=meeting_id, kind="chat.message").order_by("pk")
                .values_list("pk", flat=True))


def test_every_socket_gets_every_message_whole_once_and_in_order(start_daphnes, room):
    (server,) = start_daphnes("", 1)  # the embedded default: one process, the in-memory layer
    meeting, chair, residents = room["meeting"], room["chair"], room["residents"]
    senders = [RoomClient(meeting.pk, person) for person in residents]
    watchers = [RoomClient(meeting.pk, None, name=f"watcher {n}") for n in range(60)] + [RoomClient(meeting.pk, chair)]
    for client in senders + watchers:
        client.connect(server)
    texts = bodies(40)

    send_paced(senders, texts)
    saved = saved_chat(meeting.pk, len(texts))
    assert len(saved) == len(texts)
    for client in senders + watchers:
        wait_until(lambda c=client: len(c.chat_ids()) >= len(saved), timeout=30, what=f"every message for {client.name}")

    for client in senders + watchers:
        frames = [frame for frame in client.socket.frames if frame.get("type") == "chat.message"]
        assert [frame["id"] for frame in frames] == saved, client.name  # once each, in order
        assert client.repeats == 0 and client.behind == []
        assert all(text in html(frame) for frame, text in zip(frames, texts, strict=True))
    for client in senders + watchers:
        client.close()


def test_a_phone_that_stops_reading_catches_up_with_everything_in_order(start_daphnes, room, grid):
    (server,) = start_daphnes("", 1)
    meeting, residents = room["meeting"], room["residents"]
    for n in range(14):
        residents.append(make_user(f"hall{n}@test.org", f"Hall {n}"))
        Membership.objects.create(user=residents[-1], community=meeting.community, role=Membership.Role.RESIDENT,
                                  grid=grid)
    senders = [RoomClient(meeting.pk, person) for person in residents]
    for client in senders:
        client.connect(server)
    # A phone that stops taking frames off its connection after two: the kernel's buffers on both sides fill,
    # the server's writes find the connection full and must keep the rest, in order, until the phone reads again.
    raw = socket.create_connection(("127.0.0.1", server.port))
    slow = connect(f"ws://127.0.0.1:{server.port}/ws/meetings/{meeting.pk}/", sock=raw, origin=server.url,
                   max_queue=2, open_timeout=10, ping_interval=None, proxy=None, legacy=True)
    # About 24 KB a frame (JSON writes each emoji as two escaped halves), 4.8 MB in all: more than the kernel
    # keeps for a connection (about 3 MB here), so the server's writes find it full, part-written frames included.
    texts = [f"{n} " + "🏠" * 1990 for n in range(200)]

    sending = threading.Thread(target=send_paced, args=(senders, texts))
    sending.start()
    sending.join()
    saved = saved_chat(meeting.pk, len(texts))
    wait_until(lambda: len(senders[0].chat_ids()) >= len(saved), timeout=60, what="the fast reader's messages")

    got, deadline = [], time.monotonic() + 60
    while len(got) < len(saved) and time.monotonic() < deadline:
        frame = json.loads(slow.recv(timeout=30))
        if frame.get("type") == "chat.message":
            got.append(frame)
    assert [frame["id"] for frame in got] == saved
    assert all(text in html(frame) for frame, text in zip(got, texts, strict=True))
    slow.close()
    for client in senders:
        client.close()
