"""Who may see a decision and report progress on a task."""

from community.permissions import Role, _holds, is_active, is_committee, looks_after


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


def can_follow_up(user, decision) -> bool:
    """The committee gives any decision of its community tasks later, or says none is needed."""
    return is_active(user) and is_committee(user, decision.community)
