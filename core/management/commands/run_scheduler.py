"""Enqueue the periodic tasks (deadlines, digests, early warning, poll closing, pruning) on time.

`make run` starts it beside Daphne and the worker (``manage.py db_worker``). Without it, run the
same work from cron: ``sweep_issues``, ``send_digests`` and ``close_polls``, and a worker.
"""

import logging
import signal
import threading

from django.core.management.base import BaseCommand

from core.scheduler import Scheduler

logger = logging.getLogger("core.scheduler")


class Command(BaseCommand):
    help = "Enqueue the periodic tasks of YISHI_SCHEDULE at their intervals, for the task worker to run."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between looks at the schedule.")
        parser.add_argument("--once", action="store_true", help="Enqueue what is due now, then exit.")

    def handle(self, *args, interval: float, once: bool, **options):
        scheduler, stop = Scheduler(), threading.Event()
        if once:
            self._tick(scheduler)
            return
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        self.stdout.write(f"Scheduler started: looking every {interval:g} s.")
        while not stop.is_set():
            self._tick(scheduler)
            stop.wait(interval)
        self.stdout.write("Scheduler stopped.")

    def _tick(self, scheduler: Scheduler) -> None:
        try:
            for path in scheduler.tick():
                self.stdout.write(f"Enqueued {path}.")
        except Exception:  # a locked or unreachable database: try again at the next look
            logger.exception("The scheduler could not enqueue its tasks; trying again.")
