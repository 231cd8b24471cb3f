"""Roles change through here, the admin's forms included: each change is saved and audited in one transaction.

A membership is a role in a community (resident of a grid, grid worker, committee member,
moderator, an organisation's representative); staff, superuser and suspension are roles over the
whole platform, which every committee reads in its audit log.
"""

from django.db import transaction

import audit
from community import permissions
from community.models import Membership, User


def role_of(membership: Membership | None) -> dict | None:
    """A membership as the audit log keeps it: the role and where it holds."""
    if membership is None:
        return None
    where = [str(membership.grid or membership.organisation or membership.community)]
    if membership.position:
        where.append(str(membership.get_position_display()))
    return {"role": membership.role, "where": ", ".join(where)}


def site_role_of(user: User | None) -> dict | None:
    """A user's powers over the whole platform, as the audit log keeps them (codes read by the audit page)."""
    if user is None:
        return None
    flags = [flag for flag in ("is_superuser", "is_staff") if getattr(user, flag)]
    return {"site": flags + ([] if user.is_active else ["suspended"])}


@transaction.atomic
def save_membership(actor: User, *, membership: Membership) -> Membership:
    """Give someone a role, or change it (staff, in the admin); the change goes to the audit log."""
    permissions.require(permissions.can_use_admin(actor))
    stored = Membership.objects.select_for_update(of=("self",)).filter(pk=membership.pk).order_by().first() if membership.pk else None
    before = role_of(stored)
    membership.save()
    permissions.forget(membership.user)
    if before != role_of(membership):
        audit.record(actor, "role.changed", community=membership.community_id, target=membership.user,
                     before=before, after=role_of(membership))
    return membership


@transaction.atomic
def remove_membership(actor: User, *, membership_id: int) -> None:
    """Take a role away (staff, in the admin); the change goes to the audit log."""
    permissions.require(permissions.can_use_admin(actor))
    membership = Membership.objects.select_for_update(of=("self",)).select_related("user").filter(pk=membership_id).order_by().first()
    if membership is None:
        return
    audit.record(actor, "role.changed", community=membership.community_id, target=membership.user,
                 before=role_of(membership), after=None)
    membership.delete()
    permissions.forget(membership.user)


@transaction.atomic
def save_site_role(actor: User, *, user: User, created: bool = False) -> User:
    """Save a person from the admin's user form; a change of staff, superuser or suspension is audited."""
    permissions.require(permissions.can_use_admin(actor))
    stored = None if created else User.objects.select_for_update(of=("self",)).filter(pk=user.pk).order_by().first()
    before = site_role_of(stored)
    user.save()
    if not created and before != site_role_of(user):
        audit.record(actor, "role.changed", community=None, target=user, before=before, after=site_role_of(user))
    return user
