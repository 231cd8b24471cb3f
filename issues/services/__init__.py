"""Every state change of this app: one function per action, named for the user's verb."""

from issues.services.assignment import hand_over_issue
from issues.services.handling import (
    ask_for_information,
    assign_task,
    comment_on_issue,
    decline_issue,
    edit_own_issue,
    merge_issue,
    raise_issue,
    report_on_site,
    triage_issue,
    withdraw_issue,
)
from issues.services.outcomes import (
    follow_issue,
    rate_issue,
    resolve_issue,
    sweep_issues,
    unfollow_issue,
)

__all__ = [
    "ask_for_information",
    "assign_task",
    "comment_on_issue",
    "decline_issue",
    "edit_own_issue",
    "follow_issue",
    "hand_over_issue",
    "merge_issue",
    "raise_issue",
    "rate_issue",
    "report_on_site",
    "resolve_issue",
    "sweep_issues",
    "triage_issue",
    "unfollow_issue",
    "withdraw_issue",
]
