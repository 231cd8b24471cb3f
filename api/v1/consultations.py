"""Consultations, their proposals and comments; residents comment and support."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from api.v1.auth import WRITE_AUTH, require_scope
from api.v1.community import in_community
from api.v1.issues import WRITE_ERRORS
from api.v1.pagination import Pages
from api.v1.schemas import (
    CommentIn,
    CommentOut,
    ConsultationOut,
    Error,
    Id,
    ProposalOut,
    SupportOut,
)
from community.models import ApiToken
from consult import services
from consult.models import Comment, Consultation, Proposal
from issues.models import Issue

router = Router(tags=["consultations"])
Phase = Consultation.Phase
HIDDEN = [m for m in Proposal.Moderation.values if m != Proposal.Moderation.VISIBLE]


def public_consultations():
    return (Consultation.objects.exclude(phase=Phase.DRAFT).select_related("community", "grid")
            .prefetch_related(Prefetch("issues", queryset=Issue.objects.only("pk").order_by("pk"))))


def public_proposals():
    return (Proposal.objects.exclude(consultation__phase=Phase.DRAFT)
            .select_related("author", "organisation", "consultation"))


def public_comments():
    """The discussion of a hidden proposal is hidden with it, as on its page and in search."""
    return (Comment.objects.exclude(consultation__phase=Phase.DRAFT)
            .exclude(proposal__moderation__in=HIDDEN).select_related("author", "consultation", "proposal"))


@router.get("/consultations", response={200: list[ConsultationOut], 422: Error}, summary="Consultations")
@paginate(Pages)
def consultation_list(request, community: str | None = None, grid: Id | None = None, phase: Phase | None = None):
    consultations = in_community(public_consultations(), community)
    if grid is not None:
        consultations = consultations.filter(grid_id=grid)
    if phase:
        consultations = consultations.filter(phase=phase)
    return consultations.order_by("-created_at", "-pk")


@router.get("/consultations/{consultation_id}", response={200: ConsultationOut, 404: Error, 422: Error},
            summary="A consultation")
def consultation_detail(request, consultation_id: Id):
    return get_object_or_404(public_consultations(), pk=consultation_id)


@router.get("/proposals", response={200: list[ProposalOut], 422: Error}, summary="Proposals")
@paginate(Pages)
def proposal_list(request, consultation: Id | None = None, community: str | None = None):
    """Hidden proposals are listed without their text, author or title, as on the pages."""
    proposals = in_community(public_proposals(), community, "consultation__community__slug")
    if consultation is not None:
        proposals = proposals.filter(consultation_id=consultation)
    return proposals.order_by("-created_at", "-pk")


@router.get("/proposals/{proposal_id}", response={200: ProposalOut, 404: Error, 422: Error}, summary="A proposal")
def proposal_detail(request, proposal_id: Id):
    return get_object_or_404(public_proposals(), pk=proposal_id)


@router.get("/comments", response={200: list[CommentOut], 422: Error}, summary="Comments")
@paginate(Pages)
def comment_list(request, consultation: Id | None = None, proposal: Id | None = None,
                 community: str | None = None):
    """Oldest first, so threads read in order. Deleted and hidden comments keep their place, without text."""
    comments = in_community(public_comments(), community, "consultation__community__slug")
    if consultation is not None:
        comments = comments.filter(consultation_id=consultation)
    if proposal is not None:
        comments = comments.filter(proposal_id=proposal)
    return comments.order_by("created_at", "pk")


@router.post("/consultations/{consultation_id}/comments", response={201: CommentOut, **WRITE_ERRORS},
             auth=WRITE_AUTH, summary="Comment, or reply to a comment (scope: consultations)")
def post_comment(request, consultation_id: Id, payload: CommentIn):
    require_scope(request, ApiToken.Scope.CONSULTATIONS)
    get_object_or_404(public_consultations(), pk=consultation_id)
    comment = services.post_comment(
        request.user, consultation_id=consultation_id, body=payload.body, stance=payload.stance,
        proposal_id=payload.proposal, parent_id=payload.parent,
    )
    return Status(201, get_object_or_404(public_comments(), pk=comment.pk))


def _support_answer(request, proposal: Proposal) -> dict:
    proposal.refresh_from_db(fields=["supports_count"])
    return {"proposal": proposal.pk, "supports": proposal.supports_count,
            "supported": proposal.supports.filter(user=request.user).exists()}


@router.post("/proposals/{proposal_id}/support", response={201: SupportOut, **WRITE_ERRORS},
             auth=WRITE_AUTH, summary="Support a proposal (scope: consultations)")
def support(request, proposal_id: Id):
    require_scope(request, ApiToken.Scope.CONSULTATIONS)
    get_object_or_404(public_proposals(), pk=proposal_id)
    proposal = services.support_proposal(request.user, proposal_id=proposal_id)
    return Status(201, _support_answer(request, proposal))


@router.delete("/proposals/{proposal_id}/support", response={200: SupportOut, **WRITE_ERRORS},
               auth=WRITE_AUTH, summary="Withdraw one's support (scope: consultations)")
def withdraw_support(request, proposal_id: Id):
    require_scope(request, ApiToken.Scope.CONSULTATIONS)
    get_object_or_404(public_proposals(), pk=proposal_id)
    return _support_answer(request, services.withdraw_support(request.user, proposal_id=proposal_id))
