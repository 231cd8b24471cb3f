"""The meetings' part of deleting an account (plugged in through ``YISHI_ACCOUNT_DELETION_HOOKS``).

Kept: attendance (quorum figures and minutes stay true), invitations, hand raises that are over,
chat messages (their author is shown as "Former member"). Changed: names written into the room's
event log and into the minutes are replaced by the neutral label; a hand still raised is lowered;
open sockets' presence rows go.
"""

import re

from django.db.models import Q
from django.utils.translation import gettext as _

from community.models import User
from core import fragments
from meetings import services
from meetings.models import Meeting, Minutes, MinutesRevision, Presence, RoomEvent, SpeakerRequest

OPEN = [Meeting.Status.SCHEDULED, Meeting.Status.LIVE]


def deletion_blockers(user: User) -> list[str]:
    """A chair or secretary of a meeting that is not over must hand the role over first."""
    meetings = Meeting.objects.filter(Q(chair=user) | Q(secretary=user), status__in=OPEN).order_by("starts_at")
    return [
        _("You are the chair or the secretary of “%(title)s”, which is not over. Ask the committee to give the "
          "role to someone else, or wait until the meeting has ended, then delete your account.")
        % {"title": meeting.title}
        for meeting in meetings
    ]


def forget_person(user: User, label: str) -> None:
    """Lower a raised hand, drop presence, and replace the person's name where the room and minutes wrote it."""
    Presence.objects.filter(user=user).delete()
    for request in SpeakerRequest.objects.filter(user=user, status=SpeakerRequest.Status.WAITING):
        meeting = services.lock_meeting(request.meeting_id)
        SpeakerRequest.objects.filter(pk=request.pk).update(status=SpeakerRequest.Status.WITHDRAWN)
        services.record(meeting, "queue", None, change="lowered", **services.queue_state(meeting))
    involved = Meeting.objects.filter(
        Q(attendances__user=user) | Q(speakers__user=user) | Q(chair=user) | Q(secretary=user)
        | Q(events__author=user) | Q(invitations__user=user) | Q(agenda_items__decision__tasks__owner_user=user)
    ).values("pk").distinct()
    for event in RoomEvent.objects.filter(meeting__in=involved).exclude(data={}).iterator():
        data = _renamed(event.data, user.pk, label)
        if data != event.data:
            RoomEvent.objects.filter(pk=event.pk).update(data=data)
    if user.display_name:
        _rename_in_minutes(involved, user.display_name, label)
    for meeting_id in involved.values_list("pk", flat=True):  # rows changed by update(): no post_save to bump them
        fragments.bump_on_commit("meeting", meeting_id)


def _renamed(value, user_id: int, label: str):
    """The JSON with every ``{"user_id": <the person>, "name": ...}`` given the label instead."""
    if isinstance(value, list):
        return [_renamed(item, user_id, label) for item in value]
    if isinstance(value, dict):
        renamed = {key: _renamed(item, user_id, label) for key, item in value.items()}
        if renamed.get("user_id") == user_id and "name" in renamed:
            renamed["name"] = label
        return renamed
    return value


def _rename_in_minutes(meetings, name: str, label: str) -> None:
    """The lines the minutes draft wrote about the person — their attendance line ("- Name" or "- Name
    (Organisation)") and the tasks they own ("   - Task: … — Name, 2026-05-01") — get the label instead.
    Nothing else is touched: the secretary's own prose may name someone else of the same name."""
    name = re.escape(name)
    patterns = [re.compile(rf"^(- ){name}(?= \(|$)", re.M),
                re.compile(rf"^(   - [^\n]*? — ){name}(?=, \d{{4}}-\d{{2}}-\d{{2}}$)", re.M)]
    for model, query in ((Minutes, Q(meeting__in=meetings)), (MinutesRevision, Q(minutes__meeting__in=meetings))):
        for pk, body in model.objects.filter(query).values_list("pk", "body"):
            new_body = body
            for pattern in patterns:
                new_body = pattern.sub(lambda m: m.group(1) + label, new_body)
            if new_body != body:
                model.objects.filter(pk=pk).update(body=new_body)
