"""Issue pages and grid lists are told, after the commit, that an issue changed."""

from django.db import transaction

from core.realtime import send_to_group


def issue_group(issue_id: int) -> str:
    return f"issue.{issue_id}"


def issue_list_group(grid_id: int) -> str:
    return f"issue-list.{grid_id}"


def publish_issue_changed_on_commit(issue, event_id: int | None = None) -> None:
    """Tell open issue pages and the grid's list that this issue changed.

    The frame carries ids only: each client fetches what it may see over HTTP,
    so nothing private travels on a shared group.
    """
    event = {"type": "issue.changed", "issue_id": issue.pk, "event_id": event_id, "status": issue.status}
    transaction.on_commit(lambda: send_to_group(issue_group(issue.pk), event), robust=True)
    transaction.on_commit(lambda: send_to_group(issue_list_group(issue.grid_id), event), robust=True)
