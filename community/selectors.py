"""Reads that pages share: each runs a fixed number of queries whatever the data size."""

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.db.models import Case, Count, Prefetch, Q, QuerySet, When
from django.urls import reverse

from community import permissions
from community.maps import BuildingShape, GridShape
from community.models import (
    Building,
    Community,
    DeadlineUnit,
    Grid,
    LocalDay,
    Membership,
    MembershipRequest,
    Organisation,
    User,
)
from community.workdays import WorkCalendar, is_working_day, national_calendar_known, national_day

Role = Membership.Role


def grids_with_counts(community: Community) -> QuerySet[Grid]:
    """The community's grids with resident counts and their grid workers (2 queries)."""
    workers = Membership.objects.filter(role=Role.GRID_WORKER).select_related("user")
    return community.grids.annotate(
        resident_count=Count("memberships", filter=Q(memberships__role=Role.RESIDENT))
    ).prefetch_related(Prefetch("memberships", queryset=workers, to_attr="workers")).order_by("number")  # grouped:
    # a query with an aggregate keeps no model order, and PostgreSQL returns the rows as they lie


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


def work_calendar(community: Community) -> WorkCalendar:
    """The community's working calendar: its local days (1 query), office hours and the site's time zone."""
    days = {LocalDay.Kind.OFF: set(), LocalDay.Kind.WORK: set()}
    for day, kind in community.local_days.values_list("day", "kind"):
        days[kind].add(day)
    return WorkCalendar(days_off=frozenset(days[LocalDay.Kind.OFF]), extra_days=frozenset(days[LocalDay.Kind.WORK]),
                        office_hours=community.office_hours, zone=settings.TIME_ZONE)


def describe_deadline(amount: int | None, unit: str) -> str:
    """“2 working days”, “16 working hours”, “48 hours”, in the reader's language."""
    if unit == DeadlineUnit.WORKING_DAYS:
        return ngettext("%(n)s working day", "%(n)s working days", amount) % {"n": amount}
    if unit == DeadlineUnit.WORKING_HOURS:
        return ngettext("%(n)s working hour", "%(n)s working hours", amount) % {"n": amount}
    return ngettext("%(n)s hour", "%(n)s hours", amount) % {"n": amount}


# The library names the national holidays in English; these are their names in the reader's language.
HOLIDAY_NAMES = {
    "New Year's Day": gettext_lazy("New Year's Day"),
    "Spring Festival": gettext_lazy("Spring Festival"),
    "Tomb-sweeping Day": gettext_lazy("Qingming Festival"),
    "Labour Day": gettext_lazy("Labour Day"),
    "Dragon Boat Festival": gettext_lazy("Dragon Boat Festival"),
    "National Day": gettext_lazy("National Day"),
    "Mid-autumn Festival": gettext_lazy("Mid-Autumn Festival"),
    "Anti-Fascist 70th Day": gettext_lazy("Victory Day (70th anniversary)"),
}


@dataclass
class CalendarDay:
    day: date
    working: bool
    kind: str  # "work", "weekend", "holiday", "makeup", "local_off", "local_work"
    label: str = ""
    local: LocalDay | None = None


def calendar_month(community: Community, year: int, month: int) -> dict:
    """One month of the community's working calendar, in weeks from Monday, with its special days (1 query)."""
    local_days = {d.day: d for d in community.local_days.all()}
    calendar = WorkCalendar(
        days_off=frozenset(d for d, x in local_days.items() if x.kind == LocalDay.Kind.OFF),
        extra_days=frozenset(d for d, x in local_days.items() if x.kind == LocalDay.Kind.WORK),
        office_hours=community.office_hours, zone=settings.TIME_ZONE)
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([_calendar_day(day, calendar, local_days.get(day)) if day.month == month else None
                      for day in week])
    special = []  # runs of days alike (1–7 October, National Day) as (first, last, day)
    for d in (d for week in weeks for d in week if d and d.kind not in ("work", "weekend")):
        run = special[-1] if special else None
        if run and d.local is None and run[2].local is None and (run[2].kind, run[2].label) == (d.kind, d.label) \
                and (d.day - run[1]).days == 1:
            special[-1] = (run[0], d.day, run[2])
        else:
            special.append((d.day, d.day, d))
    return {"weeks": weeks, "special": special, "national_known": national_calendar_known(year),
            "local_days": sorted(local_days.values(), key=lambda d: d.day, reverse=True)}


def _calendar_day(day: date, calendar: WorkCalendar, local: LocalDay | None) -> CalendarDay:
    working = is_working_day(day, calendar)
    if local is not None:
        kind = "local_work" if local.kind == LocalDay.Kind.WORK else "local_off"
        return CalendarDay(day, working, kind, local.note or str(local.get_kind_display()), local)
    national = national_day(day)
    if national is not None and national[1]:
        name = str(HOLIDAY_NAMES.get(national[1], national[1]))
        if national[0]:
            return CalendarDay(day, False, "holiday", name)
        return CalendarDay(day, True, "makeup", _("Make-up working day for %(holiday)s") % {"holiday": name})
    return CalendarDay(day, working, "work" if working else "weekend")
