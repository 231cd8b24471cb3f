"""Reads the follow-up pages share: tasks with their updates in a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from ledger.models import Task, TaskUpdate


def tasks_with_updates(tasks: QuerySet[Task]) -> QuerySet[Task]:
    updates = TaskUpdate.objects.select_related("author").order_by("created_at", "pk")
    return tasks.select_related("owner_user", "owner_organisation", "decision__community", "issue__grid__community").prefetch_related(
        Prefetch("updates", queryset=updates)
    )
