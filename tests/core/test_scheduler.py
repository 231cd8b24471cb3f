"""The scheduler enqueues the periodic tasks; the worker runs them through the database backend."""

import io

from django.conf import settings
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from core.scheduler import Scheduler

SCHEDULED = {path for path, _seconds in settings.YISHI_SCHEDULE}


def schedule_once() -> str:
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    return out.getvalue()


def test_the_schedule_holds_the_deadlines_digests_early_warning_and_poll_closing():
    assert {"issues.tasks.sweep_issues", "notifications.tasks.send_digests", "insights.tasks.send_early_warnings",
            "polls.tasks.close_due_polls", "core.tasks.prune_task_results"} == SCHEDULED


def test_the_scheduler_enqueues_every_periodic_task_and_the_worker_runs_them(run_tasks):
    schedule_once()
    waiting = DBTaskResult.objects.filter(status="READY")
    assert set(waiting.values_list("task_path", flat=True)) == SCHEDULED and waiting.count() == len(SCHEDULED)
    run_tasks()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    sweep = DBTaskResult.objects.get(task_path="issues.tasks.sweep_issues")
    assert sweep.return_value == {"escalated": 0, "closed": 0}


def test_a_task_still_waiting_is_not_enqueued_again(transactional_db):
    schedule_once()
    schedule_once()  # the worker is behind: nothing piles up
    assert DBTaskResult.objects.count() == len(SCHEDULED)


def test_each_task_comes_round_again_after_its_interval(run_tasks):
    from datetime import timedelta

    from django.utils import timezone

    scheduler = Scheduler()
    start = timezone.now()
    assert set(scheduler.tick(start)) == SCHEDULED
    run_tasks()
    assert scheduler.tick(start + timedelta(seconds=30)) == []
    assert set(scheduler.tick(start + timedelta(seconds=61))) == {"issues.tasks.sweep_issues",
                                                                  "polls.tasks.close_due_polls"}
    assert "core.tasks.prune_task_results" in scheduler.tick(start + timedelta(days=1, seconds=1))
