"""Early warning for the committee: trouble that is rising, repeating, or about to be late.

**Spikes.** For each grid × category, issues are counted per week (7-day windows ending today).
The latest week is a spike when it holds at least ``MIN_COUNT`` issues and more than the mean plus
two standard deviations of the previous ``BASELINE_WEEKS`` weeks (population standard deviation;
weeks without issues count as 0). A pair that never had issues before is a spike at ``MIN_COUNT``.

**Repeats.** Three or more issues in the last 30 days at the same place (the location text,
compared without case or surrounding spaces) within a grid.

**Tasks at risk.** Unfinished tasks that are overdue, or due within 7 days with less than half done.
"""

from collections import Counter, defaultdict
from datetime import timedelta
from statistics import mean, pstdev

from django.utils import timezone

from community.models import Community, Grid
from issues.models import Category, Issue
from ledger.models import Task

BASELINE_WEEKS = 8
MIN_COUNT = 3
REPEAT_DAYS = 30
REPEAT_AT = 3
RISK_DAYS = 7


def spikes(community: Community, now=None) -> list[dict]:
    now = now or timezone.now()
    since = now - timedelta(weeks=BASELINE_WEEKS + 1)
    counts: dict = defaultdict(Counter)
    rows = Issue.objects.filter(community=community, created_at__gt=since).values_list(
        "grid_id", "category_id", "created_at")
    for grid_id, category_id, created in rows:
        week = int((now - created) / timedelta(weeks=1))  # 0 = the last 7 days
        counts[(grid_id, category_id)][min(week, BASELINE_WEEKS)] += 1
    found = []
    for (grid_id, category_id), weeks in counts.items():
        latest = weeks[0]
        history = [weeks[w] for w in range(1, BASELINE_WEEKS + 1)]
        threshold = mean(history) + 2 * pstdev(history)
        if latest >= MIN_COUNT and latest > threshold:
            found.append({"grid_id": grid_id, "category_id": category_id, "latest": latest,
                          "usual": round(mean(history), 1), "threshold": round(threshold, 1)})
    grids = Grid.objects.in_bulk([f["grid_id"] for f in found])
    categories = Category.objects.in_bulk([f["category_id"] for f in found])
    for f in found:
        f["grid"], f["category"] = grids[f["grid_id"]], categories[f["category_id"]]
    return sorted(found, key=lambda f: -f["latest"])


def repeats(community: Community, now=None) -> list[dict]:
    now = now or timezone.now()
    places: dict = defaultdict(list)
    for issue in Issue.objects.filter(community=community, created_at__gt=now - timedelta(days=REPEAT_DAYS)).exclude(
            location="").select_related("grid").order_by("created_at"):
        places[(issue.grid_id, issue.location.strip().casefold())].append(issue)
    return sorted(
        ({"grid": issues[0].grid, "location": issues[-1].location, "issues": issues}
         for issues in places.values() if len(issues) >= REPEAT_AT),
        key=lambda r: -len(r["issues"]),
    )


def tasks_at_risk(community: Community, today=None) -> list[Task]:
    today = today or timezone.localdate()
    unfinished = Task.objects.filter(decision__community=community).exclude(status__in=Task.FINISHED)
    risky = unfinished.filter(due_date__lt=today) | unfinished.filter(
        due_date__lte=today + timedelta(days=RISK_DAYS), progress__lt=50)
    return list(risky.select_related("owner_user", "owner_organisation", "issue", "decision").order_by("due_date", "pk"))
