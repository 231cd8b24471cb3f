"""Every state change of the consult app: one function per action, named for the user's verb.

Each service takes the acting user first and keyword-only arguments, runs in
one transaction, locks what it changes, checks permission, validates with a
message a person understands, writes, and schedules mail and real-time events
for after the commit.
"""

from consult.services.issue_outcomes import (
    follow_issue,
    rate_issue,
    resolve_issue,
    sweep_issues,
    sweep_issues_now_and_then,
    unfollow_issue,
)
from consult.services.issues import (
    ask_for_information,
    assign_task,
    comment_on_issue,
    decline_issue,
    merge_issue,
    raise_issue,
    report_on_site,
    triage_issue,
)
from consult.services.ledger import post_task_update
from consult.services.membership import (
    approve_membership_request,
    reject_membership_request,
    request_membership,
    update_profile,
    withdraw_membership_request,
)
from consult.services.notify import mark_notifications_read

__all__ = [
    "approve_membership_request",
    "ask_for_information",
    "assign_task",
    "comment_on_issue",
    "decline_issue",
    "follow_issue",
    "mark_notifications_read",
    "merge_issue",
    "post_task_update",
    "raise_issue",
    "rate_issue",
    "reject_membership_request",
    "report_on_site",
    "request_membership",
    "resolve_issue",
    "sweep_issues",
    "sweep_issues_now_and_then",
    "triage_issue",
    "unfollow_issue",
    "update_profile",
    "withdraw_membership_request",
]
