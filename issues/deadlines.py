"""An issue's deadlines on its community's working calendar: the response due, the resolution due.

A category's own deadline, where set, overrides the community's. Deadlines are computed when the
clock starts (raised, the reporter's answer, taken up) and stored on the issue: changing the calendar
or the settings later moves no deadline already set.
"""

from datetime import datetime

from community.models import Community
from community.selectors import work_calendar
from community.workdays import WorkCalendar, due_after
from issues.models import Category


def response_deadline(community: Community, category: Category | None) -> tuple[int, str]:
    if category is not None and category.response_deadline:
        return category.response_deadline, category.response_deadline_unit
    return community.response_deadline, community.response_deadline_unit


def resolution_deadline(community: Community, category: Category | None) -> tuple[int, str]:
    if category is not None and category.resolution_deadline:
        return category.resolution_deadline, category.resolution_deadline_unit
    return community.resolution_deadline, community.resolution_deadline_unit


def response_due(community: Community, category: Category | None, start: datetime,
                 calendar: WorkCalendar | None = None) -> datetime:
    """When the grid workers owe a response to an issue raised (or answered) at ``start``."""
    amount, unit = response_deadline(community, category)
    return due_after(start, amount, unit, calendar or work_calendar(community))


def resolution_due(community: Community, category: Category | None, start: datetime,
                   calendar: WorkCalendar | None = None) -> datetime:
    """When an issue taken up at ``start`` should be resolved."""
    amount, unit = resolution_deadline(community, category)
    return due_after(start, amount, unit, calendar or work_calendar(community))
