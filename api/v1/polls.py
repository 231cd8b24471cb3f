"""Polls with their options and, once closed, results and ballot lists; residents vote."""

import json

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja import Status as Answer
from ninja.pagination import paginate

from api.v1.auth import WRITE_AUTH, require_scope
from api.v1.community import in_community
from api.v1.issues import WRITE_ERRORS
from api.v1.pagination import Pages
from api.v1.schemas import BallotIn, BallotList, BallotOut, Error, Id, PollOut
from community.models import ApiToken
from polls import services
from polls.models import OpenVote, Poll

router = Router(tags=["polls"])
Status = Poll.Status


def public_polls():
    """Not drafts, and not the polls of a closed meeting: those belong to its invitees.

    Reads only: the task worker closes a poll whose time is up (``polls.tasks``); until then it says
    ``voting_open: false``.
    """
    return (Poll.objects.exclude(status=Status.DRAFT).filter(Q(meeting=None) | Q(meeting__is_public=True))
            .select_related("community").prefetch_related("options"))


@router.get("/polls", response={200: list[PollOut], 422: Error}, summary="Polls")
@paginate(Pages)
def poll_list(request, community: str | None = None, status: Status | None = None, meeting: Id | None = None,
              consultation: Id | None = None):
    polls = in_community(public_polls(), community)
    if status:
        polls = polls.filter(status=status)
    if meeting is not None:
        polls = polls.filter(meeting_id=meeting)
    if consultation is not None:
        polls = polls.filter(consultation_id=consultation)
    return polls.order_by("-created_at", "-pk")


@router.get("/polls/{poll_id}", response={200: PollOut, 404: Error, 422: Error}, summary="A poll")
def poll_detail(request, poll_id: Id):
    return get_object_or_404(public_polls(), pk=poll_id)


@router.get("/polls/{poll_id}/ballots", response={200: BallotList, 404: Error, 422: Error},
            summary="Every ballot of a closed poll, to recount")
def ballot_list(request, poll_id: Id):
    """Secret ballots carry no voter and no time; open ballots show who voted what, as on the page."""
    # An owners' decision publishes the units that took part on its page, not ballots to recount here.
    poll = get_object_or_404(public_polls().exclude(kind=Poll.Kind.OWNERS), pk=poll_id, status=Status.CLOSED,
                             result__isnull=False)
    if poll.secret:  # sorted by their canonical text: the order says nothing
        ballots = [json.loads(text) for text in services.ballot_texts(poll)]
        receipts = services.receipts_of(poll)
    else:
        votes = OpenVote.objects.filter(poll=poll).select_related("user").order_by("user__display_name", "pk")
        ballots = [{"voter": vote.user.public_name, "choices": vote.choices} for vote in votes]
        receipts = []
    return {"poll": poll.pk, "secret": poll.secret, "ballots": ballots, "receipts": receipts}


@router.post("/polls/{poll_id}/ballots", response={201: BallotOut, **WRITE_ERRORS}, auth=WRITE_AUTH,
             summary="Vote (scope: polls)")
def cast_ballot(request, poll_id: Id, payload: BallotIn):
    """Once for a secret ballot (keep the receipt to find your ballot after the count); an open ballot
    may be cast again to change it while the poll is open."""
    require_scope(request, ApiToken.Scope.POLLS)
    poll = get_object_or_404(Poll.objects.select_related("community", "meeting"), pk=poll_id)
    if not services.can_view(request.user, poll):  # as the page: a closed meeting's poll for its invitees
        raise Http404
    code = services.cast_ballot(request.user, poll_id=poll_id, choices=payload.choices)
    return Answer(201, {"poll": poll_id, "receipt": code})
