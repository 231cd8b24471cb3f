"""A meeting's page: the latest chat messages with a way back to earlier ones, and the room rendered once per
state for anonymous readers (core/fragments.py), never shared with anyone signed in."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import services
from meetings.models import RoomEvent
from meetings.views import CHAT_SHOWN


def read(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_latest_messages_and_earlier_ones_on_asking(client, live_meeting, chair):
    first = services.post_message(chair, meeting_id=live_meeting.pk, body="Message 0")
    RoomEvent.objects.bulk_create([RoomEvent(meeting=live_meeting, kind="chat.message", author=chair,
                                             body=f"Message {n}") for n in range(1, CHAT_SHOWN + 10)])
    page = read(client, live_meeting.get_absolute_url())
    assert f"Message {CHAT_SHOWN + 9}<" in page and "Message 9<" not in page and "Message 10<" in page
    earlier = re.search(r'href="([^"]+chat-earlier\?before=\d+)"', page).group(1).replace("&amp;", "&")
    more = client.get(earlier, headers={"HX-Request": "true"}).content.decode()  # what the page's script asks
    assert "<html" not in more and "Message 0<" in more and "Message 9<" in more and "Message 10<" not in more
    assert "chat-earlier?before" not in more  # nothing before the first message
    assert f'id="msg-{first.pk}"' in more
    assert client.get(earlier.split("?")[0] + "?before=x").status_code == 404
    # Without the script, the link leads to a page of its own, with the way back to the meeting.
    page_of_its_own = read(client, earlier)
    assert "<html" in page_of_its_own and "<h1>Earlier messages</h1>" in page_of_its_own
    assert "Message 0<" in page_of_its_own and "Message 10<" not in page_of_its_own
    assert f'href="{live_meeting.get_absolute_url()}#chat-title">Back to the meeting<' in page_of_its_own


def test_an_anonymous_reader_sees_each_change_of_the_room_at_once(client, live_meeting, chair, resident):
    url = live_meeting.get_absolute_url()
    read(client, url)
    message = services.post_message(resident, meeting_id=live_meeting.pk, body="A fresh question")
    assert "A fresh question" in read(client, url)
    services.hide_message(chair, meeting_id=live_meeting.pk, message_id=message.pk)
    page = read(client, url)
    assert "A fresh question" not in page and "Hidden by the chair." in page
    services.check_in(resident, meeting_id=live_meeting.pk)
    assert 'id="present-count">1<' in read(client, url)
    RoomEvent.objects.filter(pk=message.pk).update(body="Changed behind the page's back")
    RoomEvent.objects.get(pk=message.pk).save()  # a save, as the admin's, bumps the page
    assert "Hidden by the chair." in read(client, url)


def test_signed_in_people_get_their_own_page_never_the_anonymous_one(client, live_meeting, chair, resident):
    url = live_meeting.get_absolute_url()
    services.post_message(resident, meeting_id=live_meeting.pk, body="Hello room")
    anonymous = read(client, url)
    assert "Hello room" in anonymous and 'data-room-action="chat.hide"' not in anonymous
    client.force_login(chair)
    chair_page = read(client, url)
    assert 'data-room-action="chat.hide"' in chair_page and "Adjourn the meeting" in chair_page
    client.force_login(resident)
    resident_page = read(client, url)
    assert 'data-room-action="chat.hide"' not in resident_page and "Adjourn the meeting" not in resident_page
    assert 'id="chat-form"' in resident_page
    client.logout()
    again = read(client, url)
    assert 'id="chat-form"' not in again and "Adjourn the meeting" not in again


def test_the_cached_room_costs_the_same_few_queries_whatever_the_chat(client, live_meeting, chair, resident):
    url = live_meeting.get_absolute_url()

    def warm() -> int:
        read(client, url)
        with CaptureQueriesContext(connection) as ctx:
            read(client, url)
        return len(ctx)

    services.post_message(chair, meeting_id=live_meeting.pk, body="One")
    few = warm()
    RoomEvent.objects.bulk_create([RoomEvent(meeting=live_meeting, kind="chat.message", author=resident,
                                             body=f"Many {n}") for n in range(300)])
    services.post_message(chair, meeting_id=live_meeting.pk, body="Last")
    assert warm() == few == 1  # the meeting; its latest event is kept under its version
