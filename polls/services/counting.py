"""Closing and counting: the poll is marked closed in one short transaction; then its box is sealed and counted
outside any lock, and the result, the ballot box digest and the decision are saved in another."""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import audit
from community import permissions as community_permissions
from community.models import User
from core.i18n import freeze
from core.text import max_length
from ledger.models import Decision
from ledger.services import record_decision
from polls.models import OpenVote, Poll
from polls.services.base import announce, ballot_box, can_manage, eligible_users, lock_poll, rules_of
from polls.services.owners import owners_result
from polls.tally import published
from polls.verify import canonical

Status, Method, Audience = Poll.Status, Poll.Method, Poll.Audience


def ballots_of(poll: Poll) -> list:
    """The choices of every ballot. A secret poll's only once its box is sealed (closed): never a partial count."""
    if poll.secret:
        return [json.loads(b) for b in ballot_box().contents(poll.box_key)[0]]
    return list(OpenVote.objects.filter(poll=poll).values_list("choices", flat=True))


def receipts_of(poll: Poll) -> list[str]:
    """The receipt hashes of a closed secret poll, sorted."""
    if not poll.secret or not poll.box_key:
        return []
    return sorted(r.hex() for r in ballot_box().contents(poll.box_key)[1])


def ballot_texts(poll: Poll) -> list[str]:
    """Each ballot's choices as canonical JSON text, sorted: how the ballot box digest lists them."""
    if poll.secret:
        return sorted(b.decode() for b in ballot_box().contents(poll.box_key)[0])
    return sorted(canonical(c).decode() for c in OpenVote.objects.filter(poll=poll).values_list("choices", flat=True))


def count(poll: Poll, *, eligible: int | None = None, ballots: list | None = None) -> dict:
    """The result as stored and shown: counts, winners, rounds, turnout, quorum, adoption, the majority's base
    (an owners' decision's: participation and approval by area and by owners)."""
    if poll.kind == Poll.Kind.OWNERS:
        return owners_result(poll)
    rules = rules_of(poll)
    if rules["eligible"] is None or eligible is not None:
        rules["eligible"] = eligible if eligible is not None else eligible_users(poll).count()
    return published(rules, ballots_of(poll) if ballots is None else ballots)


def counts_in_ballot_order(poll: Poll, counts: dict, options=None) -> list[tuple[str, int]]:
    """A result's counts in the order the ballot lists them: yes, no, abstain, or the options.

    A stored result comes back from PostgreSQL's jsonb with its keys in jsonb's own order.
    """
    if poll.method == Poll.Method.YES_NO:
        keys = ["yes", "no", "abstain"]
    else:
        keys = [str(o.pk) for o in (options if options is not None else poll.options.all())]
    return [(k, counts[k]) for k in keys if k in counts] + [(k, v) for k, v in counts.items() if k not in keys]


def close_poll(actor: User | None, *, poll_id: int) -> Poll:
    """Close, then count. The poll's lock is held only to mark it closed and, later, to store the result: the
    count itself (a million ballots take seconds) runs between, and the page says "being counted" meanwhile.
    A secret poll's box is sealed after the close is committed; nothing is rewritten. An adopted result
    becomes a decision."""
    with transaction.atomic():
        poll = lock_poll(poll_id)
        if actor is not None:
            community_permissions.require(can_manage(actor, poll, poll.meeting),
                                          _("Only those who set the poll up close it."))
        if poll.status != Status.OPEN:
            raise ValidationError(_("Only an open poll can be closed."))
        poll.status, poll.closed_at = Status.CLOSED, timezone.now()
        poll.save(update_fields=["status", "closed_at"])
        audit.record(actor, "poll.closed", community=poll.community_id, target=poll)
    return count_closed(actor, poll_id=poll_id)


def count_closed(actor: User | None, *, poll_id: int) -> Poll:
    """Count a closed poll and publish its result, once: a second caller (the sweep after a crash between the
    close and the count) finds it counted and does nothing."""
    poll = Poll.objects.select_related("community", "meeting").get(pk=poll_id)
    if poll.result is not None or poll.status != Status.CLOSED:
        return poll
    if poll.kind == Poll.Kind.OWNERS:
        return _count_owners(actor, poll)
    if poll.secret:
        ballot_box().seal(poll.box_key)
        texts, receipts = ballot_box().contents(poll.box_key)
        ballots, texts = [json.loads(t) for t in texts], sorted(t.decode() for t in texts)
        receipts = sorted(r.hex() for r in receipts)
    else:
        ballots = list(OpenVote.objects.filter(poll=poll).values_list("choices", flat=True))
        texts, receipts = sorted(canonical(c).decode() for c in ballots), []
    result = count(poll, eligible=poll.eligible_count or 0, ballots=ballots)
    digest = digest_of_texts(poll.pk, texts, receipts)
    del ballots, texts
    with transaction.atomic():
        poll = lock_poll(poll_id)
        if poll.result is not None:
            return poll
        poll.result, poll.ballot_box_digest = result, digest
        poll.decision = _decision_of(actor, poll)
        poll.save(update_fields=["result", "ballot_box_digest", "decision"])
        audit.record(actor, "poll.counted", community=poll.community_id, target=poll, adopted=result["adopted"],
                     ballot_box_digest=digest)
        announce(poll, actor)
    return poll


def _count_owners(actor: User | None, poll: Poll) -> Poll:
    """An owners' decision: its ballots are few (one per owner) and counted under the poll's lock."""
    with transaction.atomic():
        poll = lock_poll(poll.pk)
        if poll.result is not None:
            return poll
        poll.result = owners_result(poll)
        poll.decision = _decision_of(actor, poll)
        poll.save(update_fields=["result", "decision"])
        audit.record(actor, "poll.counted", community=poll.community_id, target=poll, adopted=poll.result["adopted"])
        announce(poll, actor)
    return poll


def digest_of_texts(poll_id: int, texts: list[str], receipts: list[str]) -> str:
    """The ballot box digest (docs/voting.md) from ballots already in canonical text, sorted: at a million
    ballots, parsing them again only to write them back the same would cost seconds."""
    return hashlib.sha256(canonical({"poll": poll_id, "ballots": texts, "receipts": receipts})).hexdigest()


def _decision_of(actor: User | None, poll: Poll) -> Decision | None:
    """An adopted result becomes a decision in the ledger (under the poll's lock, once)."""
    if not poll.result["adopted"]:
        return None
    return record_decision(
        actor, community=poll.community, title=poll.title[:max_length(Decision, "title")],
        source=Decision.Source.POLL, note=_winner_note(poll), consultation=poll.consultation,
        is_public=poll.meeting.is_public if poll.meeting else True,
    )


def _winner_note(poll: Poll) -> dict:
    """What the decision of an adopted poll says, kept as a message key for each reader's language."""
    winners = poll.result["winners"]
    if poll.kind == Poll.Kind.OWNERS:
        return freeze(gettext_lazy("Adopted by the owners."))
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
    # Closed but never counted (the process stopped between the two): count them now.
    for pk in Poll.objects.filter(status=Status.CLOSED, result__isnull=True).values_list("pk", flat=True)[:100]:
        count_closed(None, poll_id=pk)
    for pk in due.values_list("pk", flat=True)[:100]:
        try:
            close_poll(None, poll_id=pk)
            closed += 1
        except ValidationError:
            pass  # closed by someone else a moment ago
    return closed
