"""The live room through the real ASGI stack: chat, replay, limits, refusals, the speaker queue, presence."""

import json
import threading

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import close_old_connections
from django.utils.html import escape

from community.models import Membership
from config.asgi import application
from meetings import services
from meetings.models import RoomEvent, SpeakerRequest
from tests.conftest import CANARY, make_user
from tests.meetings.conftest import schedule

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]


async def enter(meeting, user=None, since=None, lang=None):
    query = "&".join(part for part in (f"since={since}" if since is not None else "", f"lang={lang}" if lang else "")
                     if part)
    path = f"/ws/meetings/{meeting.pk}/" + (f"?{query}" if query else "")
    communicator = WebsocketCommunicator(application, path, headers=ORIGIN)
    if user is not None:
        communicator.scope["user"] = user  # the session middleware sets this from the cookie
    connected, _ = await communicator.connect()
    assert connected
    welcome = await communicator.receive_json_from()
    assert welcome["type"] == "welcome"
    return communicator, welcome


def html(frame) -> str:
    """The fragments a frame carries, as one string."""
    return "".join(swap.get("html", "") for swap in frame.get("swaps", []))


async def next_of(communicator, kind, timeout=2):
    """The next frame of a type, skipping presence updates."""
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] == kind:
            return frame
        assert frame["type"] == "presence", frame


async def test_a_chat_message_reaches_everyone_in_order_with_increasing_ids(live_meeting, resident, chair):
    mei, welcome = await enter(live_meeting, resident)
    chen, _ = await enter(live_meeting, chair)
    await mei.send_json_to({"type": "chat.send", "body": f"Hello **all** {CANARY}"})
    await chen.send_json_to({"type": "chat.send", "body": "Welcome"})  # sent at the same moment: either may be first
    first, second = await next_of(mei, "chat.message"), await next_of(mei, "chat.message")
    assert first["id"] > welcome["last_id"] and second["id"] > first["id"]
    if first["author_id"] != resident.pk:
        first, second = second, first
    assert set(first) == {"type", "id", "author_id", "swaps"}
    [swap] = first["swaps"]  # the chat-message partial, appended to the chat
    assert (swap["target"], swap["swap"]) == ("chat", "append")
    assert swap["html"].startswith(f'<li id="msg-{first["id"]}" class="chat-message"')
    assert f"<strong>{escape(resident.public_name)}</strong>" in swap["html"]
    assert "<strong>all</strong>" in swap["html"] and "<script>" not in swap["html"]
    assert "&lt;script&gt;" in swap["html"]
    assert [(await next_of(chen, "chat.message"))["id"] for _ in range(2)] == sorted([first["id"], second["id"]])
    for c in (mei, chen):
        await c.disconnect()


async def test_a_client_that_reconnects_with_since_misses_nothing(live_meeting, resident, chair):
    mei, welcome = await enter(live_meeting, resident)
    await mei.disconnect()
    for text in ("one", "two", "three"):
        await sync_to_async(services.post_message)(chair, meeting_id=live_meeting.pk, body=text)
    back, _ = await enter(live_meeting, resident, since=welcome["last_id"])
    missed = [await next_of(back, "chat.message") for _ in range(3)]
    assert ["<p>one</p>" in html(m) for m in missed] == [True, False, False]
    assert ["<p>two</p>" in html(m) for m in missed] == [False, True, False]
    assert "<p>three</p>" in html(missed[2])
    await back.disconnect()


async def test_oversized_frames_and_floods_get_an_error_and_store_nothing(live_meeting, resident, chair):
    mei, _ = await enter(live_meeting, resident)
    chen, _ = await enter(live_meeting, chair)
    await mei.send_to(text_data=json.dumps({"type": "chat.send", "body": "x" * 17000}))
    assert "16 KB" in (await next_of(mei, "error"))["message"]
    for i in range(6):
        await mei.send_json_to({"type": "chat.send", "body": f"m{i}"})
    frames = [await mei.receive_json_from() for _ in range(7)]
    errors = [f for f in frames if f["type"] == "error"]
    assert len(errors) == 1 and "very fast" in errors[0]["message"]
    count = await sync_to_async(RoomEvent.objects.filter(kind="chat.message", author=resident).count)()
    assert count == 5
    await chen.send_json_to({"type": "chat.send", "body": "still open"})  # the room goes on for others
    while (frame := await chen.receive_json_from())["type"] != "chat.message" or "still open" not in html(frame):
        pass
    for c in (mei, chen):
        await c.disconnect()


@pytest.mark.parametrize("frame", ['not json', '[1, 2]', '{"type": "launch.rockets"}', '{"type": "chat.send"}',
                                   '{"type": "agenda.set", "item_id": "x"}', '{"type": "speaker.remove"}'])
async def test_bad_frames_get_an_error_and_the_socket_stays_open(live_meeting, resident, frame):
    mei, _ = await enter(live_meeting, resident)
    await mei.send_to(text_data=frame)
    assert (await next_of(mei, "error"))["message"]
    await mei.send_json_to({"type": "ping"})
    assert (await next_of(mei, "pong"))["type"] == "pong"
    await mei.disconnect()


async def test_only_the_chair_runs_the_room(live_meeting, resident):
    mei, _ = await enter(live_meeting, resident)
    item = await sync_to_async(lambda: live_meeting.agenda_items.last())()
    await mei.send_json_to({"type": "agenda.set", "item_id": item.pk})
    assert "chair" in (await next_of(mei, "error"))["message"]
    await mei.send_json_to({"type": "speaker.next"})
    assert "chair" in (await next_of(mei, "error"))["message"]
    await mei.disconnect()


async def test_the_public_watches_a_public_meeting_but_cannot_speak(live_meeting, chair):
    anyone, welcome = await enter(live_meeting)
    assert welcome["can_take_part"] is False
    await anyone.send_json_to({"type": "chat.send", "body": "hi"})
    assert "Sign in" in (await next_of(anyone, "error"))["message"]
    await sync_to_async(services.post_message)(chair, meeting_id=live_meeting.pk, body="Public words")
    assert "Public words" in html(await next_of(anyone, "chat.message"))
    await anyone.disconnect()


async def test_a_closed_meeting_refuses_those_not_invited(chair, community, resident, resident_of_other_grid):
    closed = await sync_to_async(schedule)(chair, community, is_public=False, invite=[resident])
    for user in (None, resident_of_other_grid):
        communicator = WebsocketCommunicator(application, f"/ws/meetings/{closed.pk}/", headers=ORIGIN)
        if user:
            communicator.scope["user"] = user
        assert not (await communicator.connect())[0]
    invited, _ = await enter(closed, resident)
    await invited.disconnect()


async def test_sockets_from_other_sites_are_refused(live_meeting):
    evil = WebsocketCommunicator(application, f"/ws/meetings/{live_meeting.pk}/",
                                 headers=[(b"origin", b"https://evil.example")])
    assert not (await evil.connect())[0]


async def test_the_speaker_queue_and_the_agenda_are_seen_by_everyone(live_meeting, resident, chair):
    mei, _ = await enter(live_meeting, resident)
    chen, _ = await enter(live_meeting, chair)
    await mei.send_json_to({"type": "hand.raise"})
    queue = await next_of(chen, "queue")
    assert queue["change"] == "raised" and [s["target"] for s in queue["swaps"]] == ["speaker-now", "speaker-queue"]
    assert f'<li data-user="{resident.pk}">{escape(resident.public_name)}' in queue["swaps"][1]["html"]
    await chen.send_json_to({"type": "speaker.next", "seconds": 90})
    queue = await next_of(mei, "queue")
    queue = queue if queue["change"] == "next" else await next_of(mei, "queue")
    speaker, waiting = (s["html"] for s in queue["swaps"])
    assert f'<p data-user="{resident.pk}"><strong>{escape(resident.public_name)}</strong> has the floor' in speaker
    assert 'class="countdown" data-ends-at="' in speaker and waiting == ""
    item = await sync_to_async(lambda: live_meeting.agenda_items.last())()
    await chen.send_json_to({"type": "agenda.set", "item_id": item.pk})
    current = await next_of(mei, "agenda.current")
    assert current["item_id"] == item.pk and current["swaps"][0]["target"] == "agenda"
    assert f'<li id="item-{item.pk}" class="current" aria-current="step">' in html(current)
    for c in (mei, chen):
        await c.disconnect()


async def presence_until(communicator, count, timeout=3):
    """Presence is the latest state, sent at most twice a second: wait until it shows ``count``."""
    while True:
        presence = await next_of(communicator, "presence", timeout=timeout)
        if presence["count"] == count:
            return presence


async def test_presence_counts_who_is_in_the_room(live_meeting, resident, chair):
    mei, _ = await enter(live_meeting, resident)
    assert (await next_of(mei, "presence"))["count"] == 1  # the newcomer hears who is here
    chen, _ = await enter(live_meeting, chair)
    presence = await presence_until(mei, 2)
    assert set(presence["people"]) == {resident.public_name, chair.public_name}
    await chen.disconnect()
    await presence_until(mei, 1)
    await mei.disconnect()


async def test_a_burst_of_arrivals_costs_at_most_two_presence_frames_a_second(live_meeting, resident, chair):
    import time

    mei, _ = await enter(live_meeting, resident)
    started = time.monotonic()
    others = [(await enter(live_meeting))[0] for _ in range(8)]  # eight watchers of the public (one person: once)
    await presence_until(mei, 9)
    elapsed = time.monotonic() - started
    frames = 1  # the one that showed 9
    while not await mei.receive_nothing(timeout=0.8):
        frames += (await mei.receive_json_from())["type"] == "presence"
    assert frames <= 2 * (elapsed + 1.6) + 1
    for c in [mei, *others]:
        await c.disconnect()


def test_two_presses_of_next_at_once_move_the_queue_one_step_each(live_meeting, chair, grid, community):
    people = []
    for i in range(3):
        user = make_user(f"q{i}@test.org", f"Speaker {i}")
        Membership.objects.create(user=user, community=community, role="resident", grid=grid)
        people.append(user)
        services.raise_hand(user, meeting_id=live_meeting.pk)
    barrier = threading.Barrier(2)
    outcomes = []

    def press():
        barrier.wait()
        try:
            outcomes.append(services.call_next_speaker(chair, meeting_id=live_meeting.pk))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    rows = {r.user_id: r.status for r in SpeakerRequest.objects.filter(meeting=live_meeting)}
    assert rows == {people[0].pk: "done", people[1].pk: "speaking", people[2].pk: "waiting"}
    assert len(outcomes) == 2


@pytest.mark.parametrize("frame", ['{"type": []}', '{"type": {}}', '{"type": null}', '"chat.send"'])
async def test_frames_of_the_wrong_shape_get_an_error(live_meeting, resident, frame):
    mei, _ = await enter(live_meeting, resident)
    await mei.send_to(text_data=frame)
    assert (await next_of(mei, "error"))["message"]
    await mei.disconnect()


async def test_an_odd_since_is_ignored_not_a_crash(live_meeting, resident):
    communicator = WebsocketCommunicator(application, f"/ws/meetings/{live_meeting.pk}/?since=%C2%B2",
                                         headers=ORIGIN)
    communicator.scope["user"] = resident
    assert (await communicator.connect())[0]
    assert (await communicator.receive_json_from())["type"] == "welcome"
    await communicator.disconnect()


async def test_too_many_frames_a_second_of_any_kind_get_an_error(live_meeting, resident):
    mei, _ = await enter(live_meeting, resident)
    for _ in range(12):
        await mei.send_json_to({"type": "hand.lower"})
    frames = [await next_of(mei, "error") for _ in range(12)]
    assert any("sending very fast" in f.get("message", "") for f in frames)
    await mei.disconnect()


async def test_the_public_sees_how_many_are_in_the_room_not_who(live_meeting, resident):
    anyone, _ = await enter(live_meeting)
    mei, _ = await enter(live_meeting, resident)
    presence = await next_of(anyone, "presence")
    while presence["count"] < 2:
        presence = await next_of(anyone, "presence")
    assert presence["people"] == []
    assert resident.public_name in (await next_of(mei, "presence"))["people"]
    for c in (anyone, mei):
        await c.disconnect()


async def test_draft_minutes_never_travel_on_the_room(live_meeting, moderator):
    anyone, _ = await enter(live_meeting)
    await sync_to_async(services.update_minutes)(moderator, meeting_id=live_meeting.pk, body="Secret draft",
                                                 base_version=0)
    frame = await next_of(anyone, "minutes.updated")
    assert frame["version"] == 1 and "Secret" not in str(frame)
    await anyone.disconnect()


async def test_a_chair_removed_from_the_committee_stops_at_once(live_meeting, chair, community):
    from community.models import Membership
    from meetings.models import Meeting

    deputy = await sync_to_async(make_user)("deputy@test.org", "Deputy")
    await sync_to_async(Membership.objects.create)(user=deputy, community=community, role="committee")
    room, _ = await enter(live_meeting, deputy)
    item = await sync_to_async(lambda: live_meeting.agenda_items.last())()
    await room.send_json_to({"type": "agenda.set", "item_id": item.pk})
    assert (await next_of(room, "agenda.current"))["item_id"] == item.pk
    await sync_to_async(Membership.objects.filter(user=deputy).delete)()
    first = await sync_to_async(lambda: live_meeting.agenda_items.first())()
    await room.send_json_to({"type": "agenda.set", "item_id": first.pk})
    assert "chair" in (await next_of(room, "error"))["message"]
    current = await sync_to_async(lambda: Meeting.objects.get(pk=live_meeting.pk).current_item_id)()
    assert current == item.pk
    await room.disconnect()


# Fragments: rendered once per audience and language, each socket sent its audience's ----------------------

CHAIR_ONLY = ('data-room-action="chat.hide"', 'data-room-action="speaker.remove"', 'data-room-action="agenda.set"',
              "Move down")


async def test_a_chair_only_control_never_reaches_a_non_chairs_socket(live_meeting, chair, moderator, resident):
    chen, _ = await enter(live_meeting, chair)
    secretary, _ = await enter(live_meeting, moderator)  # the secretary records outcomes, but runs nothing
    mei, _ = await enter(live_meeting, resident)
    anyone, _ = await enter(live_meeting)
    await mei.send_json_to({"type": "chat.send", "body": "Hello"})
    await mei.send_json_to({"type": "hand.raise"})
    item = await sync_to_async(lambda: live_meeting.agenda_items.last())()
    await chen.send_json_to({"type": "agenda.set", "item_id": item.pk})
    seen = {}
    for name, socket in (("chair", chen), ("secretary", secretary), ("resident", mei), ("public", anyone)):
        seen[name] = {}
        while len(seen[name]) < 3:  # the chair's frame and the resident's may cross
            frame = await socket.receive_json_from(timeout=2)
            if frame["type"] != "presence":
                seen[name][frame["type"]] = html(frame)
    assert 'data-room-action="chat.hide"' in seen["chair"]["chat.message"]
    assert 'data-room-action="speaker.remove"' in seen["chair"]["queue"]
    assert 'data-room-action="agenda.set"' in seen["chair"]["agenda.current"]
    assert 'name="csrfmiddlewaretoken" value="fragment"' in seen["chair"]["chat.message"]  # each page puts its own
    for name in ("secretary", "resident", "public"):
        assert not [c for c in CHAIR_ONLY if c in "".join(seen[name].values())], name
        assert "Hello" in seen[name]["chat.message"] and "<form" not in seen[name]["chat.message"]
    assert "Record the outcome" in seen["secretary"]["agenda.current"]
    assert "Record the outcome" not in seen["resident"]["agenda.current"] + seen["public"]["agenda.current"]
    for c in (chen, secretary, mei, anyone):
        await c.disconnect()


async def test_a_message_is_rendered_once_per_audience_and_language_however_many_sockets(
        live_meeting, chair, resident, monkeypatch):
    from meetings import fragments

    renders = []
    real = fragments.render
    monkeypatch.setattr(fragments, "render", lambda name, *a: renders.append(name) or real(name, *a))
    sockets = [(await enter(live_meeting, who))[0] for who in (chair, chair, resident, resident, resident, None, None)]
    await sync_to_async(services.post_message)(resident, meeting_id=live_meeting.pk, body="Once")
    for socket in sockets:
        assert "Once" in html(await next_of(socket, "chat.message"))
    from django.conf import settings

    # (chair, everyone) × each language the site speaks, however many sockets
    assert [r for r in renders if r != "presence"] == ["chat-message"] * (2 * len(settings.LANGUAGES))
    for socket in sockets:
        await socket.disconnect()


async def test_fragments_come_in_the_language_of_the_page(live_meeting, resident, chair):
    from django.utils import translation

    with translation.override("zh-hans"):
        nobody = translation.gettext("Nobody has the floor.")
    assert nobody != "Nobody has the floor."
    mei, _ = await enter(live_meeting, resident, lang="zh-Hans")
    chen, _ = await enter(live_meeting, chair, lang="klingon")  # one the site does not speak: the person's, or English
    await mei.send_json_to({"type": "hand.raise"})
    assert nobody in html(await next_of(mei, "queue"))
    assert "Nobody has the floor." in html(await next_of(chen, "queue"))
    for c in (mei, chen):
        await c.disconnect()


async def test_a_reconnecting_socket_gets_every_message_but_each_region_redrawn_once(live_meeting, resident, chair):
    mei, welcome = await enter(live_meeting, resident)
    await mei.disconnect()
    for step in (services.raise_hand, services.lower_hand, services.raise_hand):
        await sync_to_async(step)(resident, meeting_id=live_meeting.pk)
    await sync_to_async(services.post_message)(chair, meeting_id=live_meeting.pk, body="After the hands")
    back, _ = await enter(live_meeting, resident, since=welcome["last_id"])
    queue, chat = await next_of(back, "queue"), await next_of(back, "chat.message")
    assert queue["change"] == "raised" and escape(resident.public_name) in html(queue)  # the newest state only
    assert "After the hands" in html(chat) and chat["id"] > queue["id"]
    assert await back.receive_nothing(timeout=0.7) or (await back.receive_json_from())["type"] == "presence"
    await back.disconnect()


async def test_the_public_is_told_how_many_are_in_the_room_and_members_also_who(live_meeting, resident):
    anyone, _ = await enter(live_meeting)
    mei, _ = await enter(live_meeting, resident)
    public = await presence_until(anyone, 2)
    assert [s["target"] for s in public["swaps"]] == ["presence"] and html(public) == "In the room: 2"
    member = await presence_until(mei, 2)
    assert html(member) == f"In the room: 2 — {escape(resident.public_name)}"
    for c in (anyone, mei):
        await c.disconnect()


async def test_a_suggestion_and_its_answer_reach_the_committee_and_the_resident_without_a_reload(
        meeting, resident, chair, client):
    """The suggestions differ per person: the frame names the region, each page fetches it as itself."""
    chen, _ = await enter(meeting, chair)
    mei, _ = await enter(meeting, resident)
    item = await sync_to_async(services.suggest_agenda_item)(resident, meeting_id=meeting.pk, title="Bike shed")
    for socket in (chen, mei):
        frame = await next_of(socket, "agenda.suggested")
        assert frame["swaps"] == [{"target": "suggestions", "swap": "inner",
                                   "url": f"/meetings/{meeting.pk}/region/suggestions"}]
    url = f"/meetings/{meeting.pk}/region/suggestions"
    await sync_to_async(client.force_login)(chair)
    committee_view = (await sync_to_async(client.get)(url)).content.decode()
    assert "Bike shed" in committee_view and "Accept" in committee_view and "<html" not in committee_view
    await sync_to_async(client.force_login)(resident)
    own = (await sync_to_async(client.get)(url)).content.decode()
    assert "Bike shed" in own and "Accept" not in own
    await sync_to_async(services.decide_suggestion)(chair, item_id=item.pk, accept=False, reason="Next month")
    assert (await next_of(mei, "agenda.changed"))["type"] == "agenda.changed"  # the agenda itself, then the list
    assert (await next_of(mei, "agenda.suggested"))["swaps"][0]["target"] == "suggestions"
    assert "Next month" in (await sync_to_async(client.get)(url)).content.decode()
    for socket in (chen, mei):
        await socket.disconnect()


async def test_published_minutes_reach_every_page_as_each_may_read_them(live_meeting, chair, moderator, client):
    await sync_to_async(services.update_minutes)(moderator, meeting_id=live_meeting.pk, body="We agreed.",
                                                 base_version=0)
    await sync_to_async(services.adjourn_meeting)(chair, meeting_id=live_meeting.pk)
    watcher, _ = await enter(live_meeting)  # the public
    await sync_to_async(services.approve_minutes)(chair, meeting_id=live_meeting.pk)
    frame = await next_of(watcher, "minutes.published")
    assert frame["swaps"] == [{"target": "minutes-section", "swap": "outer",
                               "url": f"/meetings/{live_meeting.pk}/region/minutes-section"}]
    section = (await sync_to_async(client.get)(frame["swaps"][0]["url"])).content.decode()
    assert section.startswith('<section class="section card minutes" id="minutes-section"')
    assert "We agreed." in section and "Printable minutes" in section
    assert (await sync_to_async(client.get)(f"/meetings/{live_meeting.pk}/region/agenda")).status_code == 404
    await watcher.disconnect()


async def test_a_chat_message_of_2000_chinese_characters_is_taken_as_the_box_says(live_meeting, resident):
    """The limit is in characters, as the box's counter says, not in bytes: Chinese takes three bytes a character."""
    mei, _ = await enter(live_meeting, resident)
    body = "居民议事" * 500  # 2,000 characters, 6,000 bytes, 12,000 when written as \\uXXXX
    await mei.send_to(text_data=json.dumps({"type": "chat.send", "body": body}))  # ensure_ascii: the worst case
    frame = await next_of(mei, "chat.message")
    assert frame["author_id"] == resident.pk
    assert await sync_to_async(RoomEvent.objects.filter(kind="chat.message", body=body).count)() == 1
    await mei.send_to(text_data=json.dumps({"type": "chat.send", "body": body + "多"}, ensure_ascii=False))
    error = await next_of(mei, "error")
    assert "2000" in error["message"] or "2,000" in error["message"]
    await mei.disconnect()


async def test_the_chair_mutes_a_participant_the_room_is_told_and_lifts_it(live_meeting, resident, chair):
    chen, _ = await enter(live_meeting, chair)
    mei, _ = await enter(live_meeting, resident)
    await sync_to_async(services.raise_hand)(resident, meeting_id=live_meeting.pk)
    assert (await next_of(mei, "queue"))["change"] == "raised"
    await chen.send_json_to({"type": "participant.mute", "user_id": resident.pk})
    assert (await next_of(mei, "queue"))["change"] == "removed"  # her raised hand is taken down
    notice = await next_of(mei, "participant.muted")
    assert "muted" in html(notice) and "chat-notice" in html(notice)
    await next_of(chen, "queue")
    await next_of(chen, "queue")
    assert "Let them speak again" in html(await next_of(chen, "participant.muted"))
    assert not await sync_to_async(SpeakerRequest.objects.filter(user=resident, status="waiting").exists)()
    await mei.send_json_to({"type": "chat.send", "body": "Let me finish!"})
    assert "muted you" in (await next_of(mei, "error"))["message"]
    await mei.send_json_to({"type": "hand.raise"})
    assert "muted you" in (await next_of(mei, "error"))["message"]
    await mei.send_json_to({"type": "participant.mute", "user_id": chair.pk})  # not hers to do
    assert (await next_of(mei, "error"))["type"] == "error"
    await chen.send_json_to({"type": "participant.unmute", "user_id": resident.pk})
    assert "again" in html(await next_of(mei, "participant.unmuted"))
    await mei.send_json_to({"type": "chat.send", "body": "Thank you."})
    assert (await next_of(mei, "chat.message"))["author_id"] == resident.pk
    for socket in (chen, mei):
        await socket.disconnect()


async def test_a_flood_is_refused_in_plain_words(live_meeting, resident):
    mei, _ = await enter(live_meeting, resident)
    for i in range(6):
        await mei.send_json_to({"type": "chat.send", "body": f"m{i}"})
    messages = []
    for _ in range(12):
        frame = await mei.receive_json_from(timeout=2)
        if frame["type"] == "error":
            messages.append(frame["message"])
            break
    assert messages and "very fast" in messages[0] and "wait a moment" in messages[0]
    await mei.disconnect()
