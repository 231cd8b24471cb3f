"""An issue put on a meeting's agenda shows it on its timeline, its reporter and followers are told, and it later
shows what the meeting decided; a closed meeting is not named."""

from django.utils.html import escape

from meetings import services
from tests.meetings.conftest import schedule


def test_an_issue_on_the_agenda_tells_its_people_and_later_shows_the_outcome(client, chair, community, issue,
                                                                           resident):
    meeting = schedule(chair, community)
    services.add_agenda_item(chair, meeting_id=meeting.pk, title="The dark stairwell", issue_id=issue.pk)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "put the issue on the agenda of the meeting of" in page and meeting.get_absolute_url() in page
    told = issue.reporter.notifications.order_by("-pk").first()
    assert "is on the agenda of a meeting" in told.message and told.url == issue.get_absolute_url()
    services.open_meeting(chair, meeting_id=meeting.pk)
    item = meeting.agenda_items.get()
    services.record_item_outcome(chair, item_id=item.pk, outcome="decided", text="New lamps by Friday.")
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "discussed this issue" in page and "New lamps by Friday." in page
    assert "decided" in issue.reporter.notifications.order_by("-pk").first().message.lower()


def test_a_closed_meeting_leaves_a_trace_without_its_name(client, chair, community, issue):
    meeting = schedule(chair, community, is_public=False)
    services.add_agenda_item(chair, meeting_id=meeting.pk, title="Secret plans", issue_id=issue.pk)
    services.open_meeting(chair, meeting_id=meeting.pk)
    services.record_item_outcome(chair, item_id=meeting.agenda_items.get().pk, outcome="decided", text="Hush hush")
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "a closed meeting" in page and escape(meeting.title) not in page and "Hush hush" not in page
    assert meeting.get_absolute_url() not in page
