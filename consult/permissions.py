"""Every permission predicate of the platform, in one place.

Predicates are small, typed and composable: ``can_<verb>(user, obj) -> bool``.
Services enforce them with ``require``; views and templates only ask, to show
or hide a button. A user's memberships are loaded once and cached on the user
object, so asking many questions on one page costs one query.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from consult.models import Community, Grid, Issue, Membership, MembershipRequest, Organisation

Role = Membership.Role
_CACHE = "_yishi_memberships"


def require(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message or _("You are not allowed to do this."))


def memberships(user) -> list[Membership]:
    """The user's memberships, loaded once per user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("grid"))
        setattr(user, _CACHE, cached)
    return cached


def forget(user) -> None:
    """Drop the cached memberships after they changed."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def _holds(user, role: str, **where) -> bool:
    return any(
        m.role == role and all(getattr(m, f"{key}_id") == value for key, value in where.items())
        for m in memberships(user)
    )


# Who someone is -------------------------------------------------------------


def is_active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def has_verified_email(user) -> bool:
    if not is_active(user):
        return False
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def is_resident_of(user, grid: Grid) -> bool:
    return is_active(user) and _holds(user, Role.RESIDENT, grid=grid.pk)


def is_resident_in(user, community: Community) -> bool:
    return is_active(user) and _holds(user, Role.RESIDENT, community=community.pk)


def home_grid(user, community: Community) -> Grid | None:
    for m in memberships(user):
        if m.role == Role.RESIDENT and m.community_id == community.pk:
            return m.grid
    return None


def is_grid_worker_of(user, grid: Grid) -> bool:
    return is_active(user) and _holds(user, Role.GRID_WORKER, grid=grid.pk)


def is_grid_worker_in(user, community: Community) -> bool:
    return is_active(user) and _holds(user, Role.GRID_WORKER, community=community.pk)


def is_committee(user, community: Community) -> bool:
    return is_active(user) and _holds(user, Role.COMMITTEE, community=community.pk)


def is_moderator(user, community: Community) -> bool:
    return is_active(user) and _holds(user, Role.MODERATOR, community=community.pk)


def represents(user, organisation: Organisation) -> bool:
    return is_active(user) and _holds(user, Role.ORG_REP, organisation=organisation.pk)


def looks_after(user, grid: Grid) -> bool:
    """A grid worker of this grid, or a member of its community's committee."""
    return is_grid_worker_of(user, grid) or is_committee(user, grid.community)


# What someone may do ---------------------------------------------------------


def can_request_membership(user, grid: Grid) -> bool:
    """A confirmed account that does not live in this grid yet and has nothing pending."""
    return (
        has_verified_email(user)
        and not is_resident_of(user, grid)
        and not MembershipRequest.objects.filter(
            user=user, status=MembershipRequest.Status.PENDING
        ).exists()
    )


def can_withdraw_membership_request(user, request: MembershipRequest) -> bool:
    """Only the person who asked; the service then checks the request still waits."""
    return is_active(user) and request.user_id == user.pk


def can_decide_membership_request(user, request: MembershipRequest) -> bool:
    """Those who look after the grid — but nobody verifies themselves."""
    return request.user_id != getattr(user, "pk", None) and looks_after(user, request.grid)


def can_view_membership_queue(user, community: Community) -> bool:
    return is_committee(user, community) or is_grid_worker_in(user, community)


def can_see_private_details(user, grid: Grid) -> bool:
    """Units, addresses and contact: the grid's workers and the committee only."""
    return looks_after(user, grid)


def can_use_admin(user) -> bool:
    return is_active(user) and user.is_staff


def can_delete_account(user, person) -> bool:
    """One's own account; or, for staff allowed to delete users in the admin, anyone's."""
    return is_active(user) and (user.pk == person.pk or (user.is_staff and user.has_perm("consult.delete_user")))


# Issues and the follow-up ledger --------------------------------------------------


def is_member_of(user, community: Community) -> bool:
    """Holds any role in the community: resident, grid worker, committee, moderator, representative."""
    return is_active(user) and any(m.community_id == community.pk for m in memberships(user))


def can_raise_issue(user, grid: Grid) -> bool:
    """Verified residents raise issues in their own grid."""
    return is_resident_of(user, grid)


def can_enter_issue_on_behalf(user, grid: Grid) -> bool:
    """A grid worker (or the committee) enters an issue for a resident met in person or by phone."""
    return looks_after(user, grid)


def can_see_case(user, issue) -> bool:
    """Who raised it, their contact and exact address: the grid's workers and the committee."""
    return looks_after(user, issue.grid)


def can_triage(user, issue) -> bool:
    return looks_after(user, issue.grid) and issue.status in (Issue.Status.NEW, Issue.Status.NEEDS_INFO)


def can_handle(user, issue) -> bool:
    """Assign tasks, report from the site, resolve: those who look after the grid, while it is open."""
    return looks_after(user, issue.grid) and issue.status == Issue.Status.IN_PROGRESS


def can_assign_task(user, issue) -> bool:
    """A major issue is handled jointly: its tasks come from the committee."""
    return can_handle(user, issue) and (issue.tier != Issue.Tier.MAJOR or is_committee(user, issue.community))


def can_resolve(user, issue) -> bool:
    """Those who assign an issue's tasks also say when it is resolved."""
    return can_assign_task(user, issue)


def can_comment(user, issue) -> bool:
    return is_member_of(user, issue.community) and issue.status != Issue.Status.MERGED


def can_follow(user, issue) -> bool:
    return is_member_of(user, issue.community) and issue.status != Issue.Status.MERGED


def can_rate(user, issue, *, following: bool) -> bool:
    """The reporter and followers rate a resolved issue within the rating window."""
    return is_active(user) and issue.rating_open and (issue.reporter_id == user.pk or following)


def can_update_task(user, task) -> bool:
    """The task's owner — the person, or a representative of the organisation — and those responsible."""
    if not is_active(user):
        return False
    if task.owner_user_id == user.pk:
        return True
    if task.owner_organisation_id and _holds(user, Role.ORG_REP, organisation=task.owner_organisation_id):
        return True
    if task.issue_id and looks_after(user, task.issue.grid):
        return True
    return is_committee(user, task.decision.community)


def can_view_decision(user, decision) -> bool:
    """Public decisions for everyone; a closed meeting's, before its minutes are approved, for the committee."""
    return decision.is_public or is_committee(user, decision.community)


def can_view_committee_queue(user, community: Community) -> bool:
    return is_committee(user, community)


# Consultations -------------------------------------------------------------------

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


def representation(user, community: Community):
    """The organisation this person represents in the community, if any."""
    for m in memberships(user):
        if m.role == Role.ORG_REP and m.community_id == community.pk and is_active(user):
            return m.organisation_id
    return None


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


def can_view_audit_log(user, community: Community) -> bool:
    """Who did which privileged action: the committee, and staff."""
    return is_committee(user, community) or can_use_admin(user)


def can_follow_consultation(user, consultation) -> bool:
    return is_active(user) and can_view_consultation(user, consultation)
