"""Meetings corrected before they open: edited, postponed, cancelled (with calendars following), agenda items
reworded or removed until taken, opened only near their start, and gone from "Coming up" once past."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from meetings.models import Meeting
from tests.conftest import make_user
from tests.meetings.conftest import schedule


def fields(meeting, **changes) -> dict:
    invitations = list(meeting.invitations.all())
    return {
        "kind": meeting.kind, "title": meeting.title, "description": meeting.description,
        "starts_at": meeting.starts_at, "ends_at": meeting.ends_at, "place": meeting.place,
        "online": meeting.online, "chair_id": meeting.chair_id, "secretary_id": meeting.secretary_id,
        "audience": meeting.audience, "grid_id": meeting.grid_id, "quorum": meeting.quorum,
        "is_public": meeting.is_public, "invite_user_ids": [i.user_id for i in invitations if i.user_id],
        "invite_organisation_ids": [i.organisation_id for i in invitations if i.organisation_id], **changes,
    }


def event(client, meeting):
    response = client.get(f"/meetings/{meeting.pk}.ics")
    return Calendar.from_ical(response.content).walk("VEVENT")[0]


def test_a_postponement_is_a_new_calendar_revision_and_everyone_invited_is_told(client, meeting, chair, resident,
                                                                               org_rep, moderator):
    before = event(client, meeting)
    assert before["SEQUENCE"] == 0
    later = meeting.starts_at + timedelta(days=7)
    services.edit_meeting(chair, meeting_id=meeting.pk, reason="The hall is being painted.",
                          **fields(meeting, starts_at=later, place="Library, room 2"))
    meeting.refresh_from_db()
    after = event(client, meeting)
    assert after["SEQUENCE"] == 1 and after["UID"] == before["UID"] and after["DTSTAMP"].dt >= before["DTSTAMP"].dt
    assert after["DTSTART"].dt == later.replace(microsecond=0) and str(after["LOCATION"]) == "Library, room 2"
    for person in (resident, org_rep, moderator):  # invited, the organisation's representative, the secretary
        told = person.notifications.filter(url=meeting.get_absolute_url()).order_by("-pk").first()
        assert told is not None and "The hall is being painted." in told.message
    assert "The hall is being painted." in client.get(meeting.get_absolute_url()).content.decode()


def test_correcting_invitees_keeps_the_answers_of_those_kept_and_invites_the_new(meeting, chair, resident,
                                                                               community, grid):
    services.respond_to_invitation(resident, meeting_id=meeting.pk, response="yes")
    newcomer = make_user("new@test.org", "New")
    from community.models import Membership
    Membership.objects.create(user=newcomer, community=community, role="resident", grid=grid)
    services.edit_meeting(chair, meeting_id=meeting.pk, **fields(
        meeting, quorum=5, invite_user_ids=[resident.pk, newcomer.pk], invite_organisation_ids=[]))
    meeting.refresh_from_db()
    assert meeting.quorum == 5 and meeting.sequence == 0  # neither time nor place changed
    assert meeting.invitations.get(user=resident).response == "yes"
    assert meeting.invitations.filter(user=newcomer).exists() and not meeting.invitations.filter(
        organisation__isnull=False).exists()
    assert newcomer.notifications.filter(url=meeting.get_absolute_url()).exists()


def test_only_the_chair_or_committee_correct_and_only_before_it_opens(meeting, chair, resident):
    with pytest.raises(PermissionDenied):
        services.edit_meeting(resident, meeting_id=meeting.pk, **fields(meeting, title="Mine"))
    with pytest.raises(ValidationError, match="end after it starts"):
        services.edit_meeting(chair, meeting_id=meeting.pk, **fields(
            meeting, ends_at=meeting.starts_at - timedelta(hours=1)))
    services.open_meeting(chair, meeting_id=meeting.pk)
    with pytest.raises(ValidationError, match="has not opened"):
        services.edit_meeting(chair, meeting_id=meeting.pk, **fields(meeting, title="Too late"))
    with pytest.raises(ValidationError, match="has not opened"):
        services.cancel_meeting(chair, meeting_id=meeting.pk, reason="Too late")


def test_a_cancellation_needs_a_reason_tells_everyone_and_calendars_mark_it_cancelled(client, meeting, chair,
                                                                                    resident):
    client.force_login(chair)
    page = client.get(f"/meetings/{meeting.pk}/cancel").content.decode()  # the page says what will happen
    assert "cannot be undone" in page and Meeting.objects.get(pk=meeting.pk).status == "scheduled"
    assert client.post(f"/meetings/{meeting.pk}/cancel", {"reason": ""}).status_code == 200  # a reason is asked
    assert Meeting.objects.get(pk=meeting.pk).status == "scheduled"
    assert client.post(f"/meetings/{meeting.pk}/cancel", {"reason": "The police cannot come."}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "cancelled" and meeting.sequence == 1
    cancelled = event(client, meeting)
    assert str(cancelled["STATUS"]) == "CANCELLED" and cancelled["SEQUENCE"] == 1
    assert "The police cannot come." in resident.notifications.order_by("-pk").first().message
    calendar = Calendar.from_ical(client.get(f"/c/{meeting.community.slug}/meetings.ics").content)
    assert [str(e["STATUS"]) for e in calendar.walk("VEVENT")] == ["CANCELLED"]  # subscribers see it go
    assert "This meeting is cancelled: The police cannot come." in client.get(meeting.get_absolute_url()).content.decode()


def test_agenda_items_are_corrected_or_removed_until_the_meeting_reaches_them(meeting, chair):
    parking, hall = meeting.agenda_items.order_by("position")
    services.edit_agenda_item(chair, item_id=hall.pk, title="Hall renovation budget", minutes_allotted=45)
    services.remove_agenda_item(chair, item_id=parking.pk)
    assert list(meeting.agenda_items.values_list("title", "position", "minutes_allotted")) == [
        ("Hall renovation budget", 1, 45)]
    services.add_agenda_item(chair, meeting_id=meeting.pk, title="Bins")
    services.open_meeting(chair, meeting_id=meeting.pk)  # the first item is now current: taken
    with pytest.raises(ValidationError, match="taken already"):
        services.remove_agenda_item(chair, item_id=hall.pk)
    bins = meeting.agenda_items.get(title="Bins")
    services.edit_agenda_item(chair, item_id=bins.pk, title="Bins at weekends")  # not reached yet


def test_a_meeting_opens_only_near_its_start_and_leaves_coming_up_once_past(client, chair, community):
    far = schedule(chair, community)
    Meeting.objects.filter(pk=far.pk).update(starts_at=timezone.now() + timedelta(days=3))
    with pytest.raises(ValidationError, match="an hour before it starts"):
        services.open_meeting(chair, meeting_id=far.pk)
    client.force_login(chair)
    page = client.get(far.get_absolute_url()).content.decode()
    assert "You can open the meeting from" in page and "Open the meeting</button>" not in page
    missed = schedule(chair, community)
    Meeting.objects.filter(pk=missed.pk).update(starts_at=timezone.now() - timedelta(hours=6), ends_at=None)
    with pytest.raises(ValidationError, match="time has passed"):
        services.open_meeting(chair, meeting_id=missed.pk)
    listing = client.get("/meetings/").content.decode()
    coming, never = listing.split("Coming up")[1].split("Never opened")
    assert f'href="{far.get_absolute_url()}"' in coming and f'href="{missed.get_absolute_url()}"' not in coming
    assert f'href="{missed.get_absolute_url()}"' in never


def test_opening_and_adjourning_ask_first_on_a_page_that_says_what_happens(client, meeting, chair, resident):
    client.force_login(chair)
    page = client.get(f"/meetings/{meeting.pk}/open").content.decode()
    assert "Open the meeting now?" in page and 'name="confirmed" value="1"' in page
    assert client.post(f"/meetings/{meeting.pk}/open").status_code == 200  # not confirmed: asked again
    assert Meeting.objects.get(pk=meeting.pk).status == "scheduled"
    assert client.post(f"/meetings/{meeting.pk}/open", {"confirmed": "1"}).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).status == "live"
    assert "An adjourned meeting cannot be reopened." in client.get(f"/meetings/{meeting.pk}/adjourn").content.decode()
    client.force_login(resident)
    assert client.get(f"/meetings/{meeting.pk}/adjourn").status_code == 403
    assert client.get(f"/meetings/{meeting.pk}/hand").status_code == 405  # everyday acts only by their forms
