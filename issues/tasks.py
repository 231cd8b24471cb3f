"""Issues' periodic work, run by the task worker (scheduled in ``settings.YISHI_SCHEDULE``)."""

from django.tasks import task

from issues.services import outcomes


@task
def sweep_issues() -> dict[str, int]:
    """Escalate issues past their response deadline; close resolved ones past the rating window."""
    return outcomes.sweep_issues()
