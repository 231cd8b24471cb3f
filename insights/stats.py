"""Scorecards: the community's figures over time and participation by age band (small groups merged)."""

from collections import Counter
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from community.models import Community
from consult.models import Comment, Proposal, Support
from consult.selectors import SMALLEST_GROUP, by_age_band
from issues.models import Issue

MONTHS = 12


def months_back(today: date, count: int = MONTHS) -> list[date]:
    """The first day of this month and the ``count - 1`` months before it, oldest first."""
    first = today.replace(day=1)
    out = []
    for _step in range(count):
        out.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(out))


def monthly(rows: list[dict]) -> list[dict]:
    """Per month of the last year: issues raised and issues resolved, from the issues' rows (see scorecard)."""
    months = months_back(timezone.localdate())
    raised, resolved = Counter(), Counter()
    since = timezone.make_aware(datetime.combine(months[0], time.min))
    for row in rows:
        if row["created_at"] >= since:
            raised[timezone.localtime(row["created_at"]).date().replace(day=1)] += 1
        if row["resolved_at"] and row["resolved_at"] >= since:
            resolved[timezone.localtime(row["resolved_at"]).date().replace(day=1)] += 1
    top = max([*raised.values(), *resolved.values(), 1])
    return [
        {"month": m, "raised": raised[m], "resolved": resolved[m],
         "raised_height": round(120 * raised[m] / top), "raised_y": 130 - round(120 * raised[m] / top),
         "resolved_height": round(120 * resolved[m] / top), "resolved_y": 130 - round(120 * resolved[m] / top),
         "x": 40 * n + 4, "x2": 40 * n + 20, "label_x": 40 * n + 6}
        for n, m in enumerate(months)
    ]


def participation_by_age(community: Community) -> dict:
    """People who raised an issue, proposed, commented or supported, by age band; groups under 5 merged."""
    people = set(Issue.objects.filter(community=community).exclude(reporter=None).values_list("reporter_id", flat=True))
    people |= set(Proposal.objects.filter(consultation__community=community).exclude(author=None)
                  .values_list("author_id", flat=True))
    people |= set(Comment.objects.filter(consultation__community=community, deleted_at=None).exclude(author=None)
                  .values_list("author_id", flat=True))
    people |= set(Support.objects.filter(proposal__consultation__community=community).values_list("user_id", flat=True))
    too_few = len(people) < SMALLEST_GROUP
    ages = by_age_band(people)  # counted always: the same queries whatever the number of people
    return {"people": len(people), "too_few": too_few, "rows": [] if too_few else ages}
