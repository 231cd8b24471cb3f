"""Where the ballot box is, who may see and run a poll, the lock every change of a poll takes, its counting rules
and how its changes are announced."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from community import permissions as community_permissions
from community.models import Membership, User
from meetings import permissions as meeting_permissions
from meetings import services as meeting_services
from meetings.models import Meeting
from polls import box
from polls.models import Poll
from polls.realtime import publish_status_on_commit
from polls.verify import canonical

Status, Method, Audience = Poll.Status, Poll.Method, Poll.Audience


def box_path() -> Path:
    """Where secret polls' ballot box lives: ``YISHI_BALLOT_BOX``, else beside the SQLite database (``<name>-ballots``)
    or, on PostgreSQL, ``<var>/<database>-ballots.sqlite3`` — so every process serving the same database (the
    web processes, the worker) finds the same box."""
    configured = getattr(settings, "YISHI_BALLOT_BOX", "")
    if configured:
        return Path(configured)
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        return Path(f"{name}-ballots")
    return Path(settings.VAR_DIR) / f"{Path(name).name or 'yishi'}-ballots.sqlite3"


def ballot_box() -> box.Box:
    return box.Box(box_path())


def slot_size(method: str, option_ids: list[int]) -> int:
    """The longest ballot this poll can get, as canonical JSON bytes: every ballot slot has this size."""
    if method == Method.YES_NO:
        return len(canonical("abstain"))
    if method == Method.SINGLE:
        return max(len(canonical(o)) for o in option_ids)
    if method == Method.SCORE:
        return len(canonical({str(o): 5 for o in option_ids}))
    return len(canonical(sorted(option_ids)))


def lock_poll(poll_id: int, *, related: bool = True) -> Poll:
    polls = Poll.objects.select_for_update(of=("self",))
    poll = (polls.select_related("community", "grid", "meeting") if related else polls).filter(pk=poll_id).first()
    if poll is None:
        raise ValidationError(_("There is no poll #%(id)s.") % {"id": poll_id})
    return poll


def eligible_users(poll: Poll) -> QuerySet[User]:
    """The verified members of the poll's audience."""
    people = User.objects.filter(is_active=True)
    if poll.audience == Audience.COMMUNITY:
        people = people.filter(memberships__community=poll.community, memberships__role=Membership.Role.RESIDENT)
    elif poll.audience == Audience.GRID:
        people = people.filter(memberships__grid=poll.grid, memberships__role=Membership.Role.RESIDENT)
    elif poll.audience == Audience.COMMITTEE:
        people = people.filter(memberships__community=poll.community, memberships__role=Membership.Role.COMMITTEE)
    else:
        people = people.filter(attendances__meeting=poll.meeting)
    return people.distinct()


def can_manage(user, poll_or_community, meeting: Meeting | None = None) -> bool:
    """The committee sets polls up; a meeting's chair does so inside the meeting while it is live."""
    community = getattr(poll_or_community, "community", poll_or_community)
    if community_permissions.is_committee(user, community):
        return True
    return meeting is not None and meeting.status == Meeting.Status.LIVE and meeting_permissions.is_chair(user, meeting)


def can_view(user, poll: Poll) -> bool:
    """Drafts for those who manage them; a closed meeting's polls for its invitees; the rest for everyone."""
    if poll.status == Status.DRAFT and not can_manage(user, poll, poll.meeting):
        return False
    if poll.meeting_id and not poll.meeting.is_public and not can_manage(user, poll, poll.meeting):
        return meeting_permissions.is_invited(user, poll.meeting)
    return True


def announce(poll: Poll, actor) -> None:
    """Poll pages hear it; a meeting's room gets it in its log (persisted, with its id)."""
    publish_status_on_commit(poll)
    if poll.meeting_id:
        meeting_services.record(poll.meeting, "poll.status", actor, poll_id=poll.pk, title=poll.title,
                                status=poll.status)


def rules_of(poll: Poll, options=None) -> dict:
    """The rules fixed when the poll opened, as the recount file writes them (docs/voting.md)."""
    options = list(options if options is not None else poll.options.all())
    return {
        "method": poll.method,
        "options": [{"id": o.pk, "text": o.text} for o in options],
        "tiebreak": list(poll.tiebreak) if poll.tiebreak else [o.pk for o in options],
        "min_choices": poll.min_choices,
        "max_choices": poll.max_choices,
        "quorum": {"kind": poll.quorum_kind, "value": poll.quorum_value},
        "majority": {"threshold": poll.threshold, "base": poll.threshold_base},
        "eligible": poll.eligible_count,
        "secret": poll.secret,
    }
