"""The ledger in the admin, read-only: decisions and tasks change through the services."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from ledger.models import Decision, Task


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["title", "source", "community", "decided_at"]
    list_filter = ["community", "source"]


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["title", "owner", "due_date", "status", "progress"]
    list_filter = ["status"]
