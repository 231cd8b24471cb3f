"""Send the daily email digests to people who chose them.

The scheduler enqueues this every five minutes; without it, run this from cron (e.g. every hour) and
``manage.py db_worker --batch`` after it, which sends the queued mail.
"""

from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "Send each person who chose a daily digest the notifications waiting for it (at most one a day)."

    def handle(self, *args, **options):
        self.stdout.write(f"{services.send_digests()} digests sent.")
