"""Every state change of the consult app: one function per action, named for the user's verb.

Each service takes the acting user first and keyword-only arguments, runs in
one transaction, locks what it changes, checks permission, validates with a
message a person understands, writes, and schedules mail and real-time events
for after the commit.
"""

from consult.services.accounts import delete_account
from consult.services.comments import (
    delete_comment,
    edit_comment,
    moderate,
    post_comment,
    report_content,
    upvote_comment,
)
from consult.services.consultations import (
    add_decision_task,
    advance_phase,
    attach_file,
    conclude_consultation,
    create_consultation,
    follow_consultation,
    record_consultation_decision,
    remove_attachment,
    send_issue_to_consultation,
    unfollow_consultation,
    update_consultation,
)
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
from consult.services.notify import mark_notifications_read, send_digests
from consult.services.proposals import (
    answer_proposal,
    edit_proposal,
    submit_proposal,
    support_proposal,
    withdraw_proposal,
    withdraw_support,
)
from consult.services.tokens import authenticate_api_token, create_api_token, revoke_api_token

__all__ = [
    "add_decision_task",
    "advance_phase",
    "answer_proposal",
    "approve_membership_request",
    "ask_for_information",
    "assign_task",
    "attach_file",
    "authenticate_api_token",
    "comment_on_issue",
    "conclude_consultation",
    "create_api_token",
    "create_consultation",
    "decline_issue",
    "delete_account",
    "delete_comment",
    "edit_comment",
    "edit_proposal",
    "follow_consultation",
    "follow_issue",
    "mark_notifications_read",
    "merge_issue",
    "moderate",
    "post_comment",
    "post_task_update",
    "raise_issue",
    "rate_issue",
    "record_consultation_decision",
    "reject_membership_request",
    "remove_attachment",
    "report_content",
    "report_on_site",
    "request_membership",
    "resolve_issue",
    "revoke_api_token",
    "send_digests",
    "send_issue_to_consultation",
    "submit_proposal",
    "support_proposal",
    "sweep_issues",
    "sweep_issues_now_and_then",
    "triage_issue",
    "unfollow_consultation",
    "unfollow_issue",
    "update_consultation",
    "update_profile",
    "upvote_comment",
    "withdraw_membership_request",
    "withdraw_proposal",
    "withdraw_support",
]
