"""Casting a ballot: into the ballot box for a secret poll, into the open table for an open one; who has voted;
the live count of open polls."""

import hashlib
import secrets

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import User
from core import limits
from polls import box
from polls.models import OpenVote, Poll, Voter
from polls.realtime import publish_counts_on_commit
from polls.services.base import ballot_box, lock_poll
from polls.services.counting import count
from polls.tally import InvalidBallot, check_ballot
from polls.verify import canonical

Status, Method, Audience = Poll.Status, Poll.Method, Poll.Audience


def _receipt_code() -> str:
    return "-".join(secrets.token_hex(3).upper() for _ in range(4))


def receipt_hash(poll_id: int, code: str) -> str:
    return hashlib.sha256(f"{poll_id}:{code.strip().upper()}".encode()).hexdigest()


def cast_ballot(actor: User, *, poll_id: int, choices, poll: Poll | None = None,
                option_ids: list[int] | None = None) -> str | None:
    """Vote once. Returns the receipt code of a secret ballot (shown to the voter once), else None.

    A secret vote writes nothing to the database: the ballot box (``polls/box.py``, a file of its own) takes
    the ballot into a random one of slots made when the poll opened, the receipt's hash into another, and
    sets the voter's "voted" flag, in one transaction of its own. Exactly one of concurrent submissions
    counts; the others are told. An open vote is stored with its voter and may be changed until the close.

    ``poll`` and ``option_ids``: the poll (``poll_id``'s) and its options' ids as the caller has just read them,
    so a page that showed them does not read them again. The box's roll (fixed at opening, as the voter rows)
    is what decides whether a secret poll's voter is on it.
    """
    limits.hit(actor, "ballot")
    if poll is None or poll.pk != poll_id:
        poll = Poll.objects.filter(pk=poll_id).first()
    if poll is None:
        raise ValidationError(_("There is no poll #%(id)s.") % {"id": poll_id})
    if not poll.is_open:
        raise ValidationError(_("This poll is not open for voting."))
    boxed = poll.secret and bool(poll.box_key)
    if not boxed and not Voter.objects.filter(poll=poll, user=actor).exists():
        raise ValidationError(_("You are not among those who vote in this poll."))
    if option_ids is None:
        option_ids = list(poll.options.values_list("pk", flat=True))
    try:
        clean = check_ballot(poll.method, option_ids, choices, min_choices=poll.min_choices,
                             max_choices=poll.max_choices)
    except InvalidBallot:
        raise ValidationError(_("This ballot does not fit the poll: check your choices.")) from None
    if not poll.secret:
        return _cast_open(actor, poll.pk, clean)
    code = _receipt_code()
    try:
        ballot_box().cast(poll.box_key, actor.pk, canonical(clean), bytes.fromhex(receipt_hash(poll.pk, code)))
    except box.AlreadyVoted:
        raise ValidationError(_("You already voted in this poll; a secret ballot is final."),
                              code="already_voted") from None
    except box.BoxClosed:
        raise ValidationError(_("This poll is not open for voting.")) from None
    except box.NotOnRoll:
        raise ValidationError(_("You are not among those who vote in this poll.")) from None
    return code


@transaction.atomic
def _cast_open(actor: User, poll_id: int, clean) -> None:
    """An open vote, under the poll's lock: the close cannot slip between the check and the write."""
    poll = lock_poll(poll_id, related=False)
    if not poll.is_open:
        raise ValidationError(_("This poll is not open for voting."))
    OpenVote.objects.update_or_create(poll=poll, user=actor, defaults={"choices": clean, "updated_at": timezone.now()})
    transaction.on_commit(lambda: forget_live_count(poll.pk), robust=True)  # before viewers are told
    publish_counts_on_commit(poll)
    return None


def has_voted(user, poll: Poll) -> bool:
    if not getattr(user, "is_authenticated", False) or poll.status == Status.DRAFT:
        return False
    if poll.secret:
        return bool(poll.box_key) and ballot_box().has_voted(poll.box_key, user.pk)
    return OpenVote.objects.filter(poll=poll, user=user).exists()


LIVE_COUNT_SECONDS = 2


def _live_key(poll_id: int) -> str:
    return f"yishi:poll-live-count:{poll_id}"


def live_count(poll: Poll) -> dict:
    """The running count of an open poll, counted once per change, not once per viewer: hundreds of
    pages refetching after each ``poll.changed`` share one count (a ballot drops the stored one)."""
    return cache.get_or_set(_live_key(poll.pk), lambda: count(poll), LIVE_COUNT_SECONDS)


def forget_live_count(poll_id: int) -> None:
    cache.delete(_live_key(poll_id))
