"""Close and count every poll whose closing time has passed. Run from cron, e.g. every minute."""

from django.core.management.base import BaseCommand

from polls import services


class Command(BaseCommand):
    help = "Close and count the polls whose closing time has passed."

    def handle(self, *args, **options):
        self.stdout.write(f"{services.close_due_polls()} polls closed.")
