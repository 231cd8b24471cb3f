"""The audit log in the admin: to read, never to add, change or delete."""

from django.contrib import admin

from audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["when", "actor_name", "action", "target_label", "community"]
    list_filter = ["action", "community"]
    search_fields = ["actor_name", "target_label"]
    date_hierarchy = "when"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
