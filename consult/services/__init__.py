"""Every state change of this app: one function per action, named for the user's verb."""

from consult.services.comments import (
    delete_comment,
    edit_comment,
    moderate,
    post_comment,
    report_content,
    upvote_comment,
)
from consult.services.consultations import (
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
from consult.services.proposals import (
    answer_proposal,
    edit_proposal,
    submit_proposal,
    support_proposal,
    withdraw_proposal,
    withdraw_support,
)

__all__ = [
    "advance_phase",
    "answer_proposal",
    "attach_file",
    "conclude_consultation",
    "create_consultation",
    "delete_comment",
    "edit_comment",
    "edit_proposal",
    "follow_consultation",
    "moderate",
    "post_comment",
    "record_consultation_decision",
    "remove_attachment",
    "report_content",
    "send_issue_to_consultation",
    "submit_proposal",
    "support_proposal",
    "unfollow_consultation",
    "update_consultation",
    "upvote_comment",
    "withdraw_proposal",
    "withdraw_support",
]
