"""Reads that pages share: each runs a fixed number of queries whatever the data size."""

from django.db.models import Case, Count, Prefetch, Q, QuerySet, When
from django.urls import reverse

from community import permissions
from community.maps import BuildingShape, GridShape
from community.models import Building, Community, Grid, Membership, MembershipRequest, Organisation, User

Role = Membership.Role


def grids_with_counts(community: Community) -> QuerySet[Grid]:
    """The community's grids with resident counts and their grid workers (2 queries)."""
    workers = Membership.objects.filter(role=Role.GRID_WORKER).select_related("user")
    return community.grids.annotate(
        resident_count=Count("memberships", filter=Q(memberships__role=Role.RESIDENT))
    ).prefetch_related(Prefetch("memberships", queryset=workers, to_attr="workers"))


def organisations_with_reps(community: Community) -> QuerySet[Organisation]:
    reps = Membership.objects.filter(role=Role.ORG_REP).select_related("user")
    return community.organisations.prefetch_related(
        Prefetch("memberships", queryset=reps, to_attr="representatives")
    )


POSITION_ORDER = Case(
    *[When(position=value, then=rank) for rank, value in enumerate(Membership.Position.values)],
    default=len(Membership.Position.values),
)


def committee_of(community: Community) -> QuerySet[Membership]:
    """Committee members, chair first."""
    return (
        community.memberships.filter(role=Role.COMMITTEE)
        .select_related("user")
        .order_by(POSITION_ORDER, "user__display_name")
    )


def community_counts(community: Community) -> dict[str, int]:
    """Headline figures for the community page (1 query)."""
    return Membership.objects.filter(community=community).aggregate(
        residents=Count("pk", filter=Q(role=Role.RESIDENT)),
        grid_workers=Count("user", filter=Q(role=Role.GRID_WORKER), distinct=True),
        committee=Count("pk", filter=Q(role=Role.COMMITTEE)),
    )


def membership_queue(user, community: Community) -> QuerySet[MembershipRequest]:
    """Pending requests of the grids this user looks after: all of them for the committee."""
    pending = MembershipRequest.objects.filter(
        grid__community=community, status=MembershipRequest.Status.PENDING
    )
    if not permissions.is_committee(user, community):
        grid_ids = [
            m.grid_id for m in permissions.memberships(user) if m.role == Role.GRID_WORKER
        ]
        pending = pending.filter(grid_id__in=grid_ids)
    return pending.select_related("user", "grid").order_by("created_at")


def workers_of(grid: Grid) -> QuerySet[Membership]:
    return grid.memberships.filter(role=Role.GRID_WORKER).select_related("user")


def residents_of(grid: Grid) -> QuerySet[Membership]:
    return grid.memberships.filter(role=Role.RESIDENT).select_related("user").order_by("unit")


def recent_membership_decisions(user, community: Community, limit: int = 10):
    decided = MembershipRequest.objects.filter(grid__community=community).exclude(
        status=MembershipRequest.Status.PENDING
    )
    if not permissions.is_committee(user, community):
        grid_ids = [
            m.grid_id for m in permissions.memberships(user) if m.role == Membership.Role.GRID_WORKER
        ]
        decided = decided.filter(grid_id__in=grid_ids)
    return decided.select_related("user", "grid", "decided_by").order_by("-decided_at")[:limit]


def holders(role, *, community=None, grid=None, organisation=None, organisations=None) -> QuerySet[User]:
    """The people who hold ``role`` (one role or a list) here — in a community, a grid or organisations — in one query.

    Every condition applies to the same membership: a resident of grid 2 is not a resident "of
    grid 1" because they are a grid worker there.
    """
    where = Q(memberships__role__in=[role] if isinstance(role, str) else list(role))
    if community is not None:
        where &= Q(memberships__community=community)
    if grid is not None:
        where &= Q(memberships__grid=grid)
    if organisation is not None:
        where &= Q(memberships__organisation=organisation)
    if organisations is not None:
        where &= Q(memberships__organisation__in=organisations)
    return User.objects.filter(where).distinct()


def map_shapes(community: Community, grids) -> tuple[list, list]:
    """The grids (annotated with ``open`` and ``overdue`` issues where counted) and the community's buildings as
    shapes for ``community.maps``: one query for the buildings, the grids as given."""
    shapes = [GridShape(g.number, g.local_name, reverse("insights:grid-detail", args=[community.slug, g.number]),
                        g.outline, getattr(g, "open", 0), getattr(g, "overdue", 0)) for g in grids]
    buildings = [BuildingShape(pk, name, number, outline) for pk, name, number, outline in
                 Building.objects.filter(community=community).order_by("grid__number", "name")
                 .values_list("pk", "name", "grid__number", "outline")]
    return shapes, buildings
