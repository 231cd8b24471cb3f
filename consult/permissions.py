"""Who may do what in a consultation; what each phase allows."""

from community.models import Community
from community.permissions import (
    Role,
    _holds,
    is_active,
    is_committee,
    is_member_of,
    is_moderator,
    is_resident_in,
    representation,
)

# What each phase allows, and nothing else: the one table the pages and services share.
PHASE_ALLOWS = {
    "draft": set(),
    "collecting": {"propose", "edit", "withdraw", "support", "comment", "answer"},
    "deliberation": {"withdraw", "support", "comment", "answer"},
    "voting": {"comment", "answer"},
    "concluded": set(),
}


def phase_allows(consultation, action: str) -> bool:
    return action in PHASE_ALLOWS[consultation.phase]


def can_manage_consultations(user, community: Community) -> bool:
    """Create, edit, move through the phases and conclude: the committee."""
    return is_committee(user, community)


def can_view_consultation(user, consultation) -> bool:
    """Everyone, once it leaves the draft; the committee while it is drafted."""
    return consultation.is_public or is_committee(user, consultation.community)


def is_resident_for(user, consultation) -> bool:
    """A verified resident of the consultation's grid, or of the community when it is for all grids."""
    if consultation.grid_id:
        return is_active(user) and _holds(user, Role.RESIDENT, grid=consultation.grid_id)
    return is_resident_in(user, consultation.community)


def can_submit_proposal(user, consultation) -> bool:
    """Verified residents of its scope and organisation representatives, while proposals are collected."""
    return phase_allows(consultation, "propose") and (
        is_resident_for(user, consultation) or representation(user, consultation.community) is not None
    )


def can_edit_proposal(user, proposal) -> bool:
    """The author, until deliberation starts, while it is neither withdrawn nor answered."""
    return (
        is_active(user) and proposal.author_id == user.pk and phase_allows(proposal.consultation, "edit")
        and not proposal.is_withdrawn and not proposal.answer
    )


def can_withdraw_proposal(user, proposal) -> bool:
    return (
        is_active(user) and proposal.author_id == user.pk and phase_allows(proposal.consultation, "withdraw")
        and not proposal.is_withdrawn and not proposal.answer
    )


def can_support(user, proposal) -> bool:
    """One support per resident of the consultation's scope (not the author), while supports are open."""
    return (
        phase_allows(proposal.consultation, "support") and is_resident_for(user, proposal.consultation)
        and not proposal.is_withdrawn and not proposal.is_hidden and proposal.author_id != user.pk
    )


def can_answer_proposal(user, proposal) -> bool:
    return is_committee(user, proposal.consultation.community) and phase_allows(proposal.consultation, "answer")


def can_comment_in(user, consultation) -> bool:
    """Any member of the community, while the consultation is open for comments."""
    return phase_allows(consultation, "comment") and is_member_of(user, consultation.community)


def can_change_comment(user, comment) -> bool:
    """Edit: the author, while the consultation takes comments and the comment is not hidden."""
    return (
        is_active(user) and comment.author_id == user.pk and not comment.is_deleted and not comment.is_hidden
        and phase_allows(comment.consultation, "comment")
    )


def can_delete_comment(user, comment) -> bool:
    """The author may always take their own words back (a tombstone stays)."""
    return is_active(user) and comment.author_id == user.pk and not comment.is_deleted


def can_upvote(user, comment) -> bool:
    return (
        can_comment_in(user, comment.consultation) and comment.author_id != user.pk
        and not comment.is_deleted and not comment.is_hidden
    )


def can_report(user, community: Community, author_id) -> bool:
    """Members report what others wrote."""
    return is_member_of(user, community) and author_id != user.pk


def can_moderate(user, community: Community) -> bool:
    return is_moderator(user, community)


def can_view_moderation_log(user, community: Community) -> bool:
    return is_moderator(user, community) or is_committee(user, community)


def can_follow_consultation(user, consultation) -> bool:
    return is_active(user) and can_view_consultation(user, consultation)
