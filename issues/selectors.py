"""Reads for issue pages and the follow-up ledger: a fixed number of queries whatever the data size."""

from datetime import datetime, time
from statistics import median

from django.db.models import Case, Count, DateTimeField, F, Q, QuerySet, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from community import maps, permissions
from community import selectors as community_selectors
from community.models import Community, Grid, Membership, Organisation
from community.selectors import work_calendar
from community.workdays import add_working_days
from issues.models import Category, Issue, IssueFollow, Rating
from ledger.models import Task

Status = Issue.Status


def issue_queryset() -> QuerySet[Issue]:
    return Issue.objects.select_related("community", "grid__community", "category", "reporter", "entered_by",
                                        "building", "assignee")


def issue_list(community: Community, *, grid=None, category=None, status="", tier="", sort="",
               q="") -> QuerySet[Issue]:
    """The filtered list. Followers are counted in the query only to sort by them; otherwise a page's
    issues get their counts from ``with_followers`` (counting for every issue would cost a pass over all)."""
    issues = Issue.objects.filter(community=community).select_related("grid__community", "category", "reporter")
    if sort == "-followers":
        issues = issues.annotate(followers=Count("follows", distinct=True))
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
    for word in q.split()[:5]:  # every word, in the title, the text or the place
        issues = issues.filter(Q(title__icontains=word) | Q(body__icontains=word) | Q(location__icontains=word))
    return issues.order_by(sort or "-created_at", "-pk")


def with_followers(issues) -> list[Issue]:
    """The issues (a page of them) with ``followers`` set: one query."""
    issues = list(issues)
    missing = [i.pk for i in issues if not hasattr(i, "followers")]
    if missing:
        counts = dict(IssueFollow.objects.filter(issue_id__in=missing).values("issue_id")
                      .annotate(n=Count("pk")).values_list("issue_id", "n"))
        for issue in issues:
            if not hasattr(issue, "followers"):
                issue.followers = counts.get(issue.pk, 0)
    return issues


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
        # Past the deadline counts as escalated even before the minutely sweep has marked it.
        escalated = (Q(escalated_at__isnull=False, status__in=[Status.NEW, Status.NEEDS_INFO])
                     | Q(status=Status.NEW, response_due_at__lt=queue["now"]))
        queue["escalated"] = base.filter(escalated).order_by(Coalesce("escalated_at", "response_due_at"), "pk")
        queue["emergencies"] = base.filter(status=Status.IN_PROGRESS, tier=Issue.Tier.EMERGENCY)
        # Major issues wait here until the committee decides how they are handled (a task, a consultation…).
        waiting_major = Q(tier=Issue.Tier.MAJOR, tasks__isnull=True, consultations__isnull=True)
        queue["major"] = base.filter(waiting_major, status=Status.IN_PROGRESS).order_by("created_at")
        # Each issue is listed once: under the most pressing heading it belongs to.
        queue["untriaged"] = queue["untriaged"].exclude(escalated)
        queue["in_progress"] = queue["in_progress"].exclude(tier=Issue.Tier.EMERGENCY).exclude(
            pk__in=queue["major"].values("pk"))
    return queue


def rating_summary(issue: Issue) -> dict:
    scores = list(issue.ratings.filter(round=issue.resolution_round).values_list("score", flat=True))
    return {"count": len(scores), "average": round(sum(scores) / len(scores), 1) if scores else None}


def _hours(delta) -> float:
    return round(delta.total_seconds() / 3600, 1)


class _Tally:
    """Accumulates one group's figures."""

    def __init__(self):
        self.raised = self.open = self.within = self.answered = self.overdue_tasks = 0
        self.response, self.resolution, self.scores = [], [], []

    def add_issue(self, created, first, resolved, closed, status, due) -> None:
        self.raised += 1
        self.open += status in Issue.OPEN_STATUSES
        if first:
            self.answered += 1
            self.within += first <= due
            self.response.append(_hours(first - created))
        elif timezone.now() > due and status in Issue.OPEN_STATUSES:
            self.answered += 1  # still unanswered past its deadline: a miss
        end = resolved or (closed if status == Status.CLOSED else None)
        if end and status in (Status.RESOLVED, Status.CLOSED):
            self.resolution.append(_hours(end - created))

    def result(self) -> dict:
        return {
            "raised": self.raised,
            "open": self.open,
            "median_response_hours": median(self.response) if self.response else None,
            "answered_in_time": round(100 * self.within / self.answered) if self.answered else None,
            "median_resolution_hours": median(self.resolution) if self.resolution else None,
            "satisfaction": round(sum(self.scores) / len(self.scores), 1) if self.scores else None,
            "ratings": len(self.scores),
            "overdue_tasks": self.overdue_tasks,
        }


def figures(issues: QuerySet[Issue], by: str | None = None) -> list[tuple[object, dict]] | dict:
    """How issues were handled: counts, median response and resolution, satisfaction, overdue tasks.

    ``by`` groups them by "grid", "category" or "organisation" (the organisations that owned
    their tasks). A fixed number of queries, whatever the number of issues or groups.
    """
    return scorecard(issues, [by] if by else [])[by or "all"]


def scorecard(issues: QuerySet[Issue], groupings: list[str]) -> dict:
    """The figures of all the issues (``"all"``) and grouped each way asked, read in one pass.

    Four queries whatever the data (issues, ratings, tasks, the owners' tasks), plus one per grouping
    for the groups' names. ``"rows"`` gives the issues' dates back, for charts over time.
    """
    today = timezone.localdate()
    rows = list(issues.values("pk", "grid_id", "category_id", "created_at", "first_response_at", "resolved_at",
                              "closed_at", "status", "response_due_at"))
    tallies: dict[str, dict] = {"all": {}, **{by: {} for by in groupings}}
    owners: dict = {}
    if "organisation" in groupings:
        for org, issue_id, due, status in Task.objects.filter(
            issue__in=issues, owner_organisation__isnull=False
        ).values_list("owner_organisation_id", "issue_id", "due_date", "status"):
            owners.setdefault(issue_id, set()).add(org)
            if due < today and status not in Task.FINISHED:
                tallies["organisation"].setdefault(org, _Tally()).overdue_tasks += 1

    def groups_of(row) -> dict[str, list]:
        found = {"all": [None]}
        for by in groupings:
            found[by] = list(owners.get(row["pk"], ())) if by == "organisation" else [row[f"{by}_id"]]
        return found

    group_by_issue = {}
    for row in rows:
        group_by_issue[row["pk"]] = groups = groups_of(row)
        for by, keys in groups.items():
            for key in keys:
                tallies[by].setdefault(key, _Tally()).add_issue(
                    row["created_at"], row["first_response_at"], row["resolved_at"], row["closed_at"],
                    row["status"], row["response_due_at"],
                )
    for issue_id, score in Rating.objects.filter(issue__in=issues).values_list("issue_id", "score"):
        for by, keys in group_by_issue.get(issue_id, {}).items():
            for key in keys:
                tallies[by][key].scores.append(score)
    for issue_id in Task.objects.filter(issue__in=issues, due_date__lt=today).exclude(
        status__in=Task.FINISHED
    ).values_list("issue_id", flat=True):
        for by, keys in group_by_issue.get(issue_id, {}).items():
            if by != "organisation":  # an organisation's overdue tasks are counted from its own tasks above
                for key in keys:
                    tallies[by][key].overdue_tasks += 1
    result: dict = {"all": (tallies["all"].get(None) or _Tally()).result(), "rows": rows}
    for by in groupings:
        model = {"grid": Grid, "category": Category, "organisation": Organisation}[by]
        rows_of = model.objects.select_related("community") if model is Grid else model.objects  # a grid links by it
        names = rows_of.in_bulk([g for g in tallies[by] if g is not None])
        result[by] = sorted(((names[g], t.result()) for g, t in tallies[by].items() if g in names),
                            key=lambda pair: str(pair[0]))
    return result


def grids_on_map(community: Community) -> QuerySet[Grid]:
    """The community's grids with their ``open`` and ``overdue`` issues, in one query. Overdue: open past its
    resolution deadline, or awaiting triage past its response deadline."""
    now = timezone.now()
    open_ = Q(issues__status__in=Issue.OPEN_STATUSES)
    late = Q(issues__resolution_due_at__lt=now) | Q(issues__status=Status.NEW, issues__response_due_at__lt=now)
    return community.grids.annotate(open=Count("issues", filter=open_),  # a grouped query keeps no model order
                                    overdue=Count("issues", filter=open_ & late)).order_by("number")


def building_map(community: Community, grids) -> str:
    """The map to pick a building on when raising an issue: the grids one may raise in, with their buildings."""
    grids = list(grids)
    shapes, buildings = community_selectors.map_shapes(community, grids)
    numbers = {g.number for g in grids}
    return maps.render(shapes, [b for b in buildings if b.grid_number in numbers], title="", pick=True,
                       focus=grids[0].number if len(grids) == 1 else None)


# Grid workers' load --------------------------------------------------------------------------

# When an open issue is due: its response while it awaits triage, its resolution once taken up.
DUE_AT = Case(
    When(status=Status.NEW, then=F("response_due_at")),
    When(status=Status.IN_PROGRESS, then=F("resolution_due_at")),
    default=None,
    output_field=DateTimeField(),
)
LOADED = [Status.NEW, Status.NEEDS_INFO, Status.IN_PROGRESS]


def due_soon_until(community: Community, now) -> datetime:
    """"Due soon": before the end of office hours of the next working day (1 query, the local days)."""
    return add_working_days(now, 1, work_calendar(community))


def my_day(user, community: Community) -> dict:
    """A grid worker's open items — issues in their charge, and their grids' shared ones not yet taken up —
    with what is overdue and what is due soon (4 queries)."""
    now = timezone.now()
    soon = due_soon_until(community, now)
    grid_ids = [m.grid_id for m in permissions.memberships(user)
                if m.role == Membership.Role.GRID_WORKER and m.community_id == community.pk]
    items = Issue.objects.filter(community=community).filter(
        Q(assignee=user, status__in=LOADED) | Q(grid_id__in=grid_ids, assignee=None, status__in=LOADED)
    ).annotate(due_at=DUE_AT).select_related("grid__community", "category", "assignee")
    return {
        "my_open": items.count(),
        "my_overdue": list(items.filter(due_at__lt=now).order_by("due_at", "pk")),
        "my_due_soon": list(items.filter(due_at__gte=now, due_at__lt=soon).order_by("due_at", "pk")),
        "soon": soon,
    }


def _load_counts(issues: QuerySet, now, soon, month_start) -> QuerySet:
    return issues.alias(due_at=DUE_AT).annotate(
        open=Count("pk", filter=Q(status__in=LOADED)),
        overdue=Count("pk", filter=Q(status__in=LOADED, due_at__lt=now)),
        due_soon=Count("pk", filter=Q(status__in=LOADED, due_at__gte=now, due_at__lt=soon)),
        resolved=Count("pk", filter=Q(resolved_at__gte=month_start)),
    )


def worker_load(community: Community) -> dict:
    """Every grid worker's load, grid by grid: open, due soon, overdue, resolved this month, and their open
    issues; and per grid what no one has taken up yet (5 queries)."""
    now = timezone.now()
    soon = due_soon_until(community, now)
    month_start = timezone.make_aware(datetime.combine(timezone.localdate().replace(day=1), time()))
    base = Issue.objects.filter(community=community)
    zero = {"open": 0, "overdue": 0, "due_soon": 0, "resolved": 0}
    counts = {(row["assignee_id"], row["grid_id"]): row for row in _load_counts(
        base.filter(assignee__isnull=False).values("assignee_id", "grid_id"), now, soon, month_start)}
    shared = {row["grid_id"]: row for row in _load_counts(
        base.filter(assignee=None, status__in=LOADED).values("grid_id"), now, soon, month_start)}
    open_issues: dict = {}
    for issue in (base.filter(assignee__isnull=False, status__in=LOADED).annotate(due_at=DUE_AT)
                  .select_related("grid__community", "category").order_by(F("due_at").asc(nulls_last=True), "pk")):
        open_issues.setdefault((issue.assignee_id, issue.grid_id), []).append(issue)
    grids = []
    workers = (Membership.objects.filter(community=community, role=Membership.Role.GRID_WORKER)
               .select_related("user", "grid").order_by("grid__number", "user__display_name", "user_id"))
    for membership in workers:
        if not grids or grids[-1]["grid"].pk != membership.grid_id:
            grids.append({"grid": membership.grid, "workers": [], "shared": shared.get(membership.grid_id, zero)})
        key = (membership.user_id, membership.grid_id)
        grids[-1]["workers"].append({"user": membership.user, **zero, **counts.get(key, {}),
                                     "issues": open_issues.get(key, [])})
    return {"grids": grids, "soon": soon, "month_start": month_start, "now": now}
