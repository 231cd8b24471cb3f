"""Insights' periodic work, run by the task worker (scheduled in ``settings.YISHI_SCHEDULE``)."""

from django.tasks import task

from insights import services


@task
def send_early_warnings() -> int:
    """Tell each committee of this week's spikes in raised issues, each spike once."""
    return services.send_early_warnings()
