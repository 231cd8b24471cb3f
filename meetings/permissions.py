"""Who may do what in meetings: small predicates over the community's roles."""

from community.models import Membership
from community.permissions import (  # noqa: F401 - services import require from here
    home_grid,
    is_active,
    is_committee,
    is_member_of,
    memberships,
    require,
)

Role = Membership.Role


def can_schedule(user, community) -> bool:
    """The committee schedules meetings and runs their agenda."""
    return is_committee(user, community)


def is_chair(user, meeting) -> bool:
    return is_active(user) and meeting.chair_id == user.pk


def is_secretary(user, meeting) -> bool:
    return is_active(user) and meeting.secretary_id == user.pk


def runs(user, meeting) -> bool:
    """The chair, or the committee standing in for an absent chair."""
    return is_chair(user, meeting) or is_committee(user, meeting.community)


def writes_minutes(user, meeting) -> bool:
    return is_secretary(user, meeting) or is_chair(user, meeting)


def is_invited(user, meeting, invitations=None) -> bool:
    """Invited in person, through an organisation they represent, or as a resident of the invited grid/community."""
    if not is_active(user):
        return False
    if meeting.chair_id == user.pk or meeting.secretary_id == user.pk or is_committee(user, meeting.community):
        return True
    if meeting.audience == meeting.Audience.COMMUNITY and is_member_of(user, meeting.community):
        return True
    if meeting.audience == meeting.Audience.GRID:
        grid = home_grid(user, meeting.community)
        if grid is not None and grid.pk == meeting.grid_id:
            return True
    orgs = {m.organisation_id for m in memberships(user) if m.role == Role.ORG_REP}
    if invitations is None:
        invitations = list(meeting.invitations.all())
    return any(i.user_id == user.pk or (i.organisation_id and i.organisation_id in orgs) for i in invitations)


def can_watch(user, meeting, invitations=None) -> bool:
    """A public meeting is watched by anyone; a closed one only by those invited."""
    return meeting.is_public or is_invited(user, meeting, invitations)


def can_take_part(user, meeting, invitations=None) -> bool:
    """Chat and raise a hand: invitees, and for a public meeting any member of the community."""
    return is_active(user) and (
        is_invited(user, meeting, invitations) or (meeting.is_public and is_member_of(user, meeting.community))
    )


def can_suggest_item(user, meeting) -> bool:
    return meeting.status == meeting.Status.SCHEDULED and can_take_part(user, meeting)
