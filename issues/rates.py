"""The three rates community offices are measured by — response, resolution, satisfaction — month by month.

For a month M (in the community's time zone):

- **Response rate**: of the issues whose response deadline fell in M and has passed or was met (the
  first response came), the share whose first response came by the deadline. An issue withdrawn before
  anyone answered is not counted.
- **Resolution rate**: of the issues whose resolution deadline (set when taken up) fell in M and has
  passed or was met, the share resolved by the deadline.
- **Satisfaction rate**: of the ratings given in M, the share scoring 4 or 5; 3 is shown apart as
  "basically satisfied" and is not in the satisfaction rate.

Each figure is kept as its two counts, so a rate is ``numerator / denominator`` exactly, in the page,
the CSV and the API alike. Groups: the whole community, each grid, each grid worker who answered the
issue (the grid worker in charge of it, else who took it up or first answered it), and each organisation that owned a follow-up task.
A fixed number of queries whatever the data.
"""

from dataclasses import dataclass, fields
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone

from community.models import Community, Grid, Organisation, User
from issues.models import Issue, IssueEvent, Rating
from ledger.models import Task

# The timeline entries that answer an issue, and so name the grid worker who answers for it.
ANSWERS = [IssueEvent.Kind.TRIAGED, IssueEvent.Kind.ASKED_INFO, IssueEvent.Kind.DECLINED, IssueEvent.Kind.MERGED]


@dataclass
class Counts:
    response_due: int = 0
    responded_in_time: int = 0
    resolution_due: int = 0
    resolved_in_time: int = 0
    ratings: int = 0
    ratings_4_5: int = 0
    ratings_3: int = 0

    @property
    def response_rate(self) -> Decimal | None:
        return percent(self.responded_in_time, self.response_due)

    @property
    def resolution_rate(self) -> Decimal | None:
        return percent(self.resolved_in_time, self.resolution_due)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return percent(self.ratings_4_5, self.ratings)

    @property
    def basically_satisfied_rate(self) -> Decimal | None:
        return percent(self.ratings_3, self.ratings)

    @property
    def empty(self) -> bool:
        return not (self.response_due or self.resolution_due or self.ratings)

    def as_dict(self) -> dict:
        counts = {f.name: getattr(self, f.name) for f in fields(self)}
        return {**counts, "response_rate": self.response_rate, "resolution_rate": self.resolution_rate,
                "satisfaction_rate": self.satisfaction_rate, "basically_satisfied_rate": self.basically_satisfied_rate}


def percent(part: int, whole: int) -> Decimal | None:
    """``part / whole`` as a percentage with one decimal, rounded half up; None when nothing was due."""
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first instant of ``month`` and of the month after, in the current time zone."""
    start = month.replace(day=1)
    after = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return (timezone.make_aware(datetime.combine(start, time.min)),
            timezone.make_aware(datetime.combine(after, time.min)))


def parse_month(value: str | None, default: date) -> date:
    """``YYYY-MM`` to the month's first day; anything else gives ``default``'s month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1) if 2000 <= year <= 2200 else default.replace(day=1)
    except ValueError:
        return default.replace(day=1)


def rates(community: Community, month: date, *, with_workers: bool) -> dict:
    """The month's counts and rates for the community and each grid, worker (if asked) and organisation."""
    start, end = month_bounds(month)
    now = timezone.now()
    in_month = Q(response_due_at__gte=start, response_due_at__lt=end) | Q(
        resolution_due_at__gte=start, resolution_due_at__lt=end)
    rows = list(Issue.objects.filter(in_month, community=community).values(
        "pk", "grid_id", "status", "response_due_at", "first_response_at", "resolution_due_at", "resolved_at",
        "assignee_id"))
    scores = list(Rating.objects.filter(issue__community=community, created_at__gte=start, created_at__lt=end)
                  .values_list("issue_id", "issue__grid_id", "score"))
    issue_ids = {row["pk"] for row in rows} | {issue_id for issue_id, _grid, _score in scores}
    workers: dict[int, int] = {}
    for issue_id, actor in (IssueEvent.objects.filter(issue_id__in=issue_ids, kind__in=ANSWERS, actor__isnull=False)
                            .order_by("-created_at", "-pk").values_list("issue_id", "actor_id")):
        workers[issue_id] = actor  # newest first, so the earliest answer stays
    taken = dict(IssueEvent.objects.filter(issue_id__in=issue_ids, kind=IssueEvent.Kind.TRIAGED, actor__isnull=False)
                 .order_by("-created_at", "-pk").values_list("issue_id", "actor_id"))
    workers.update(taken)  # who took the issue up answers for it
    # ... unless it was handed over: the grid worker in charge now answers for it.
    workers.update({row["pk"]: row["assignee_id"] for row in rows if row["assignee_id"]})
    workers.update(dict(Issue.objects.filter(pk__in={i for i, _g, _s in scores}, assignee__isnull=False)
                        .values_list("pk", "assignee_id")))
    owners: dict[int, set] = {}
    for issue_id, organisation in (Task.objects.filter(issue_id__in=issue_ids, owner_organisation__isnull=False)
                                   .values_list("issue_id", "owner_organisation_id")):
        owners.setdefault(issue_id, set()).add(organisation)

    groups: dict[str, dict] = {"community": {None: Counts()}, "grid": {}, "worker": {}, "organisation": {}}

    def counts_of(issue_id: int, grid_id: int) -> list[Counts]:
        found = [groups["community"][None], groups["grid"].setdefault(grid_id, Counts())]
        if with_workers and issue_id in workers:
            found.append(groups["worker"].setdefault(workers[issue_id], Counts()))
        found += [groups["organisation"].setdefault(org, Counts()) for org in sorted(owners.get(issue_id, ()))]
        return found

    for row in rows:
        response = _response(row, start, end, now)
        resolution = _resolution(row, start, end, now)
        if response is None and resolution is None:
            continue
        for counts in counts_of(row["pk"], row["grid_id"]):
            if response is not None:
                counts.response_due += 1
                counts.responded_in_time += response
            if resolution is not None:
                counts.resolution_due += 1
                counts.resolved_in_time += resolution
    for issue_id, grid_id, score in scores:
        for counts in counts_of(issue_id, grid_id):
            counts.ratings += 1
            counts.ratings_4_5 += score >= 4
            counts.ratings_3 += score == 3

    names = {
        "grid": Grid.objects.select_related("community").in_bulk(list(groups["grid"])),  # a grid links by it
        "worker": User.objects.in_bulk(list(groups["worker"])),
        "organisation": Organisation.objects.in_bulk(list(groups["organisation"])),
    }
    result = {"month": month, "start": start, "end": end, "so_far": end > now,
              "community": groups["community"][None], "with_workers": with_workers}
    for kind, found in names.items():
        rows_of_kind = [(found[key], counts) for key, counts in groups[kind].items() if key in found]
        if kind == "grid":
            rows_of_kind.sort(key=lambda pair: pair[0].number)
        else:
            rows_of_kind.sort(key=lambda pair: str(pair[0]))
        result[kind] = rows_of_kind
    return result


def _response(row: dict, start: datetime, end: datetime, now: datetime) -> bool | None:
    """Whether the issue was answered in time, if its response was due in the month; None if not counted."""
    due, first = row["response_due_at"], row["first_response_at"]
    if not (start <= due < end):
        return None
    if first is None and (due > now or row["status"] == Issue.Status.WITHDRAWN):
        return None  # not due yet, or withdrawn before anyone answered
    return first is not None and first <= due


def _resolution(row: dict, start: datetime, end: datetime, now: datetime) -> bool | None:
    """Whether the issue was resolved in time, if its resolution was due in the month; None if not counted."""
    due, resolved = row["resolution_due_at"], row["resolved_at"]
    if due is None or not (start <= due < end):
        return None
    if resolved is None and due > now:
        return None
    return resolved is not None and resolved <= due


CSV_HEADER = ["month", "group", "name", *(f.name for f in fields(Counts)),
              "response_rate", "resolution_rate", "satisfaction_rate", "basically_satisfied_rate"]


def csv_rows(figures: dict):
    """The month's figures as CSV rows, the community first: counts, then the rates computed from them."""
    month = figures["month"].strftime("%Y-%m")
    kinds = ["grid", *(["worker"] if figures["with_workers"] else []), "organisation"]
    entries = [("community", "", figures["community"])]
    for kind in kinds:
        for who, counts in figures[kind]:
            entries.append((kind, who.public_name if kind == "worker" else str(who), counts))
    for kind, name, counts in entries:
        as_dict = counts.as_dict()
        yield [month, kind, name, *(as_dict[f.name] for f in fields(Counts)),
               *("" if as_dict[key] is None else str(as_dict[key])
                 for key in ("response_rate", "resolution_rate", "satisfaction_rate", "basically_satisfied_rate"))]
