"""Opening the meeting, attendance and the live room: chat and the speaker queue."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

import audit
from community.models import Membership, User
from core.text import clean_text, max_length
from meetings import permissions
from meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    Mute,
    RoomEvent,
    SpeakerRequest,
)

from meetings.services.base import CHAT_PER_SECOND, SPEAKING_SECONDS, Status, lock_meeting, record, require_live


@transaction.atomic
def open_meeting(actor: User, *, meeting_id: int) -> Meeting:
    meeting = lock_meeting(meeting_id)
    permissions.require(permissions.runs(actor, meeting), _("Only the chair opens the meeting."))
    if meeting.status != Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled meeting can be opened."))
    now = timezone.now()
    if now < meeting.opens_from:
        raise ValidationError(_("The meeting can be opened from %(time)s, an hour before it starts.") % {
            "time": date_format(timezone.localtime(meeting.opens_from), "DATETIME_FORMAT")})
    if now > meeting.expected_end:
        raise ValidationError(_("This meeting's time has passed: correct its time to hold it later, or cancel it."))
    meeting.status, meeting.started_at = Status.LIVE, now
    first = meeting.agenda_items.filter(status=AgendaItem.Status.ACCEPTED).first()
    meeting.current_item = first
    meeting.save(update_fields=["status", "started_at", "current_item"])
    audit.record(actor, "meeting.opened", community=meeting.community_id, target=meeting)
    record(meeting, "meeting.status", actor, status=meeting.status)
    if first:
        record(meeting, "agenda.current", actor, item_id=first.pk, title=first.title)
    return meeting


@transaction.atomic
def check_in(actor: User, *, meeting_id: int, user_id: int | None = None) -> Attendance:
    """Check in yourself (in the room), or someone at the door (the secretary or the chair)."""
    meeting = lock_meeting(meeting_id)
    if meeting.status != Status.LIVE:
        raise ValidationError(_("Check-in opens with the meeting and closes when it adjourns."))
    person = actor
    if user_id and user_id != actor.pk:
        permissions.require(permissions.writes_minutes(actor, meeting) or permissions.runs(actor, meeting),
                            _("Only the secretary and the chair check others in."))
        person = User.objects.filter(pk=user_id, is_active=True, memberships__community=meeting.community).first()
        if person is None:
            raise ValidationError(_("Check in a person of this community."))
    permissions.require(permissions.can_take_part(person, meeting), _("Only those invited can check in."))
    organisation = next((m.organisation for m in person.memberships.select_related("organisation")
                         if m.role == Membership.Role.ORG_REP and m.community_id == meeting.community_id), None)
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(meeting=meeting, user=person, organisation=organisation,
                                                   checked_in_by=actor)
    except IntegrityError:
        raise ValidationError(_("%(name)s is already checked in.") % {"name": person.public_name}) from None
    if person.pk != actor.pk:
        audit.record(actor, "meeting.checked_in", community=meeting.community_id, target=meeting,
                     person=person.public_name)
    present = meeting.attendances.count()
    record(meeting, "attendance", actor, user_id=person.pk, name=person.public_name, present=present,
           quorum=meeting.quorum, quorum_met=present >= meeting.quorum)
    return attendance


def _chat_rate_ok(meeting: Meeting, actor: User) -> bool:
    recent = RoomEvent.objects.filter(meeting=meeting, author=actor, kind="chat.message",
                                      created_at__gte=timezone.now() - timedelta(seconds=1))
    return recent.count() < CHAT_PER_SECOND


@transaction.atomic
def post_message(actor: User, *, meeting_id: int, body: str) -> RoomEvent:
    """Say something in the room's chat: saved, then shown to everyone in order."""
    meeting = lock_meeting(meeting_id)
    require_live(meeting)
    permissions.require(permissions.can_take_part(actor, meeting), _("Only those taking part can write here."))
    body = clean_text(body, field=_("The message"), limit=max_length(RoomEvent, "body"))
    _require_not_muted(meeting, actor)
    if not _chat_rate_ok(meeting, actor):
        raise ValidationError(_("You are sending messages very fast — wait a moment, then send again."))
    return record(meeting, "chat.message", actor, body)


def _require_not_muted(meeting: Meeting, actor: User) -> None:
    if Mute.objects.filter(meeting=meeting, user=actor).exists():
        raise ValidationError(_("The chair has muted you for this meeting: you can follow it, but not write or "
                                "ask for the floor."))


@transaction.atomic
def mute_participant(actor: User, *, meeting_id: int, user_id: int) -> Mute:
    """The chair keeps order: a participant can no longer write or ask for the floor in this meeting; the room
    is told. Their raised hand is taken down."""
    meeting = lock_meeting(meeting_id)
    require_live(meeting)
    permissions.require(permissions.runs(actor, meeting), _("Only the chair keeps order in the room."))
    person = User.objects.filter(pk=user_id).first()
    if person is None or permissions.runs(person, meeting):
        raise ValidationError(_("Choose a participant to mute (not the chair or the committee)."))
    mute, created = Mute.objects.get_or_create(meeting=meeting, user=person, defaults={"muted_by": actor})
    if created:
        waiting = SpeakerRequest.objects.filter(meeting=meeting, user=person, status=SpeakerRequest.Status.WAITING)
        if waiting.update(status=SpeakerRequest.Status.REMOVED, ended_at=timezone.now()):
            _queue_changed(meeting, actor, "removed")
        audit.record(actor, "meeting.muted", community=meeting.community_id, target=meeting,
                     person=person.public_name)
        record(meeting, "participant.muted", actor, user_id=person.pk, name=person.public_name)
    return mute


@transaction.atomic
def unmute_participant(actor: User, *, meeting_id: int, user_id: int) -> None:
    meeting = lock_meeting(meeting_id)
    permissions.require(permissions.runs(actor, meeting), _("Only the chair keeps order in the room."))
    mute = Mute.objects.select_related("user").filter(meeting=meeting, user_id=user_id).first()
    if mute is None:
        raise ValidationError(_("This person is not muted."))
    mute.delete()
    audit.record(actor, "meeting.unmuted", community=meeting.community_id, target=meeting,
                 person=mute.user.public_name)
    record(meeting, "participant.unmuted", actor, user_id=mute.user_id, name=mute.user.public_name)


@transaction.atomic
def hide_message(actor: User, *, meeting_id: int, message_id: int) -> RoomEvent:
    meeting = lock_meeting(meeting_id)
    permissions.require(permissions.runs(actor, meeting), _("Only the chair hides messages."))
    message = RoomEvent.objects.filter(pk=message_id, meeting=meeting, kind="chat.message").first()
    if message is None:
        raise ValidationError(_("There is no such message in this room."))
    message.hidden = True
    message.save(update_fields=["hidden"])
    audit.record(actor, "meeting.message_hidden", community=meeting.community_id, target=meeting, message_id=message.pk)
    return record(meeting, "chat.hidden", actor, message_id=message.pk)


# The speaker queue ---------------------------------------------------------------------------


def queue_state(meeting: Meeting) -> dict:
    rows = list(meeting.speakers.filter(status__in=["waiting", "speaking"]).select_related("user")
                .order_by("requested_at", "pk"))
    speaking = next((r for r in rows if r.status == "speaking"), None)
    return {
        "speaker": {"request_id": speaking.pk, "user_id": speaking.user_id, "name": speaking.user.public_name,
                    "seconds": speaking.seconds,
                    "ends_at": (speaking.started_at + timedelta(seconds=speaking.seconds)).isoformat()}
        if speaking else None,
        "waiting": [{"request_id": r.pk, "user_id": r.user_id, "name": r.user.public_name}
                    for r in rows if r.status == "waiting"],
    }


def _queue_changed(meeting: Meeting, actor: User, what: str) -> RoomEvent:
    return record(meeting, "queue", actor, change=what, **queue_state(meeting))


@transaction.atomic
def raise_hand(actor: User, *, meeting_id: int) -> SpeakerRequest:
    meeting = lock_meeting(meeting_id)
    require_live(meeting)
    permissions.require(permissions.can_take_part(actor, meeting), _("Only those taking part can ask to speak."))
    _require_not_muted(meeting, actor)
    try:
        with transaction.atomic():
            request = SpeakerRequest.objects.create(meeting=meeting, user=actor, agenda_item=meeting.current_item)
    except IntegrityError:
        raise ValidationError(_("Your hand is already raised.")) from None
    _queue_changed(meeting, actor, "raised")
    return request


@transaction.atomic
def lower_hand(actor: User, *, meeting_id: int) -> None:
    """Leave the queue — or, with the floor, say "I'm done": the speech ends and the chair calls the next."""
    meeting = lock_meeting(meeting_id)
    now = timezone.now()
    if meeting.speakers.filter(user=actor, status="waiting").update(status="withdrawn", ended_at=now):
        _queue_changed(meeting, actor, "lowered")
    elif meeting.speakers.filter(user=actor, status="speaking").update(status="done", ended_at=now):
        _queue_changed(meeting, actor, "finished")
    else:
        raise ValidationError(_("Your hand is not raised."))


@transaction.atomic
def call_next_speaker(actor: User, *, meeting_id: int, seconds: int = SPEAKING_SECONDS) -> SpeakerRequest | None:
    """End the current speech and give the floor to the next in the queue.

    Locks the meeting row, so two presses of "next" at once move the queue by one each, in turn.
    """
    meeting = lock_meeting(meeting_id)
    require_live(meeting)
    permissions.require(permissions.runs(actor, meeting), _("Only the chair gives the floor."))
    if not isinstance(seconds, int) or not 10 <= seconds <= 1800:
        raise ValidationError(_("Speaking time is between 10 seconds and 30 minutes."))
    now = timezone.now()
    meeting.speakers.filter(status="speaking").update(status="done", ended_at=now)
    following = meeting.speakers.filter(status="waiting").order_by("requested_at", "pk").first()
    if following:
        following.status, following.started_at, following.seconds = "speaking", now, seconds
        following.save(update_fields=["status", "started_at", "seconds"])
    _queue_changed(meeting, actor, "next")
    return following


@transaction.atomic
def remove_speaker(actor: User, *, meeting_id: int, request_id: int) -> None:
    meeting = lock_meeting(meeting_id)
    permissions.require(permissions.runs(actor, meeting), _("Only the chair removes someone from the queue."))
    updated = meeting.speakers.filter(pk=request_id, status__in=["waiting", "speaking"]).update(
        status="removed", ended_at=timezone.now())
    if not updated:
        raise ValidationError(_("That person is not in the queue."))
    removed = SpeakerRequest.objects.select_related("user").get(pk=request_id).user
    audit.record(actor, "meeting.speaker_removed", community=meeting.community_id, target=meeting,
                 person=removed.public_name)
    _queue_changed(meeting, actor, "removed")
