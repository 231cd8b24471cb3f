"""The follow-up ledger: progress reported on tasks, in public."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consult import permissions
from consult.models import IssueEvent, Task, TaskUpdate, User
from consult.photos import clean_photo
from consult.services.notify import notify
from consult.services.timeline import followers, grid_workers, record

Status = Task.Status


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
    permissions.require(
        permissions.can_update_task(actor, task), _("Only the task's owner and those responsible can update it.")
    )
    if task.status in Task.FINISHED:
        raise ValidationError(_("This task is finished; it takes no more updates."))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Say what was done."))
    if len(text) > 5000:
        raise ValidationError(_("An update has at most 5000 characters."))
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
    if task.issue_id:
        issue = task.issue
        record(issue, IssueEvent.Kind.TASK_UPDATED, actor, text, task_id=task.pk, task=task.title,
               progress=progress, status=status, update_id=update.pk)
        issue.save(update_fields=["updated_at"])
        notify(
            [*followers(issue), *grid_workers(issue.grid)],
            message=gettext_lazy("Progress on “%(title)s”: %(progress)s%% — %(status)s"),
            params={"title": task.title, "progress": progress, "status": Status(status).label},
            url=issue.get_absolute_url(),
            exclude=actor,
        )
    return update
