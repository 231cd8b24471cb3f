"""What makes a consultation page's cached fragment stale (core/fragments.py).

The fragment's key already holds the id of the consultation's latest event, which every service that logs
an event moves on; these receivers bump its version for the writes that log none (a support counted by
``F()``, an edit in the admin, a follow-up task of one of its decisions moving on). Bumped at once and again
after the commit, so a page rendered meanwhile from the old rows cannot stay stored under the new version.
"""

from django.db.models.signals import post_delete, post_save

from consult.models import Attachment, Comment, Consultation, Proposal, Support
from core import fragments
from ledger.models import Decision, Task, TaskUpdate


def consultation_changed(consultation_id) -> None:
    if consultation_id:
        fragments.bump_on_commit("consultation", consultation_id)


def _direct(sender, instance, **kwargs):
    consultation_changed(instance.pk if sender is Consultation else instance.consultation_id)


def _support(sender, instance, **kwargs):
    consultation_changed(Proposal.objects.filter(pk=instance.proposal_id).values_list("consultation_id", flat=True)
                         .first())


def _decision(sender, instance, **kwargs):
    consultation_changed(instance.consultation_id)


def _task(sender, instance, **kwargs):
    rows = (Decision.objects.filter(pk=instance.decision_id) if sender is Task
            else Decision.objects.filter(tasks=instance.task_id))
    consultation_changed(rows.values_list("consultation_id", flat=True).first())


def connect() -> None:
    for model in (Consultation, Proposal, Comment, Attachment):
        post_save.connect(_direct, sender=model, dispatch_uid=f"fragments-{model.__name__}-save")
        post_delete.connect(_direct, sender=model, dispatch_uid=f"fragments-{model.__name__}-delete")
    post_save.connect(_support, sender=Support, dispatch_uid="fragments-support-save")
    post_delete.connect(_support, sender=Support, dispatch_uid="fragments-support-delete")
    post_save.connect(_decision, sender=Decision, dispatch_uid="fragments-decision-save")
    post_delete.connect(_decision, sender=Decision, dispatch_uid="fragments-decision-delete")
    for model in (Task, TaskUpdate):
        post_save.connect(_task, sender=model, dispatch_uid=f"fragments-{model.__name__}-save")
