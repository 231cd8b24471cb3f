"""Every state change of a meeting: scheduling, the agenda, attendance, the live room, decisions, minutes.

Each function takes the acting user first, runs in one transaction, locks what it changes, checks
permission, validates with a message a person understands, writes, and publishes its room frame
only after the commit (persist, then broadcast).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import audit
from community import selectors as community_selectors
from community.models import Community, Grid, Membership, Organisation, User
from consult.models import Consultation, Proposal
from core.text import clean_text, max_length
from issues.models import Issue
from ledger.models import Decision
from ledger.services import record_decision
from meetings import permissions
from meetings.models import (
    AgendaItem,
    Attendance,
    Invitation,
    Meeting,
    Minutes,
    MinutesRevision,
    RoomEvent,
    SpeakerRequest,
)
from meetings.realtime import publish_on_commit
from notifications.services import notify

Status = Meeting.Status
CHAT_PER_SECOND = 5
SPEAKING_SECONDS = 120


def lock_meeting(meeting_id: int) -> Meeting:
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("community", "chair", "secretary")
        .filter(pk=meeting_id).first()
    )
    if meeting is None:
        raise ValidationError(_("There is no meeting #%(id)s.") % {"id": meeting_id})
    return meeting


def record(meeting: Meeting, kind: str, actor: User | None = None, body: str = "", **data) -> RoomEvent:
    """Write the room's next event and broadcast it once committed."""
    event = RoomEvent.objects.create(meeting=meeting, kind=kind, author=actor, body=body, data=data)
    publish_on_commit(event)
    return event


def _require_live(meeting: Meeting) -> None:
    if meeting.status != Status.LIVE:
        raise ValidationError(_("The meeting is not live."))


# Scheduling ------------------------------------------------------------------------------


@transaction.atomic
def schedule_meeting(
    actor: User, *, community_id: int, kind: str, title: str, starts_at, chair_id: int, secretary_id: int,
    description: str = "", ends_at=None, place: str = "", online: bool = True, audience: str = "invited",
    grid_id=None, quorum: int = 0, is_public: bool = True, invite_user_ids=(), invite_organisation_ids=(),
) -> Meeting:
    """The committee schedules a meeting and invites people, organisations, a grid or the community."""
    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        raise ValidationError(_("There is no such community."))
    permissions.require(permissions.can_schedule(actor, community), _("Only the committee schedules meetings."))
    if kind not in Meeting.Kind.values:
        raise ValidationError(_("Choose the kind of meeting."))
    if not isinstance(starts_at, datetime):
        raise ValidationError(_("Give the date and time the meeting starts."))
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError(_("The meeting must end after it starts."))
    if not place.strip() and not online:
        raise ValidationError(_("Give a place, or hold the meeting online, or both."))
    if audience not in Meeting.Audience.values:
        raise ValidationError(_("Choose who is invited."))
    grid = None
    if audience == Meeting.Audience.GRID:
        grid = Grid.objects.filter(pk=grid_id, community=community).first()
        if grid is None:
            raise ValidationError(_("Choose the grid whose residents are invited."))
    if not isinstance(quorum, int) or quorum < 0:
        raise ValidationError(_("The quorum is a whole number of people, 0 for none."))
    people = {u.pk: u for u in User.objects.filter(pk__in={chair_id, secretary_id, *invite_user_ids},
                                                   memberships__community=community, is_active=True).distinct()}
    if chair_id not in people or secretary_id not in people:
        raise ValidationError(_("The chair and the secretary must be people of this community."))
    organisations = list(Organisation.objects.filter(pk__in=invite_organisation_ids, community=community))
    if not set(invite_user_ids) <= people.keys() or len(organisations) != len(set(invite_organisation_ids)):
        raise ValidationError(_("Invite people and organisations of this community only."))
    meeting = Meeting.objects.create(
        community=community, kind=kind,
        title=clean_text(title, field=_("The title"), limit=max_length(Meeting, "title")),
        description=clean_text(description, field=_("The description"), required=False,
                               limit=max_length(Meeting, "description")),
        starts_at=starts_at, ends_at=ends_at,
        place=clean_text(place, field=_("The place"), required=False, limit=max_length(Meeting, "place")),
        online=online, chair=people[chair_id], secretary=people[secretary_id], audience=audience, grid=grid,
        quorum=quorum, is_public=is_public, created_by=actor,
    )
    Invitation.objects.bulk_create(
        [Invitation(meeting=meeting, user_id=pk) for pk in set(invite_user_ids)]
        + [Invitation(meeting=meeting, organisation=o) for o in organisations]
    )
    Minutes.objects.create(meeting=meeting)
    audit.record(actor, "meeting.scheduled", community=community, target=meeting)
    invitees = [people[pk] for pk in set(invite_user_ids)] + list(
        community_selectors.holders(Membership.Role.ORG_REP, organisations=organisations)
    )
    params = {"title": meeting.title, "when": timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M")}
    notify(invitees, message=gettext_lazy("You are invited: “%(title)s”, %(when)s"), params=params,
           url=meeting.get_absolute_url(), exclude=actor)
    if audience != Meeting.Audience.INVITED:  # residents of the grid or community: told in the site, not by mail
        residents = community_selectors.holders(Membership.Role.RESIDENT, community=community, grid=grid).filter(is_active=True)
        notify(residents, message=gettext_lazy("You are invited: “%(title)s”, %(when)s"), params=params,
               url=meeting.get_absolute_url(), exclude=actor, email=False)
    return meeting


@transaction.atomic
def respond_to_invitation(actor: User, *, meeting_id: int, response: str) -> Invitation:
    """Yes, no or maybe: for a personal invitation, or as a representative of an invited organisation."""
    meeting = lock_meeting(meeting_id)
    if meeting.status not in (Status.SCHEDULED, Status.LIVE):
        raise ValidationError(_("This meeting is over."))
    if response not in (Invitation.Response.YES, Invitation.Response.NO, Invitation.Response.MAYBE):
        raise ValidationError(_("Answer yes, no or maybe."))
    permissions.require(permissions.is_invited(actor, meeting), _("You are not invited to this meeting."))
    invitation, _created = Invitation.objects.get_or_create(meeting=meeting, user=actor)
    invitation.response, invitation.responded_at = response, timezone.now()
    invitation.save(update_fields=["response", "responded_at"])
    return invitation


# The agenda -------------------------------------------------------------------------------


@transaction.atomic
def add_agenda_item(
    actor: User, *, meeting_id: int, title: str, description: str = "", minutes_allotted: int = 10,
    issue_id=None, consultation_id=None, proposal_id=None,
) -> AgendaItem:
    """The committee puts an item on the agenda, linked to an issue, a consultation or a proposal."""
    meeting = lock_meeting(meeting_id)
    permissions.require(permissions.runs(actor, meeting), _("Only the chair and the committee set the agenda."))
    if meeting.status in (Status.ADJOURNED, Status.CANCELLED):
        raise ValidationError(_("This meeting is over."))
    links = _links(meeting, issue_id=issue_id, consultation_id=consultation_id, proposal_id=proposal_id)
    if not isinstance(minutes_allotted, int) or not 1 <= minutes_allotted <= 480:
        raise ValidationError(_("Give the item between 1 and 480 minutes."))
    position = (meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting, position=position,
        title=clean_text(title, field=_("The title"), limit=max_length(AgendaItem, "title")),
        description=clean_text(description, field=_("The description"), required=False,
                               limit=max_length(AgendaItem, "description")),
        minutes_allotted=minutes_allotted, **links,
    )
    record(meeting, "agenda.changed", actor)
    return item


def _links(meeting, *, issue_id, consultation_id, proposal_id) -> dict:
    links = {}
    if issue_id:
        links["issue"] = Issue.objects.filter(pk=issue_id, community=meeting.community).first()
        if links["issue"] is None:
            raise ValidationError(_("Link an issue of this community."))
    if consultation_id:
        links["consultation"] = Consultation.objects.filter(pk=consultation_id, community=meeting.community).exclude(
            phase="draft").first()
        if links["consultation"] is None:
            raise ValidationError(_("Link a public consultation of this community."))
    if proposal_id:
        links["proposal"] = Proposal.objects.filter(pk=proposal_id, consultation__community=meeting.community).exclude(
            consultation__phase="draft").first()
        if links["proposal"] is None:
            raise ValidationError(_("Link a proposal of this community."))
    return links


@transaction.atomic
def suggest_agenda_item(actor: User, *, meeting_id: int, title: str, description: str = "") -> AgendaItem:
    """A resident suggests an item before the meeting; the committee accepts or declines it."""
    meeting = lock_meeting(meeting_id)
    permissions.require(permissions.can_suggest_item(actor, meeting),
                        _("Those taking part can suggest items before the meeting starts."))
    item = AgendaItem.objects.create(
        meeting=meeting, position=0,
        title=clean_text(title, field=_("The title"), limit=max_length(AgendaItem, "title")),
        description=clean_text(description, field=_("The description"), required=False,
                               limit=max_length(AgendaItem, "description")),
        status=AgendaItem.Status.SUGGESTED, suggested_by=actor,
    )
    notify([meeting.chair, meeting.secretary], message=gettext_lazy("An agenda item was suggested for “%(title)s”"),
           params={"title": meeting.title}, url=meeting.get_absolute_url(), exclude=actor, email=False)
    return item


@transaction.atomic
def decide_suggestion(actor: User, *, item_id: int, accept: bool, reason: str = "") -> AgendaItem:
    item = AgendaItem.objects.select_related("meeting").filter(pk=item_id).first()
    if item is None:
        raise ValidationError(_("There is no such agenda item."))
    meeting = lock_meeting(item.meeting_id)
    permissions.require(permissions.runs(actor, meeting))
    if item.status != AgendaItem.Status.SUGGESTED:
        raise ValidationError(_("This suggestion was already decided."))
    if accept:
        item.status = AgendaItem.Status.ACCEPTED
        item.position = (meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1
    else:
        item.status = AgendaItem.Status.DECLINED
        item.decline_reason = clean_text(reason, field=_("The reason"), limit=max_length(AgendaItem, "decline_reason"))
    item.save(update_fields=["status", "position", "decline_reason"])
    audit.record(actor, "agenda.accepted" if accept else "agenda.declined", community=meeting.community_id,
                 target=meeting, item=item.title, reason=item.decline_reason)
    if item.suggested_by_id:
        notify([item.suggested_by],
               message=gettext_lazy("Your agenda suggestion “%(title)s” was accepted.") if accept
               else gettext_lazy("Your agenda suggestion “%(title)s” was declined: %(reason)s"),
               params={"title": item.title, "reason": item.decline_reason}, url=meeting.get_absolute_url())
    record(meeting, "agenda.changed", actor)
    return item


# Opening, attendance, the room ------------------------------------------------------------


@transaction.atomic
def open_meeting(actor: User, *, meeting_id: int) -> Meeting:
    meeting = lock_meeting(meeting_id)
    permissions.require(permissions.runs(actor, meeting), _("Only the chair opens the meeting."))
    if meeting.status != Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled meeting can be opened."))
    meeting.status, meeting.started_at = Status.LIVE, timezone.now()
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
    _require_live(meeting)
    permissions.require(permissions.can_take_part(actor, meeting), _("Only those taking part can write here."))
    body = clean_text(body, field=_("The message"), limit=max_length(RoomEvent, "body"))
    if not _chat_rate_ok(meeting, actor):
        raise ValidationError(_("Slow down: at most 5 messages a second."))
    return record(meeting, "chat.message", actor, body)


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
    _require_live(meeting)
    permissions.require(permissions.can_take_part(actor, meeting), _("Only those taking part can ask to speak."))
    try:
        with transaction.atomic():
            request = SpeakerRequest.objects.create(meeting=meeting, user=actor, agenda_item=meeting.current_item)
    except IntegrityError:
        raise ValidationError(_("Your hand is already raised.")) from None
    _queue_changed(meeting, actor, "raised")
    return request


@transaction.atomic
def lower_hand(actor: User, *, meeting_id: int) -> None:
    meeting = lock_meeting(meeting_id)
    updated = meeting.speakers.filter(user=actor, status="waiting").update(status="withdrawn", ended_at=timezone.now())
    if not updated:
        raise ValidationError(_("Your hand is not raised."))
    _queue_changed(meeting, actor, "lowered")


@transaction.atomic
def call_next_speaker(actor: User, *, meeting_id: int, seconds: int = SPEAKING_SECONDS) -> SpeakerRequest | None:
    """End the current speech and give the floor to the next in the queue.

    Locks the meeting row, so two presses of "next" at once move the queue by one each, in turn.
    """
    meeting = lock_meeting(meeting_id)
    _require_live(meeting)
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


@transaction.atomic
def move_agenda_item(actor: User, *, item_id: int, up: bool) -> AgendaItem:
    """Move an item one place up or down the agenda."""
    item = AgendaItem.objects.filter(pk=item_id, status=AgendaItem.Status.ACCEPTED).first()
    if item is None:
        raise ValidationError(_("There is no such agenda item."))
    meeting = lock_meeting(item.meeting_id)
    permissions.require(permissions.runs(actor, meeting), _("Only the chair and the committee set the agenda."))
    items = list(meeting.agenda_items.filter(status=AgendaItem.Status.ACCEPTED).order_by("position", "pk"))
    index = next(i for i, row in enumerate(items) if row.pk == item.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        for position, row in enumerate(items, start=1):
            if row.position != position:
                row.position = position
                row.save(update_fields=["position"])
        record(meeting, "agenda.changed", actor)
    return item


@transaction.atomic
def set_current_item(actor: User, *, meeting_id: int, item_id: int) -> AgendaItem:
    """The chair moves through the agenda; everyone sees the current item."""
    meeting = lock_meeting(meeting_id)
    _require_live(meeting)
    permissions.require(permissions.runs(actor, meeting), _("Only the chair moves through the agenda."))
    item = meeting.agenda_items.filter(pk=item_id, status=AgendaItem.Status.ACCEPTED).first()
    if item is None:
        raise ValidationError(_("Choose an item of this meeting's agenda."))
    meeting.current_item = item
    meeting.save(update_fields=["current_item"])
    record(meeting, "agenda.current", actor, item_id=item.pk, title=item.title)
    return item


# Minutes and decisions ----------------------------------------------------------------------


@transaction.atomic
def update_minutes(actor: User, *, meeting_id: int, body: str, base_version: int) -> Minutes:
    """The secretary saves the minutes; every save is a revision, and attendees see it at once.

    ``base_version`` is the version the writer started from: if someone saved in between, the save
    is refused with a message, so nobody overwrites another's words unseen.
    """
    meeting = lock_meeting(meeting_id)
    permissions.require(permissions.writes_minutes(actor, meeting), _("Only the secretary and the chair write the minutes."))
    minutes = Minutes.objects.select_for_update().get(meeting=meeting)
    if minutes.status == Minutes.Status.PUBLISHED:
        raise ValidationError(_("The minutes are approved and published; they no longer change."))
    if base_version != minutes.version:
        raise ValidationError(_("Someone saved the minutes in the meantime. Copy your text, reload and try again."))
    minutes.body = clean_text(body, field=_("The minutes"), required=False, limit=max_length(Minutes, "body"))
    minutes.version += 1
    minutes.save(update_fields=["body", "version"])
    MinutesRevision.objects.create(minutes=minutes, version=minutes.version, body=minutes.body, saved_by=actor)
    record(meeting, "minutes.updated", actor, version=minutes.version)
    return minutes


@transaction.atomic
def record_item_outcome(
    actor: User, *, item_id: int, outcome: str, text: str = "", tasks: list[dict] | None = None
) -> AgendaItem:
    """Per agenda item: decided (a decision with tasks, into the ledger), deferred, or no decision."""
    item = AgendaItem.objects.filter(pk=item_id).first()
    if item is None:
        raise ValidationError(_("There is no such agenda item."))
    meeting = lock_meeting(item.meeting_id)
    permissions.require(permissions.runs(actor, meeting) or permissions.writes_minutes(actor, meeting),
                        _("Only the chair and the secretary record outcomes."))
    if meeting.status not in (Status.LIVE, Status.ADJOURNED):
        raise ValidationError(_("Outcomes are recorded during or after the meeting."))
    if outcome not in (AgendaItem.Outcome.DECIDED, AgendaItem.Outcome.DEFERRED, AgendaItem.Outcome.NO_DECISION):
        raise ValidationError(_("Choose decided, deferred or no decision."))
    if item.status != AgendaItem.Status.ACCEPTED:
        raise ValidationError(_("Record outcomes for items on the agenda."))
    if item.decision_id:
        raise ValidationError(_("A decision was already recorded for this item."))
    text = clean_text(text, field=_("The decision"), required=outcome == AgendaItem.Outcome.DECIDED,
                      limit=max_length(AgendaItem, "outcome_text"))
    item.outcome, item.outcome_text = outcome, text
    if outcome == AgendaItem.Outcome.DECIDED:
        decision = record_decision(
            actor, community=meeting.community, title=item.title[:max_length(Decision, "title")], body=text,
            source=Decision.Source.MEETING, issue=item.issue, consultation=item.consultation,
            is_public=meeting.is_public, tasks=tasks,
        )
        item.decision = decision
    item.save(update_fields=["outcome", "outcome_text", "decision"])
    audit.record(actor, "agenda.outcome", community=meeting.community_id, target=item.decision or meeting,
                 item=item.title, outcome=outcome)
    record(meeting, "agenda.outcome", actor, item_id=item.pk, outcome=outcome)
    return item


@transaction.atomic
def adjourn_meeting(actor: User, *, meeting_id: int) -> Meeting:
    """Close the room; the minutes draft gets attendance, agenda and decisions filled in."""
    meeting = lock_meeting(meeting_id)
    permissions.require(permissions.runs(actor, meeting), _("Only the chair adjourns the meeting."))
    _require_live(meeting)
    now = timezone.now()
    meeting.speakers.filter(status__in=["waiting", "speaking"]).update(status="done", ended_at=now)
    meeting.status, meeting.adjourned_at = Status.ADJOURNED, now
    meeting.save(update_fields=["status", "adjourned_at"])
    audit.record(actor, "meeting.adjourned", community=meeting.community_id, target=meeting)
    minutes = Minutes.objects.select_for_update().get(meeting=meeting)
    minutes.body = (minutes.body.rstrip() + "\n\n" + draft_summary(meeting)).strip()
    minutes.version += 1
    minutes.save(update_fields=["body", "version"])
    MinutesRevision.objects.create(minutes=minutes, version=minutes.version, body=minutes.body, saved_by=actor)
    record(meeting, "meeting.status", actor, status=meeting.status)
    return meeting


def draft_summary(meeting: Meeting) -> str:
    """Attendance, the agenda with outcomes, and decisions with their tasks, as Markdown."""
    lines = ["## " + _("Attendance"), ""]
    for attendance in meeting.attendances.select_related("user", "organisation").order_by("checked_in_at"):
        who = attendance.user.public_name or _("A resident")
        lines.append(f"- {who}" + (f" ({attendance.organisation})" if attendance.organisation else ""))
    present = meeting.attendances.count()
    lines += ["", _("%(present)s present; quorum %(quorum)s.") % {"present": present, "quorum": meeting.quorum}, ""]
    lines += ["## " + _("Agenda and outcomes"), ""]
    for n, item in enumerate(meeting.agenda_items.filter(status="accepted").select_related("decision"), start=1):
        outcome = item.get_outcome_display() if item.outcome else _("Not discussed")
        lines.append(f"{n}. **{item.title}** — {outcome}")
        if item.outcome_text:
            lines.append(f"   {item.outcome_text}")
        if item.decision_id:
            for task in item.decision.tasks.select_related("owner_user", "owner_organisation"):
                lines.append("   - " + _("Task") + f": {task.title} — {task.owner}, {task.due_date.isoformat()}")
    for path in settings.YISHI_MINUTES_SECTIONS:
        section = import_string(path)(meeting)
        if section:
            lines += ["", section]
    return "\n".join(lines)


@transaction.atomic
def approve_minutes(actor: User, *, meeting_id: int, at_meeting_id: int | None = None) -> Minutes:
    """The chair approves the minutes after adjournment — or a later meeting does, run by its chair.

    Approved minutes are final and, for a public meeting, public; so are the meeting's decisions.
    """
    meeting = lock_meeting(meeting_id)
    later = None
    if at_meeting_id:
        later = Meeting.objects.filter(pk=at_meeting_id, community=meeting.community, status=Status.LIVE).first()
        if later is None or later.pk == meeting.pk:
            raise ValidationError(_("Minutes are approved at a later meeting while it is live."))
        permissions.require(permissions.runs(actor, later), _("Only the chair of that meeting approves there."))
    else:
        permissions.require(permissions.is_chair(actor, meeting),
                            _("The chair approves the minutes, or a later meeting does."))
    if meeting.status != Status.ADJOURNED:
        raise ValidationError(_("Minutes are approved after the meeting adjourns."))
    minutes = Minutes.objects.select_for_update().get(meeting=meeting)
    if minutes.status == Minutes.Status.PUBLISHED:
        raise ValidationError(_("These minutes are already approved."))
    minutes.status, minutes.approved_by, minutes.approved_at = Minutes.Status.PUBLISHED, actor, timezone.now()
    minutes.approved_at_meeting = later
    minutes.save(update_fields=["status", "approved_by", "approved_at", "approved_at_meeting"])
    audit.record(actor, "minutes.approved", community=meeting.community_id, target=meeting, version=minutes.version,
                 at_meeting=later.pk if later else None)
    if later is not None:
        record(later, "agenda.changed", actor)
    # The outcomes of a closed meeting become public with its approved minutes (the public reads every outcome).
    Decision.objects.filter(pk__in=meeting.agenda_items.exclude(decision=None).values("decision")).update(
        is_public=True)
    record(meeting, "minutes.published", actor, version=minutes.version)
    return minutes
