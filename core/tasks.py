"""Background work of the shared machinery: sending queued mail, retrying it, forgetting old results.

Tasks run in the worker (``manage.py db_worker``), never in a request. A task's arguments and
return value are JSON, stored by the database backend (django-tasks-db).
"""

import logging
from datetime import timedelta

from django.core.mail import mailers
from django.tasks import Task, task
from django.utils import timezone

logger = logging.getLogger(__name__)

# A failed mail is tried again after 1 minute, 5 minutes, 30 minutes and 2 hours: five attempts over
# about two and a half hours. Each failed attempt stays in the admin as a failed task with its error.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
# Finished results are kept this long, so staff can look back; failures longer than successes.
KEEP_SUCCESSFUL = timedelta(days=7)
KEEP_FAILED = timedelta(days=30)


def retry_later(task_: Task, attempt: int, *args, **kwargs) -> bool:
    """Enqueue ``task_`` again with ``attempt + 1`` after the next delay; False when attempts are used up."""
    if attempt > len(RETRY_DELAYS):
        logger.error("%s failed on its last attempt (%s); not retried.", task_.name, attempt)
        return False
    delay = RETRY_DELAYS[attempt - 1]
    task_.using(run_after=timezone.now() + delay).enqueue(*args, attempt=attempt + 1, **kwargs)
    logger.warning("%s failed (attempt %s); retrying in %s.", task_.name, attempt, delay)
    return True


@task
def send_email(message: dict, mailer: str = "outgoing", attempt: int = 1) -> int:
    """Send one queued message through the real mailer; on failure try again later, and fail visibly."""
    from core.mail import message_from_dict

    try:
        return mailers[mailer].send_messages([message_from_dict(message)]) or 0
    except Exception:
        retry_later(send_email, attempt, message, mailer=mailer)
        raise  # this attempt is recorded as failed, with its traceback


@task
def prune_task_results() -> dict[str, int]:
    """Delete finished task results older than a week (failed ones: a month)."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    successful, _ = DBTaskResult.objects.successful().filter(finished_at__lt=now - KEEP_SUCCESSFUL).delete()
    failed, _ = DBTaskResult.objects.failed().filter(finished_at__lt=now - KEEP_FAILED).delete()
    return {"successful": successful, "failed": failed}
