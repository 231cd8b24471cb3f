"""Notifications' periodic work, run by the task worker (scheduled in ``settings.YISHI_SCHEDULE``)."""

from django.tasks import task

from notifications import services


@task
def send_digests() -> int:
    """Mail the daily digests that are due; the mail itself is queued as tasks of its own."""
    return services.send_digests()
