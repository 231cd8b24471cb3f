"""Every permission predicate of the platform, in one place.

Predicates are small, typed and composable: ``can_<verb>(user, obj) -> bool``.
Services enforce them with ``require``; views and templates only ask, to show
or hide a button. A user's memberships are loaded once and cached on the user
object, so asking many questions on one page costs one query.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from community.models import Community, Grid, Membership, MembershipRequest, Organisation

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


def keeps_register(user, community: Community) -> bool:
    """The register of owners is kept by the committee and by the property manager's representatives."""
    if not is_active(user):
        return False
    return is_committee(user, community) or Membership.objects.filter(
        user=user, role=Role.ORG_REP, organisation__community=community,
        organisation__kind=Organisation.Kind.PROPERTY_MANAGEMENT).exists()


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
    return is_active(user) and (user.pk == person.pk or (user.is_staff and user.has_perm("community.delete_user")))


# Issues and the follow-up ledger --------------------------------------------------


def is_member_of(user, community: Community) -> bool:
    """Holds any role in the community: resident, grid worker, committee, moderator, representative."""
    return is_active(user) and any(m.community_id == community.pk for m in memberships(user))


# Consultations -------------------------------------------------------------------


def representation(user, community: Community):
    """The organisation this person represents in the community, if any."""
    for m in memberships(user):
        if m.role == Role.ORG_REP and m.community_id == community.pk and is_active(user):
            return m.organisation_id
    return None


def can_view_audit_log(user, community: Community) -> bool:
    """Who did which privileged action: the committee, and staff."""
    return is_committee(user, community) or can_use_admin(user)


def can_draw_map(user, community: Community) -> bool:
    """Outlines of the grids and buildings on the community's map: the committee (staff in the admin)."""
    return is_committee(user, community)


# The working calendar --------------------------------------------------------------


def can_keep_calendar(user, community: Community) -> bool:
    """Local days off and worked, office hours and deadlines: the committee, and staff (also in the admin)."""
    return is_committee(user, community) or can_use_admin(user)


def can_view_calendar(user, community: Community) -> bool:
    """Those whose deadlines it sets (the grid workers) and those who keep it."""
    return can_keep_calendar(user, community) or is_grid_worker_in(user, community)
