"""Every state change of a poll: set-up, opening, voting, closing — each checked, locked and counted once."""

import hashlib
import secrets
from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

import audit
from community import permissions as community_permissions
from community.models import Community, Grid, Membership, User
from consult import permissions as consult_permissions
from consult.models import Consultation
from core import limits
from core.i18n import freeze
from core.text import clean_text, max_length
from ledger.models import Decision
from ledger.services import record_decision
from meetings import permissions as meeting_permissions
from meetings import services as meeting_services
from meetings.models import AgendaItem, Meeting
from polls.models import Ballot, OpenVote, Option, Participation, Poll, Receipt, Voter
from polls.realtime import publish_counts_on_commit, publish_status_on_commit
from polls.tally import InvalidBallot, adopted, check_ballot, quorum_met, tally

Status, Method, Audience = Poll.Status, Poll.Method, Poll.Audience
_random = secrets.SystemRandom()


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


# Set-up --------------------------------------------------------------------------------------------


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
    # The roll is fixed now: who joins the audience later does not vote in this poll.
    roll = list(eligible_users(poll).values_list("pk", flat=True))
    Voter.objects.bulk_create([Voter(poll=poll, user_id=pk) for pk in roll])
    poll.status, poll.opened_at, poll.eligible_count = Status.OPEN, timezone.now(), len(roll)
    poll.save(update_fields=["status", "opened_at", "eligible_count"])
    audit.record(actor, "poll.opened", community=poll.community_id, target=poll, eligible=len(roll))
    _announce(poll, actor)
    if poll.closes_at:
        transaction.on_commit(lambda: _close_on_time(poll.pk, poll.closes_at), robust=True)
    return poll


def _close_on_time(poll_id: int, closes_at: datetime) -> None:
    """Have the worker close and count the poll at its closing time (the minutely sweep is the safety net)."""
    from polls.tasks import close_due_polls  # the task module imports this one

    close_due_polls.using(run_after=closes_at).enqueue(poll_id=poll_id)


def _announce(poll: Poll, actor) -> None:
    """Poll pages hear it; a meeting's room gets it in its log (persisted, with its id)."""
    publish_status_on_commit(poll)
    if poll.meeting_id:
        meeting_services.record(poll.meeting, "poll.status", actor, poll_id=poll.pk, title=poll.title,
                                status=poll.status)


# Voting -----------------------------------------------------------------------------------------------


def _receipt_code() -> str:
    return "-".join(secrets.token_hex(3).upper() for _ in range(4))


def receipt_hash(poll_id: int, code: str) -> str:
    return hashlib.sha256(f"{poll_id}:{code.strip().upper()}".encode()).hexdigest()


@transaction.atomic
def cast_ballot(actor: User, *, poll_id: int, choices) -> str | None:
    """Vote once. Returns the receipt code of a secret ballot (shown to the voter once), else None.

    A secret vote writes who voted (Participation) and what was voted (Ballot, random id, no voter,
    no time) and the receipt's hash in one transaction; nothing links them. The unique constraint on
    (poll, voter) decides concurrent submissions: exactly one counts, the others are told.
    """
    limits.hit(actor, "ballot")
    poll = lock_poll(poll_id, related=False)
    if not poll.is_open:
        raise ValidationError(_("This poll is not open for voting."))
    if not Voter.objects.filter(poll=poll, user=actor).exists():
        raise ValidationError(_("You are not among those who vote in this poll."))
    options = list(poll.options.values_list("pk", flat=True))
    try:
        clean = check_ballot(poll.method, options, choices, min_choices=poll.min_choices,
                             max_choices=poll.max_choices)
    except InvalidBallot:
        raise ValidationError(_("This ballot does not fit the poll: check your choices.")) from None
    if not poll.secret:
        OpenVote.objects.update_or_create(poll=poll, user=actor,
                                          defaults={"choices": clean, "updated_at": timezone.now()})
        transaction.on_commit(lambda: forget_live_count(poll.pk), robust=True)  # before viewers are told
        publish_counts_on_commit(poll)
        return None
    try:
        with transaction.atomic():
            Participation.objects.create(poll=poll, user=actor)
    except IntegrityError:
        raise ValidationError(_("You already voted in this poll; a secret ballot is final.")) from None
    Ballot.objects.create(poll=poll, choices=clean)
    code = _receipt_code()
    Receipt.objects.create(poll=poll, code_hash=receipt_hash(poll.pk, code))
    return code


def has_voted(user, poll: Poll) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    model = Participation if poll.secret else OpenVote
    return model.objects.filter(poll=poll, user=user).exists()


# Closing and counting ------------------------------------------------------------------------------


def ballots_of(poll: Poll) -> list:
    model = Ballot if poll.secret else OpenVote
    return list(model.objects.filter(poll=poll).values_list("choices", flat=True))


LIVE_COUNT_SECONDS = 2


def _live_key(poll_id: int) -> str:
    return f"yishi:poll-live-count:{poll_id}"


def live_count(poll: Poll) -> dict:
    """The running count of an open poll, counted once per change, not once per viewer: hundreds of
    pages refetching after each ``poll.changed`` share one count (a ballot drops the stored one)."""
    return cache.get_or_set(_live_key(poll.pk), lambda: count(poll), LIVE_COUNT_SECONDS)


def forget_live_count(poll_id: int) -> None:
    cache.delete(_live_key(poll_id))


def count(poll: Poll, *, eligible: int | None = None) -> dict:
    """The result as stored and shown: counts, winners, rounds, turnout, quorum, adoption."""
    options = list(poll.options.values_list("pk", flat=True))
    ballots = ballots_of(poll)
    result = tally(poll.method, options, ballots)
    eligible = eligible if eligible is not None else (
        poll.eligible_count if poll.eligible_count is not None else eligible_users(poll).count())
    turnout = len(ballots)
    met = quorum_met(turnout=turnout, eligible=eligible, kind=poll.quorum_kind, value=poll.quorum_value)
    return {
        "counts": {str(k): v for k, v in result.counts.items()},
        "winners": [str(w) for w in result.winners],
        "rounds": [{"counts": {str(k): v for k, v in r["counts"].items()}, "exhausted": r["exhausted"],
                    "eliminated": r["eliminated"]} for r in result.rounds],
        "ballots": turnout,
        "eligible": eligible,
        "quorum_met": met,
        "adopted": met and adopted(result, threshold=poll.threshold, base=poll.threshold_base, eligible=eligible),
    }


def counts_in_ballot_order(poll: Poll, counts: dict, options=None) -> list[tuple[str, int]]:
    """A result's counts in the order the ballot lists them: yes, no, abstain, or the options.

    A stored result comes back from PostgreSQL's jsonb with its keys in jsonb's own order.
    """
    if poll.method == Poll.Method.YES_NO:
        keys = ["yes", "no", "abstain"]
    else:
        keys = [str(o.pk) for o in (options if options is not None else poll.options.all())]
    return [(k, counts[k]) for k in keys if k in counts] + [(k, v) for k, v in counts.items() if k not in keys]


@transaction.atomic
def close_poll(actor: User | None, *, poll_id: int) -> Poll:
    """Close and count. Secret ballots are rewritten in random order; an adopted result becomes a decision."""
    poll = lock_poll(poll_id)
    if actor is not None:
        community_permissions.require(can_manage(actor, poll, poll.meeting), _("Only those who set the poll up close it."))
    if poll.status != Status.OPEN:
        raise ValidationError(_("Only an open poll can be closed."))
    eligible = poll.eligible_count or 0  # the roll fixed at opening
    if poll.secret:
        rows = list(Ballot.objects.filter(poll=poll).values_list("choices", flat=True))
        _random.shuffle(rows)
        Ballot.objects.filter(poll=poll).delete()
        Ballot.objects.bulk_create([Ballot(poll=poll, choices=c) for c in rows])
    poll.status, poll.closed_at = Status.CLOSED, timezone.now()
    poll.result = count(poll, eligible=eligible)
    if poll.result["adopted"]:
        poll.decision = record_decision(
            actor, community=poll.community, title=poll.title[:max_length(Decision, "title")],
            source=Decision.Source.POLL, note=_winner_note(poll), consultation=poll.consultation,
            is_public=poll.meeting.is_public if poll.meeting else True,
        )
    poll.save(update_fields=["status", "closed_at", "result", "decision"])
    audit.record(actor, "poll.closed", community=poll.community_id, target=poll, adopted=poll.result["adopted"])
    _announce(poll, actor)
    return poll


def _winner_note(poll: Poll) -> dict:
    """What the decision of an adopted poll says, kept as a message key for each reader's language."""
    winners = poll.result["winners"]
    if poll.method == Method.YES_NO:
        return freeze(gettext_lazy("Adopted by vote."))
    names = dict(poll.options.values_list("pk", "text"))
    return freeze(gettext_lazy("Adopted by vote: %(winner)s"),
                  {"winner": ", ".join(names.get(int(w), w) for w in winners)})


def close_due_polls(now=None, *, poll_id: int | None = None) -> int:
    """Close open polls whose closing time has passed: all of them (the minutely task, cron), or just one
    (the task enqueued for its closing time)."""
    now = now or timezone.now()
    closed = 0
    due = Poll.objects.filter(status=Status.OPEN, closes_at__lte=now)
    if poll_id is not None:
        due = due.filter(pk=poll_id)
    for pk in due.values_list("pk", flat=True)[:100]:
        try:
            close_poll(None, poll_id=pk)
            closed += 1
        except ValidationError:
            pass  # closed by someone else a moment ago
    return closed


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
