"""Apply the deadlines: escalate unanswered issues, close resolved ones whose rating window ended.

The task worker does this every minute (``make run`` starts it with the scheduler). Where no
scheduler runs, run this from cron (e.g. every few minutes), with ``manage.py db_worker --batch``
after it to send the mail it queued.
"""

from django.core.management.base import BaseCommand

from insights.services import send_early_warnings
from issues import services


class Command(BaseCommand):
    help = "Escalate issues past their response deadline and close resolved issues past the rating window."

    def handle(self, *args, **options):
        counts = services.sweep_issues()
        warned = send_early_warnings()
        self.stdout.write(f"{counts['escalated']} escalated, {counts['closed']} closed, {warned} early warnings.")
