"""Reads for issue pages and the follow-up ledger: a fixed number of queries whatever the data size."""

from statistics import median

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from consult import permissions
from consult.models import Community, Grid, Issue, Membership, Rating, Task, TaskUpdate

Status = Issue.Status


def issue_queryset() -> QuerySet[Issue]:
    return Issue.objects.select_related("community", "grid__community", "category", "reporter", "entered_by")


def issue_list(community: Community, *, grid=None, category=None, status="", tier="", sort="") -> QuerySet[Issue]:
    issues = (
        Issue.objects.filter(community=community)
        .select_related("grid__community", "category", "reporter")
        .annotate(followers=Count("follows", distinct=True))
    )
    if grid:
        issues = issues.filter(grid=grid)
    if category:
        issues = issues.filter(category=category)
    if status == "open":
        issues = issues.filter(status__in=Issue.OPEN_STATUSES)
    elif status:
        issues = issues.filter(status=status)
    if tier:
        issues = issues.filter(tier=tier)
    return issues.order_by(sort or "-created_at", "-pk")


def grids_for_raising(user, community: Community) -> QuerySet[Grid]:
    """A resident raises in their own grid; grid workers and the committee in the grids they look after."""
    if permissions.is_committee(user, community):
        return community.grids.all()
    ids = [
        m.grid_id
        for m in permissions.memberships(user)
        if m.community_id == community.pk and m.role in (Membership.Role.RESIDENT, Membership.Role.GRID_WORKER)
    ]
    return community.grids.filter(pk__in=ids)


def work_queue(user, community: Community) -> dict:
    """What waits for this person: untriaged issues by deadline, and for the committee joint handling."""
    base = Issue.objects.filter(community=community).select_related("grid__community", "category", "reporter")
    if permissions.is_committee(user, community):
        mine = base
    else:
        grid_ids = [m.grid_id for m in permissions.memberships(user) if m.role == Membership.Role.GRID_WORKER]
        mine = base.filter(grid_id__in=grid_ids)
    queue = {
        "untriaged": mine.filter(status__in=[Status.NEW, Status.NEEDS_INFO]).order_by("response_due_at"),
        "in_progress": mine.filter(status=Status.IN_PROGRESS).order_by("-updated_at"),
        "is_committee": permissions.is_committee(user, community),
        "now": timezone.now(),
    }
    if queue["is_committee"]:
        queue["escalated"] = base.filter(
            escalated_at__isnull=False, status__in=[Status.NEW, Status.NEEDS_INFO]
        ).order_by("escalated_at")
        queue["emergencies"] = base.filter(status=Status.IN_PROGRESS, tier=Issue.Tier.EMERGENCY)
        queue["major"] = base.filter(status=Status.IN_PROGRESS, tier=Issue.Tier.MAJOR).order_by("created_at")
    return queue


def tasks_with_updates(tasks: QuerySet[Task]) -> QuerySet[Task]:
    updates = TaskUpdate.objects.select_related("author").order_by("created_at", "pk")
    return tasks.select_related("owner_user", "owner_organisation", "decision__community", "issue__grid").prefetch_related(
        Prefetch("updates", queryset=updates)
    )


def rating_summary(issue: Issue) -> dict:
    scores = list(issue.ratings.filter(round=issue.resolution_round).values_list("score", flat=True))
    return {"count": len(scores), "average": round(sum(scores) / len(scores), 1) if scores else None}


def _hours(delta) -> float:
    return round(delta.total_seconds() / 3600, 1)


def grid_figures(issues: QuerySet[Issue]) -> dict:
    """Satisfaction, median response and resolution times and overdue counts over a set of issues (3 queries)."""
    rows = list(issues.values_list("created_at", "first_response_at", "resolved_at", "closed_at", "status"))
    response = [_hours(first - created) for created, first, *_ in rows if first]
    resolution = [
        _hours((resolved or closed) - created)
        for created, _first, resolved, closed, status in rows
        if status in (Status.RESOLVED, Status.CLOSED) and (resolved or closed)
    ]
    scores = list(Rating.objects.filter(issue__in=issues).values_list("score", flat=True))
    overdue_tasks = Task.objects.filter(issue__in=issues, due_date__lt=timezone.localdate()).exclude(
        status__in=Task.FINISHED
    ).count()
    return {
        "raised": len(rows),
        "open": sum(1 for *_, status in rows if status in Issue.OPEN_STATUSES),
        "median_response_hours": median(response) if response else None,
        "median_resolution_hours": median(resolution) if resolution else None,
        "satisfaction": round(sum(scores) / len(scores), 1) if scores else None,
        "ratings": len(scores),
        "overdue_tasks": overdue_tasks,
    }

