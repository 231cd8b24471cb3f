"""Who is in charge of an issue: handing it over to another grid worker of its grid."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import audit
from community import permissions as community_permissions
from community.models import User
from core.text import clean_text, max_length
from issues import permissions
from issues.models import IssueEvent
from issues.services.timeline import lock_issue, record
from notifications.services import notify


@transaction.atomic
def hand_over_issue(actor: User, *, issue_id: int, to_user_id: int, note: str = ""):
    """Hand an open issue to another grid worker of its grid; they, the reporter and the one before are told."""
    issue = lock_issue(issue_id)
    community_permissions.require(
        permissions.is_in_charge_or_committee(actor, issue),
        _("Only the committee or the grid worker in charge can hand this issue over."),
    )
    if not issue.is_open:
        raise ValidationError(_("Only an open issue can be handed over."))
    worker = User.objects.filter(pk=to_user_id).first()
    if worker is None or not permissions.can_be_handed(worker, issue.grid):
        raise ValidationError(_("Hand the issue to a grid worker of %(grid)s.") % {"grid": issue.grid})
    if worker.pk == issue.assignee_id:
        raise ValidationError(_("%(name)s is already in charge of this issue.") % {"name": worker.public_name})
    note = clean_text(note, field=_("The note"), required=False, limit=max_length(IssueEvent, "text"))
    before = issue.assignee
    issue.assignee = worker
    issue.save(update_fields=["assignee", "updated_at"])
    record(issue, IssueEvent.Kind.HANDED_OVER, actor, note, to=str(worker.public_name),
           **({"from": str(before.public_name)} if before else {}))
    audit.record(actor, "issue.handed_over", community=issue.community_id, target=issue,
                 before=str(before.public_name) if before else "—", after=str(worker.public_name))
    params = {"title": issue.title, "actor": actor.public_name, "worker": worker.public_name}
    notify([worker], message=gettext_lazy("%(actor)s handed “%(title)s” over to you."), params=params,
           url=issue.get_absolute_url(), exclude=actor)
    if before is not None:
        notify([before], message=gettext_lazy("“%(title)s” was handed over to %(worker)s."), params=params,
               url=issue.get_absolute_url(), exclude=actor, email=False)
    if issue.reporter_id:
        notify([issue.reporter], message=gettext_lazy("%(worker)s is now the grid worker in charge of “%(title)s”."),
               params=params, url=issue.get_absolute_url(), exclude=actor)
    return issue
