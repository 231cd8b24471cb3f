"""Closing polls on time, run by the task worker.

Every minute the scheduler enqueues ``close_due_polls`` (``settings.YISHI_SCHEDULE``); a poll opened
with a closing time also gets one run at that moment (``polls.services.open_poll``), so its count
appears within seconds. Until then its page reads "voting ended" and ballots are refused.
"""

from django.tasks import task

from polls import services


@task
def close_due_polls(poll_id: int | None = None) -> int:
    """Close and count the open polls whose closing time has passed (or just the one given)."""
    return services.close_due_polls(poll_id=poll_id)
