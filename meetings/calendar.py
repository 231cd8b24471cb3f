"""Calendar files (RFC 5545) of meetings, written by the icalendar library.

icalendar escapes text (backslashes, commas, semicolons, line breaks), folds long lines and
ends them with CRLF, so nothing here builds the format by hand. Times are given in UTC.
"""

from collections.abc import Iterable
from datetime import UTC, timedelta

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from meetings.models import Meeting

PRODID = "-//Yishi//Meetings//EN"
DEFAULT_LENGTH = timedelta(hours=2)  # a meeting without an end shows as two hours long


def meeting_event(request: HttpRequest, meeting: Meeting) -> Event:
    """One meeting as a VEVENT. Its UID stays the same for as long as the meeting exists; each correction of its
    time or place, and its cancellation, raises SEQUENCE and DTSTAMP, so calendars replace the old event."""
    ends = meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH
    return Event.new(
        uid=f"meeting-{meeting.pk}@{request.get_host().split(':')[0]}",
        sequence=meeting.sequence,
        stamp=(meeting.revised_at or meeting.created_at).astimezone(UTC),
        start=meeting.starts_at.astimezone(UTC),
        end=ends.astimezone(UTC),
        summary=meeting.title,
        location=meeting.place or _("Online"),
        url=request.build_absolute_uri(meeting.get_absolute_url()),
        status="CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED",
    )


def calendar_response(request: HttpRequest, meetings: Iterable[Meeting], filename: str) -> HttpResponse:
    """A text/calendar download holding one VEVENT per meeting."""
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    for meeting in meetings:
        calendar.add_component(meeting_event(request, meeting))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
