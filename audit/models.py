"""The audit log's one table: append-only, in Python and, where the database can, in the database too.

Python refuses to save an existing entry, to delete one, and to update or delete through a
queryset. The migration adds triggers (see ``audit/triggers.py``) so that raw SQL cannot rewrite
an entry either.

An entry keeps its meaning when people and communities go: the actor and the community are
``SET_NULL`` links beside snapshots (the actor's public name, the target's label), and nulling
those links is the one change the triggers allow.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.actions import Action


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit log is append-only: entries are never changed.")

    def delete(self):
        raise AppendOnlyError("The audit log is append-only: entries are never deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("The audit log is append-only: entries are never changed.")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only: entries are never changed.")


class AuditEntry(models.Model):
    """One privileged action: who, what, on what, when, and the details that explain it."""

    Action = Action

    when = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("name at the time"), max_length=80, blank=True)
    community = models.ForeignKey(
        "community.Community", verbose_name=_("community"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # The codes are checked by ``audit.record``, not by a choices list: a new action needs no migration.
    action = models.CharField(_("action"), max_length=40)
    target_type = models.CharField(_("kind of target"), max_length=60, blank=True)  # "issues.issue"
    target_id = models.PositiveBigIntegerField(_("target id"), null=True, blank=True)
    target_label = models.CharField(_("target at the time"), max_length=200, blank=True)
    target_url = models.CharField(_("target's page"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-when", "-pk"]
        indexes = [models.Index(fields=["community", "-when"], name="audit_community_when")]

    def __str__(self) -> str:
        return f"{self.when:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.action}"

    def get_action_display(self) -> str:
        return Action(self.action).label if self.action in Action.values else self.action

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The audit log is append-only: entries are never changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only: entries are never deleted.")
