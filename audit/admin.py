"""The audit log in the admin: to read, never to add, change or delete."""

from django.contrib import admin

from audit.models import AuditEntry
from core.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["when", "actor_name", "action", "target_label", "community"]
    list_filter = ["action", "community"]
    search_fields = ["actor_name", "target_label"]
    date_hierarchy = "when"
