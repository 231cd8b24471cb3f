"""The agenda: items added, suggested by residents and decided, moved, made current."""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import audit
from community.models import User
from consult.models import Consultation, Proposal
from core.text import clean_text, max_length
from issues.models import Issue, IssueEvent
from issues.services import timeline as issue_timeline
from issues.services.timeline import lock_issue
from meetings import permissions
from meetings.models import (
    AgendaItem,
)
from notifications.services import notify

from meetings.services.base import Status, lock_meeting, record, require_live


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
    if item.issue_id:
        trace_on_issue(item, actor, stage="agenda")
    return item


def trace_on_issue(item: AgendaItem, actor: User, *, stage: str) -> None:
    """An issue on a meeting's agenda shows it on its timeline, and its reporter and followers are told: when it
    goes on the agenda, and what the meeting decided. A closed meeting is named only once its minutes are public."""
    meeting, issue = item.meeting, lock_issue(item.issue_id)
    named = meeting.is_public
    data = {"stage": stage, "when": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")}
    if named:
        data.update(meeting=meeting.pk, meeting_title=meeting.title)
    if stage == "outcome":
        data["outcome"] = item.outcome
    issue_timeline.record(issue, IssueEvent.Kind.MEETING, actor, item.outcome_text if stage == "outcome" and named
                          else "", **data)
    issue.save(update_fields=["updated_at"])
    if stage == "agenda":
        issue_timeline.tell_followers(
            issue, actor, gettext_lazy("“%(title)s” is on the agenda of a meeting on %(when)s: %(meeting)s"),
            meeting=meeting.title if named else gettext_lazy("a closed meeting"), when=meeting.starts_at)
    else:
        issue_timeline.tell_followers(
            issue, actor, gettext_lazy("The meeting on %(when)s discussed “%(title)s”: %(outcome)s"),
            when=meeting.starts_at, outcome=AgendaItem.Outcome(item.outcome).label)


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
    record(meeting, "agenda.suggested", actor)  # the committee's list of suggestions, live
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
    record(meeting, "agenda.suggested", actor)
    return item


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
    require_live(meeting)
    permissions.require(permissions.runs(actor, meeting), _("Only the chair moves through the agenda."))
    item = meeting.agenda_items.filter(pk=item_id, status=AgendaItem.Status.ACCEPTED).first()
    if item is None:
        raise ValidationError(_("Choose an item of this meeting's agenda."))
    meeting.current_item = item
    meeting.save(update_fields=["current_item"])
    record(meeting, "agenda.current", actor, item_id=item.pk, title=item.title)
    return item


def _untaken_item(actor: User, item_id) -> tuple[AgendaItem, object]:
    """An accepted item the meeting has not reached: not current, no outcome, the meeting not over."""
    item = AgendaItem.objects.filter(pk=item_id, status=AgendaItem.Status.ACCEPTED).first()
    if item is None:
        raise ValidationError(_("There is no such agenda item."))
    meeting = lock_meeting(item.meeting_id)
    permissions.require(permissions.runs(actor, meeting), _("Only the chair and the committee set the agenda."))
    if meeting.status in (Status.ADJOURNED, Status.CANCELLED):
        raise ValidationError(_("This meeting is over."))
    if item.outcome or (meeting.status == Status.LIVE and meeting.current_item_id == item.pk):
        raise ValidationError(_("This item has been taken already: it can no longer be changed or removed."))
    return item, meeting


@transaction.atomic
def edit_agenda_item(actor: User, *, item_id: int, title: str, description: str = "",
                     minutes_allotted: int = 10) -> AgendaItem:
    """Correct an item before the meeting reaches it."""
    item, meeting = _untaken_item(actor, item_id)
    if not isinstance(minutes_allotted, int) or not 1 <= minutes_allotted <= 480:
        raise ValidationError(_("Give the item between 1 and 480 minutes."))
    item.title = clean_text(title, field=_("The title"), limit=max_length(AgendaItem, "title"))
    item.description = clean_text(description, field=_("The description"), required=False,
                                  limit=max_length(AgendaItem, "description"))
    item.minutes_allotted = minutes_allotted
    item.save(update_fields=["title", "description", "minutes_allotted"])
    record(meeting, "agenda.changed", actor)
    return item


@transaction.atomic
def remove_agenda_item(actor: User, *, item_id: int) -> None:
    """Take an item off the agenda before the meeting reaches it; the rest keep their order."""
    item, meeting = _untaken_item(actor, item_id)
    audit.record(actor, "agenda.removed", community=meeting.community_id, target=meeting, item=item.title)
    item.delete()
    for position, row in enumerate(meeting.agenda_items.filter(status=AgendaItem.Status.ACCEPTED)
                                   .order_by("position", "pk"), start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])
    record(meeting, "agenda.changed", actor)
