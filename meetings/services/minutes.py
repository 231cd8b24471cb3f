"""Minutes and decisions: the secretary's draft, each item's outcome, adjourning, approval."""


from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

import audit
from community.models import User
from core.text import clean_text, max_length
from ledger.models import Decision
from ledger.services import record_decision
from meetings import permissions
from meetings.models import (
    AgendaItem,
    Meeting,
    Minutes,
    MinutesRevision,
)

from meetings.services.agenda import trace_on_issue
from meetings.services.base import Status, lock_meeting, record, require_live


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
    if item.issue_id:
        trace_on_issue(item, actor, stage="outcome")
    return item


@transaction.atomic
def adjourn_meeting(actor: User, *, meeting_id: int) -> Meeting:
    """Close the room. The minutes show its record (attendance, outcomes, decisions) under the secretary's text."""
    meeting = lock_meeting(meeting_id)
    permissions.require(permissions.runs(actor, meeting), _("Only the chair adjourns the meeting."))
    require_live(meeting)
    now = timezone.now()
    meeting.speakers.filter(status__in=["waiting", "speaking"]).update(status="done", ended_at=now)
    meeting.status, meeting.adjourned_at = Status.ADJOURNED, now
    meeting.save(update_fields=["status", "adjourned_at"])
    audit.record(actor, "meeting.adjourned", community=meeting.community_id, target=meeting)
    record(meeting, "meeting.status", actor, status=meeting.status)
    return meeting


def minutes_record(meeting: Meeting) -> str:
    """The record the minutes carry under the secretary's text, as Markdown in the reader's language.

    Written from the meeting's data each time it is read (never stored as text): who chaired and
    took the minutes, who attended, each agenda item's outcome, the decisions one per line with their
    tasks, and what the later apps add (``YISHI_MINUTES_SECTIONS``: the votes). A constant number
    of queries whatever the meeting's size.
    """
    lines = [_("Chair: %(chair)s · Secretary: %(secretary)s") % {
        "chair": meeting.chair.public_name if meeting.chair_id else "—",
        "secretary": meeting.secretary.public_name if meeting.secretary_id else "—"}, ""]
    attendances = list(meeting.attendances.select_related("user", "organisation").order_by("checked_in_at", "pk"))
    lines += ["### " + _("Attendance"), ""]
    for attendance in attendances:
        who = attendance.user.public_name or _("A resident")
        lines.append(f"- {who}" + (f" ({attendance.organisation})" if attendance.organisation else ""))
    lines += ["", _("%(present)s present; quorum %(quorum)s.") % {"present": len(attendances),
                                                                   "quorum": meeting.quorum}, ""]
    items = list(meeting.agenda_items.filter(status=AgendaItem.Status.ACCEPTED).select_related("decision")
                 .prefetch_related("decision__tasks__owner_user", "decision__tasks__owner_organisation")
                 .order_by("position", "pk"))
    lines += ["### " + _("Agenda and outcomes"), ""]
    for n, item in enumerate(items, start=1):
        outcome = AgendaItem.Outcome(item.outcome).label if item.outcome else _("Not discussed")
        lines.append(f"{n}. {item.title} — {outcome}")
    decided = [item for item in items if item.decision_id]
    if decided:
        lines += ["", "### " + _("Decisions"), ""]
        for item in decided:
            lines.append(f"- {item.outcome_text or item.decision.title}")
            for task in item.decision.tasks.all():
                lines.append("  - " + _("Task: %(task)s — %(owner)s, due %(due)s") % {
                    "task": task.title, "owner": task.owner, "due": date_format(task.due_date, "DATE_FORMAT")})
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
