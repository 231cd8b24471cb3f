"""Admin building blocks shared by the apps."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult


class ReadOnlyAdmin(admin.ModelAdmin):
    """Issues, the ledger and the audit log change only through their pages and services, which check and
    record every step: the admin shows them, no more."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BackgroundTaskAdmin(DBTaskResultAdmin):
    """Background tasks for staff: what ran, what failed and why, what waits for a retry.

    A queued mail's arguments hold the whole message, password-reset links included: the admin shows
    only its recipients and subject.
    """

    list_display = ("task_name", "status", "attempt", "summary", "enqueued_at", "run_after_or_now", "finished_at",
                    "exception_class_path")
    list_filter = ("status", "task_path", "queue_name")
    search_fields = ("task_path", "exception_class_path")

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        fields = [f for f in super().get_readonly_fields(request, obj) if f != "args_kwargs"]
        return [*fields[:fields.index("task_path") + 1], "attempt", "summary", *fields[fields.index("task_path") + 1:]]

    @admin.display(description=_("attempt"))
    def attempt(self, obj) -> int:
        return obj.args_kwargs.get("kwargs", {}).get("attempt", 1)

    @admin.display(description=_("what"))
    def summary(self, obj) -> str:
        args, kwargs = obj.args_kwargs.get("args", []), obj.args_kwargs.get("kwargs", {})
        if obj.task_path == "core.tasks.send_email" and args:
            return _("mail to %(to)s: %(subject)s") % {"to": ", ".join(args[0].get("to", [])),
                                                        "subject": args[0].get("subject", "")}
        return ", ".join([*map(str, args), *(f"{k}={v}" for k, v in kwargs.items())]) or "—"

    @admin.display(description=_("run after"), ordering="run_after")
    def run_after_or_now(self, obj):
        return self.display_run_after(obj)


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, BackgroundTaskAdmin)
