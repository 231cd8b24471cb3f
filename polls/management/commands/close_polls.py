"""Close and count every poll whose closing time has passed.

The task worker does this at each poll's closing time and every minute; without a worker and its
scheduler, run this from cron every minute.
"""

from django.core.management.base import BaseCommand

from polls import services


class Command(BaseCommand):
    help = "Close and count the polls whose closing time has passed."

    def handle(self, *args, **options):
        self.stdout.write(f"{services.close_due_polls()} polls closed.")
