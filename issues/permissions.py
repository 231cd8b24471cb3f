"""Who may do what with an issue, built on the community's role predicates."""

from community.models import Community, Grid
from community.permissions import (
    is_active,
    is_committee,
    is_grid_worker_of,
    is_member_of,
    is_resident_of,
    looks_after,
)
from issues.models import Issue


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


def can_view_committee_queue(user, community: Community) -> bool:
    return is_committee(user, community)


def is_in_charge_or_committee(user, issue) -> bool:
    return is_committee(user, issue.community) or (
        issue.assignee_id is not None and issue.assignee_id == getattr(user, "pk", None)
        and is_grid_worker_of(user, issue.grid)
    )


def can_hand_over(user, issue) -> bool:
    """An open issue passes to another worker of its grid: by the committee, or by the worker in charge."""
    return issue.is_open and is_in_charge_or_committee(user, issue)


def can_be_handed(user, grid: Grid) -> bool:
    """Who may take an issue over: an active grid worker of the issue's grid."""
    return is_grid_worker_of(user, grid)


def can_view_load(user, community: Community) -> bool:
    """Every grid worker's load, on one page: the committee."""
    return is_committee(user, community)
