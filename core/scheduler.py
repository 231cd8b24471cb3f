"""The periodic scheduler: enqueues each task of ``settings.YISHI_SCHEDULE`` at its interval.

It only enqueues; the worker runs. A task whose previous run still waits in the queue is not
enqueued again, so a worker that falls behind (or is stopped) finds one of each waiting, not a
pile. Run one scheduler per site (``manage.py run_scheduler``; ``make run`` starts it): a second
one would only enqueue the same idempotent sweeps twice as often.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import import_string


def schedule() -> list[tuple[Task, timedelta]]:
    """The periodic tasks and how often each runs."""
    return [(import_string(path), timedelta(seconds=seconds)) for path, seconds in settings.YISHI_SCHEDULE]


def _still_waiting(task: Task) -> bool:
    """Whether a run of this task is queued and not started (only the database backend can tell)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task.get_backend(), DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(task_path=task.module_path, status="READY").exists()


class Scheduler:
    """Remembers when it last enqueued each task; ``tick()`` enqueues those that are due."""

    def __init__(self) -> None:
        self.last: dict[str, datetime] = {}

    def tick(self, now: datetime | None = None) -> list[str]:
        """Enqueue every task that is due; returns their paths."""
        now = now or timezone.now()
        enqueued = []
        for task, every in schedule():
            last = self.last.get(task.module_path)
            if last is not None and now - last < every:
                continue
            self.last[task.module_path] = now
            if not _still_waiting(task):
                task.enqueue()
                enqueued.append(task.module_path)
        return enqueued
