"""Calendar files read back by a calendar library: stable ids, UTC times, text intact, closed meetings out."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from meetings import services
from meetings.models import Meeting
from tests.conftest import CANARY
from tests.meetings.conftest import schedule

SHANGHAI = ZoneInfo("Asia/Shanghai")


def events(client, url) -> list:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["PRODID"]) == "-//Yishi//Meetings//EN"
    return calendar.events


def test_a_meetings_file_reads_back_with_every_field(client, meeting):
    (event,) = events(client, f"/meetings/{meeting.pk}.ics")
    assert str(event["UID"]) == f"meeting-{meeting.pk}@testserver"
    assert event.DTSTAMP == meeting.created_at.replace(microsecond=0)
    assert event.start == meeting.starts_at.replace(microsecond=0) and event["DTSTART"].to_ical().endswith(b"Z")
    assert event.end == event.start + timedelta(hours=2)  # no end given: two hours
    assert str(event["SUMMARY"]) == f"Joint meeting {CANARY}" and str(event["LOCATION"]) == "Community hall"
    assert str(event["URL"]) == f"http://testserver/meetings/{meeting.pk}/"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_the_uid_and_stamp_stay_the_same_from_one_download_to_the_next(client, meeting):
    first = events(client, f"/meetings/{meeting.pk}.ics")[0]
    again = events(client, f"/meetings/{meeting.pk}.ics")[0]
    (in_feed,) = events(client, f"/c/{meeting.community.slug}/meetings.ics")
    assert first["UID"] == again["UID"] == in_feed["UID"]
    assert first.DTSTAMP == again.DTSTAMP == in_feed.DTSTAMP


def test_local_times_are_written_in_utc(client, chair, community):
    meeting = services.schedule_meeting(
        chair, community_id=community.pk, kind="joint", title="Evening session",
        starts_at=datetime(2031, 3, 4, 19, 30, tzinfo=SHANGHAI), ends_at=datetime(2031, 3, 4, 21, 0, tzinfo=SHANGHAI),
        chair_id=chair.pk, secretary_id=chair.pk, place="Hall", audience="invited", grid_id=None, quorum=0,
        is_public=True, invite_user_ids=[], invite_organisation_ids=[],
    )
    response = client.get(f"/meetings/{meeting.pk}.ics").content.decode()
    assert "DTSTART:20310304T113000Z\r\n" in response and "DTEND:20310304T130000Z\r\n" in response


def test_commas_semicolons_backslashes_and_line_breaks_are_escaped_and_come_back_intact(client, chair, community):
    title = r"Roads, lights; and C:\drains"
    place = "Block 3, room 2;\nside door"
    meeting = services.schedule_meeting(
        chair, community_id=community.pk, kind="joint", title=title, starts_at=datetime(2031, 1, 1, 2, tzinfo=UTC),
        chair_id=chair.pk, secretary_id=chair.pk, place=place, audience="invited", grid_id=None, quorum=0,
        is_public=True, invite_user_ids=[], invite_organisation_ids=[],
    )
    raw = client.get(f"/meetings/{meeting.pk}.ics").content.decode()
    assert r"SUMMARY:Roads\, lights\; and C:\\drains" in raw and r"LOCATION:Block 3\, room 2\;\nside door" in raw
    (event,) = events(client, f"/meetings/{meeting.pk}.ics")
    assert str(event["SUMMARY"]) == title and str(event["LOCATION"]) == place


def test_long_chinese_titles_are_folded_within_75_octets_and_unfolded_whole(client, chair, community):
    title = "关于小区电梯加装与停车位重新规划的居民联席会议" * 3
    meeting = schedule(chair, community)
    Meeting.objects.filter(pk=meeting.pk).update(title=title)
    raw = client.get(f"/meetings/{meeting.pk}.ics").content
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    (event,) = events(client, f"/meetings/{meeting.pk}.ics")
    assert str(event["SUMMARY"]) == title


def test_an_online_meeting_without_a_place_says_online_in_the_readers_language(client, chair, community):
    meeting = services.schedule_meeting(
        chair, community_id=community.pk, kind="joint", title="Online only", starts_at=datetime(2031, 1, 1, tzinfo=UTC),
        chair_id=chair.pk, secretary_id=chair.pk, place="", online=True, audience="invited", grid_id=None,
        quorum=0, is_public=True, invite_user_ids=[], invite_organisation_ids=[],
    )
    assert str(events(client, f"/meetings/{meeting.pk}.ics")[0]["LOCATION"]) == "Online"
    chinese = Calendar.from_ical(client.get(f"/meetings/{meeting.pk}.ics", HTTP_ACCEPT_LANGUAGE="zh-hans").content)
    assert str(chinese.events[0]["LOCATION"]) == "线上"


def test_the_community_feed_holds_public_meetings_only_and_marks_cancelled_ones(client, chair, community, meeting):
    closed = schedule(chair, community, is_public=False)
    cancelled = schedule(chair, community)
    Meeting.objects.filter(pk=cancelled.pk).update(status=Meeting.Status.CANCELLED)  # no service cancels yet
    feed = {str(e["UID"]): e for e in events(client, f"/c/{community.slug}/meetings.ics")}
    assert set(feed) == {f"meeting-{meeting.pk}@testserver", f"meeting-{cancelled.pk}@testserver"}
    assert f"meeting-{closed.pk}@testserver" not in feed
    assert str(feed[f"meeting-{cancelled.pk}@testserver"]["STATUS"]) == "CANCELLED"
