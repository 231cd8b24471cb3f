"""Apply the deadlines: escalate unanswered issues, close resolved ones whose rating window ended.

Pages apply them too whenever someone opens a list; run this from cron (e.g. every 10 minutes)
so escalations reach the committee even when nobody is looking.
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
