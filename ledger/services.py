"""The follow-up ledger: decisions, their tasks, and progress reported on tasks, in public."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import audit
from community import permissions as community_permissions
from community import selectors as community_selectors
from community.models import Membership, Organisation, User
from core.photos import clean_photo
from core.text import clean_text, max_length
from ledger import permissions
from ledger.models import Decision, Task, TaskUpdate
from notifications.services import notify

Status = Task.Status


def create_task(
    actor: User, *, decision: Decision, title: str, owner_user_id=None, owner_organisation_id=None,
    due_date=None, issue=None,
) -> Task:
    """Give a decision a task with one owner of its community and a due date; the owner is told.

    Runs inside the caller's transaction, after the caller checked permission. An unsaved
    ``decision`` is saved only once the task is known to be valid.
    """
    community = decision.community
    if bool(owner_user_id) == bool(owner_organisation_id):
        raise ValidationError(_("Give the task one owner: a person or an organisation."))
    if not isinstance(due_date, date):
        raise ValidationError(_("Give the task a due date."))
    if due_date < timezone.localdate():
        raise ValidationError(_("The due date cannot be in the past."))
    owner_user = owner_org = None
    if owner_organisation_id:
        owner_org = Organisation.objects.filter(pk=owner_organisation_id, community=community).first()
        if owner_org is None:
            raise ValidationError(_("Choose an organisation of this community."))
    else:
        owner_user = User.objects.filter(pk=owner_user_id, is_active=True, memberships__community=community).first()
        if owner_user is None:
            raise ValidationError(_("Choose a person of this community."))
    title = clean_text(title, field=_("The task"), limit=max_length(Task, "title"))
    if decision.pk is None:
        decision.save()
    task = Task.objects.create(
        decision=decision, issue=issue, title=title, owner_user=owner_user, owner_organisation=owner_org,
        due_date=due_date,
    )
    owners = [owner_user] if owner_user else list(
        community_selectors.holders(Membership.Role.ORG_REP, organisation=owner_org)
    )
    notify(
        owners,
        message=gettext_lazy("A task was assigned to you: “%(title)s”"),
        params={"title": task.title},
        url=(issue or decision).get_absolute_url(),
        exclude=actor,
    )
    return task


def record_decision(
    actor: User | None, *, community, title: str, source: str, body: str = "", issue=None, consultation=None,
    is_public: bool = True, tasks: list[dict] | None = None, note: dict | None = None,
) -> Decision:
    """Make a decision, with its follow-up tasks: the one way a decision enters the ledger.

    Runs inside the caller's transaction, after the caller checked who may decide (a grid worker's
    triage, a consultation's conclusion, a meeting's agenda item, a poll's count). Each task is a
    dict of ``create_task``'s fields; it follows up ``issue`` when there is one. ``note`` is what the
    system itself says about the decision (``core.i18n.freeze``), shown in each reader's language. The decision is saved
    only once its first task is known to be valid.
    """
    if source not in Decision.Source.values:
        raise ValueError(f"Unknown decision source: {source!r}")
    decision = Decision(
        community=community, title=title, body=body, source=source, issue=issue, consultation=consultation,
        is_public=is_public, decided_by=actor, note=note or {},
    )
    for task in tasks or []:
        create_task(actor, decision=decision, issue=issue, **task)
    if decision.pk is None:
        decision.save()
    return decision


def _lock_decision(decision_id) -> Decision:
    decision = Decision.objects.select_for_update(of=("self",)).select_related("community", "issue").filter(
        pk=decision_id).first()
    if decision is None:
        raise ValidationError(_("There is no such decision."))
    return decision


@transaction.atomic
def add_task(actor: User, *, decision_id: int, title: str, owner_user_id=None, owner_organisation_id=None,
             due_date=None) -> Task:
    """The committee gives a decision — of a vote, a meeting, a consultation or a triage — another task."""
    decision = _lock_decision(decision_id)
    community_permissions.require(permissions.can_follow_up(actor, decision),
                                  _("The committee gives decisions their tasks."))
    task = create_task(actor, decision=decision, issue=decision.issue, title=title, owner_user_id=owner_user_id,
                       owner_organisation_id=owner_organisation_id, due_date=due_date)
    if decision.no_follow_up:
        decision.no_follow_up = ""
        decision.save(update_fields=["no_follow_up"])
    audit.record(actor, "decision.task_added", community=decision.community_id, target=decision, task=task.title)
    return task


@transaction.atomic
def mark_no_follow_up(actor: User, *, decision_id: int, reason: str) -> Decision:
    """The committee says a decision needs no task, and why; it then no longer waits for one on the outcomes."""
    decision = _lock_decision(decision_id)
    community_permissions.require(permissions.can_follow_up(actor, decision),
                                  _("The committee gives decisions their tasks."))
    if decision.tasks.exists():
        raise ValidationError(_("This decision has tasks already: follow them up instead."))
    decision.no_follow_up = clean_text(reason, field=_("The reason"), limit=max_length(Decision, "no_follow_up"))
    decision.save(update_fields=["no_follow_up"])
    audit.record(actor, "decision.no_follow_up", community=decision.community_id, target=decision,
                 reason=decision.no_follow_up)
    return decision


@transaction.atomic
def post_task_update(
    actor: User, *, task_id: int, text: str, progress: int, status: str, photo=None
) -> TaskUpdate:
    """Report progress on a task: what was done, how far along, and its status now."""
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("decision__community", "issue__grid__community", "issue__reporter")
        .get(pk=task_id)
    )
    community_permissions.require(
        permissions.can_update_task(actor, task), _("Only the task's owner and those responsible can update it.")
    )
    if task.status in Task.FINISHED:
        raise ValidationError(_("This task is finished; it takes no more updates."))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Say what was done."))
    text = clean_text(text, field=_("The update"), limit=max_length(TaskUpdate, "text"))
    if status not in Status.values:
        raise ValidationError(_("Choose a status."))
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ValidationError(_("Progress is a whole number from 0 to 100."))
    if status == Status.DONE:
        progress = 100
    cleaned = clean_photo(photo) if photo else None  # checked before anything is written
    update = TaskUpdate(task=task, author=actor, text=text, progress=progress, status=status)
    if cleaned:
        content, update.photo_token, update.photo_extension = cleaned
        update.photo.save(content.name, content, save=False)
    update.save()
    task.status, task.progress = status, progress
    task.done_at = timezone.now() if status == Status.DONE else None
    task.save(update_fields=["status", "progress", "done_at"])
    for hook in settings.YISHI_TASK_UPDATE_HOOKS:  # the apps that link tasks (issues) add their part
        import_string(hook)(task, update, actor)
    return update
