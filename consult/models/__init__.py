from consult.models.accounts import AgeBand, User
from consult.models.community import (
    Community,
    Grid,
    Membership,
    MembershipRequest,
    Organisation,
)
from consult.models.issues import (
    Category,
    Issue,
    IssueCase,
    IssueEvent,
    IssueFollow,
    IssuePhoto,
    Rating,
)
from consult.models.ledger import Decision, Task, TaskUpdate
from consult.models.notifications import Notification

__all__ = [
    "AgeBand",
    "Category",
    "Community",
    "Decision",
    "Grid",
    "Issue",
    "IssueCase",
    "IssueEvent",
    "IssueFollow",
    "IssuePhoto",
    "Membership",
    "MembershipRequest",
    "Notification",
    "Organisation",
    "Rating",
    "Task",
    "TaskUpdate",
    "User",
]
