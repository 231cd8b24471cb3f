"""Setting a poll up: a draft, its corrections, opening it (the roll fixed, the tie-break order drawn, the ballot
box made), and the polls a meeting or a consultation puts to the vote."""

import secrets
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

import audit
from community import permissions as community_permissions
from community.models import Community, Grid, User
from consult import permissions as consult_permissions
from consult.models import Consultation
from core.text import clean_text, max_length
from meetings.models import AgendaItem, Meeting
from polls.models import Option, Poll, Voter
from polls.services.base import announce, ballot_box, can_manage, eligible_users, lock_poll, rules_of, slot_size
from polls.services.owners import make_roll
from polls.verify import rules_digest

Status, Method, Audience = Poll.Status, Poll.Method, Poll.Audience
_random = secrets.SystemRandom()


@transaction.atomic
def create_poll(
    actor: User, *, community_id: int, title: str, options: list[str], method: str = Method.YES_NO,
    body: str = "", min_choices: int = 1, max_choices: int = 1, audience: str = Audience.COMMUNITY,
    grid_id=None, meeting_id=None, agenda_item_id=None, consultation_id=None, opens_at=None, closes_at=None,
    secret: bool = True, quorum_kind: str = "none", quorum_value: int = 0, threshold: str = "simple",
    threshold_base: str = "cast", live_results: bool = False, proposal_ids: list[int] | None = None,
) -> Poll:
    """Set a poll up as a draft. Its rules are fixed once it opens."""
    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        raise ValidationError(_("There is no such community."))
    meeting = Meeting.objects.filter(pk=meeting_id, community=community).first() if meeting_id else None
    if meeting_id and meeting is None:
        raise ValidationError(_("Choose a meeting of this community."))
    community_permissions.require(can_manage(actor, community, meeting),
                                _("The committee sets polls up, or the chair inside a meeting."))
    if method not in Method.values:
        raise ValidationError(_("Choose a voting method."))
    if audience not in Audience.values:
        raise ValidationError(_("Choose who votes."))
    grid = None
    if audience == Audience.GRID:
        grid = Grid.objects.filter(pk=grid_id, community=community).first()
        if grid is None:
            raise ValidationError(_("Choose the grid whose residents vote."))
    if audience == Audience.ATTENDEES and meeting is None:
        raise ValidationError(_("A poll of the attendees belongs to a meeting."))
    limit = max_length(Option, "text")
    texts = [clean_text(t, field=_("An option"), limit=limit) for t in options if (t or "").strip()]
    if method == Method.YES_NO:
        texts = []
    elif len(texts) < 2:
        raise ValidationError(_("Give at least two options."))
    if len(set(texts)) != len(texts):
        raise ValidationError(_("Each option only once."))
    if method == Method.MULTIPLE and not 1 <= min_choices <= max_choices <= len(texts):
        raise ValidationError(_("For multiple choice: at least 1, and at most the number of options."))
    if method != Method.MULTIPLE:
        min_choices = max_choices = 1
    if method in (Method.MULTIPLE, Method.SCORE) and (threshold != "simple" or threshold_base != "cast"):
        raise ValidationError(_("A majority applies to yes / no, single and ranked polls only; "
                                "for multiple choice and scores the top option is the outcome."))
    for moment in (opens_at, closes_at):
        if moment is not None and not isinstance(moment, datetime):
            raise ValidationError(_("Give dates with a time."))
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationError(_("A poll closes after it opens."))
    if closes_at and closes_at <= timezone.now():
        raise ValidationError(_("The closing time has passed already."))
    if quorum_kind not in Poll.Quorum.values or not isinstance(quorum_value, int) or not 0 <= quorum_value <= 1_000_000 or (
            quorum_kind == "share" and quorum_value > 100):
        raise ValidationError(_("The quorum is a number of voters or a percentage from 0 to 100."))
    if threshold not in Poll.Threshold.values or threshold_base not in Poll.Base.values:
        raise ValidationError(_("Choose the majority needed."))
    item = AgendaItem.objects.filter(pk=agenda_item_id, meeting=meeting).first() if agenda_item_id else None
    consultation = Consultation.objects.filter(pk=consultation_id, community=community).first() \
        if consultation_id else None
    poll = Poll.objects.create(
        community=community,
        title=clean_text(title, field=pgettext("a poll", "The question"), limit=max_length(Poll, "title")),
        body=clean_text(body, field=_("The explanation"), required=False, limit=max_length(Poll, "body")),
        method=method,
        min_choices=min_choices, max_choices=max_choices, audience=audience, grid=grid, meeting=meeting,
        agenda_item=item, consultation=consultation, opens_at=opens_at, closes_at=closes_at, secret=secret,
        quorum_kind=quorum_kind, quorum_value=quorum_value, threshold=threshold, threshold_base=threshold_base,
        live_results=live_results and not secret, created_by=actor,
    )
    audit.record(actor, "poll.created", community=community, target=poll)
    proposals = list(proposal_ids or [])
    Option.objects.bulk_create([
        Option(poll=poll, position=n, text=text, proposal_id=proposals[n] if n < len(proposals) else None)
        for n, text in enumerate(texts)
    ])
    return poll


@transaction.atomic
def edit_draft(actor: User, *, poll_id: int, title: str, body: str, options: dict[int, str], remove: set[int],
               new_options: list[str]) -> Poll:
    """Before a poll opens, those who set it up correct its question and options: reword an option (it keeps its
    proposal), leave one off the ballot, add others. ``options`` maps each kept option's id to its text."""
    poll = lock_poll(poll_id)
    community_permissions.require(can_manage(actor, poll, poll.meeting), _("Only those who set the poll up edit it."))
    if poll.status != Status.DRAFT:
        raise ValidationError(_("Only a draft poll can be edited: once it opens, its question and options are fixed."))
    limit = max_length(Option, "text")
    current = list(poll.options.all())
    kept = [o for o in current if o.pk not in remove]
    for option in kept:
        option.text = clean_text(options.get(option.pk, option.text), field=_("An option"), limit=limit)
    added = [clean_text(t, field=_("An option"), limit=limit) for t in new_options if (t or "").strip()]
    texts = [o.text for o in kept] + added
    if poll.method != Method.YES_NO and len(texts) < 2:
        raise ValidationError(_("Give at least two options."))
    if len(set(texts)) != len(texts):
        raise ValidationError(_("Each option only once."))
    poll.title = clean_text(title, field=pgettext("a poll", "The question"), limit=max_length(Poll, "title"))
    poll.body = clean_text(body, field=_("The explanation"), required=False, limit=max_length(Poll, "body"))
    if poll.method == Method.MULTIPLE:
        poll.max_choices = min(poll.max_choices, len(texts))
        poll.min_choices = min(poll.min_choices, poll.max_choices)
    poll.save(update_fields=["title", "body", "min_choices", "max_choices"])
    Option.objects.filter(poll=poll, pk__in=remove).delete()
    for position, option in enumerate(kept):
        option.position = position
    Option.objects.bulk_update(kept, ["text", "position"])
    Option.objects.bulk_create([Option(poll=poll, position=len(kept) + n, text=t) for n, t in enumerate(added)])
    audit.record(actor, "poll.edited", community=poll.community_id, target=poll,
                 removed=[o.text for o in current if o.pk in remove], added=added)
    return poll


@transaction.atomic
def open_poll(actor: User, *, poll_id: int) -> Poll:
    poll = lock_poll(poll_id)
    community_permissions.require(can_manage(actor, poll, poll.meeting), _("Only those who set the poll up open it."))
    if poll.status != Status.DRAFT:
        raise ValidationError(_("Only a draft poll can be opened."))
    # The roll is fixed now: who joins the audience (or the register of owners) later does not vote in it.
    roll = []
    if poll.kind == Poll.Kind.OWNERS:
        eligible = make_roll(poll)  # parties of owners, not accounts: no voter rows, no ballot box
    else:
        roll = list(eligible_users(poll).values_list("pk", flat=True))
        Voter.objects.bulk_create([Voter(poll=poll, user_id=pk) for pk in roll])
        eligible = len(roll)
    poll.status, poll.opened_at, poll.eligible_count = Status.OPEN, timezone.now(), eligible
    # The tie-break order, drawn now from the system's secure source: nobody chose it (docs/voting.md).
    options = list(poll.options.all())
    poll.tiebreak = [o.pk for o in options]
    _random.shuffle(poll.tiebreak)
    poll.rules_digest = rules_digest(rules_of(poll, options))
    if poll.secret and poll.kind != Poll.Kind.OWNERS:  # the ballot box: every slot made now, so a vote only fills one in place (polls/box.py)
        poll.box_key = secrets.token_hex(16)
        ballot_box().create(poll.box_key, roll, slot_size(poll.method, poll.tiebreak),
                            poll.closes_at.timestamp() if poll.closes_at else None)
    poll.save(update_fields=["status", "opened_at", "eligible_count", "tiebreak", "rules_digest", "box_key"])
    audit.record(actor, "poll.opened", community=poll.community_id, target=poll, eligible=eligible)
    announce(poll, actor)
    if poll.closes_at:
        transaction.on_commit(lambda: _close_on_time(poll.pk, poll.closes_at), robust=True)
    return poll


def _close_on_time(poll_id: int, closes_at: datetime) -> None:
    """Have the worker close and count the poll at its closing time (the minutely sweep is the safety net)."""
    from polls.tasks import close_due_polls  # the task module imports this one

    close_due_polls.using(run_after=closes_at).enqueue(poll_id=poll_id)


@transaction.atomic
def put_question_to_meeting(
    actor: User, *, meeting_id: int, title: str, method: str, options: list[str], secret: bool,
    agenda_item_id: int | None = None,
) -> Poll:
    """The chair of a live meeting puts a question to the attendees checked in, and the vote opens at once."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        raise ValidationError(_("Choose a meeting of this community."))
    options = [o for o in options if o.strip()]
    poll = create_poll(
        actor, community_id=meeting.community_id, meeting_id=meeting.pk, audience=Audience.ATTENDEES, title=title,
        method=method, options=options, secret=secret, agenda_item_id=agenda_item_id,
        min_choices=1, max_choices=max(1, len(options)),
    )
    return open_poll(actor, poll_id=poll.pk)


@transaction.atomic
def put_proposals_to_vote(actor: User, *, consultation_id: int, method: str = Method.RANKED) -> Poll:
    """A consultation's voting phase: its shortlisted proposals (or, without a threshold, those accepted
    for the vote) become the options of a secret poll of the consultation's residents, as a draft the committee
    checks and opens. A proposal answered "not feasible", "already planned" or "merged" is never on it."""
    from consult.services.proposals import shortlisted

    consultation = Consultation.objects.select_related("community", "grid").filter(pk=consultation_id).first()
    if consultation is None:
        raise ValidationError(_("There is no such consultation."))
    community_permissions.require(consult_permissions.can_manage_consultations(actor, consultation.community))
    if consultation.phase != Consultation.Phase.VOTING:
        raise ValidationError(_("Proposals go to the vote in the voting phase."))
    if method not in (Method.RANKED, Method.SINGLE, Method.MULTIPLE):
        raise ValidationError(_("Choose ranked, single or multiple choice."))
    proposals = list(shortlisted(consultation)) or list(
        consultation.proposals.filter(answer="accepted", withdrawn_at=None, moderation="visible"))
    if len(proposals) < 2:
        raise ValidationError(_("At least two shortlisted or accepted proposals are needed for a vote."))
    poll = create_poll(
        actor, community_id=consultation.community_id, consultation_id=consultation.pk, method=method,
        title=consultation.title, body="",
        options=[p.title for p in proposals], proposal_ids=[p.pk for p in proposals],
        audience=Audience.GRID if consultation.grid_id else Audience.COMMUNITY, grid_id=consultation.grid_id,
        min_choices=1, max_choices=len(proposals), secret=True,
    )
    return poll  # a draft: the committee checks the ballot, then opens it
