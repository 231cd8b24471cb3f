"""Exports by those who look after a community go into the audit log."""

import audit
from community import permissions
from community.models import Membership


def record_export(user, *, community, export: str):
    """A CSV download by someone who looks after the community (committee, grid worker, moderator, staff).

    The exports hold public rows only: the public's and residents' downloads are reading, not a
    privileged action, and are not recorded (the log is no record of who reads what).
    """
    roles = {Membership.Role.COMMITTEE, Membership.Role.GRID_WORKER, Membership.Role.MODERATOR}
    looks_after = getattr(user, "is_staff", False) or any(
        m.community_id == community.pk and m.role in roles for m in permissions.memberships(user)
    )
    if permissions.is_active(user) and looks_after:
        audit.record(user, audit.Action.EXPORT_CSV, community=community, export=export)
