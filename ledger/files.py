"""Who may see a task's progress photos: whoever may see its decision (core/files.py)."""

from core.files import Access
from ledger import permissions
from ledger.models import TaskUpdate


def media_rule(request, path: str) -> Access | None:
    update = TaskUpdate.objects.filter(photo=path).select_related("task__decision__community").first()
    if update is None:
        return None
    decision = update.task.decision
    return Access(allowed=permissions.can_view_decision(request.user, decision), public=decision.is_public)
