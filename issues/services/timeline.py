"""What every issue step shares: locking, the timeline entry, and who is told."""


from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community import selectors as community_selectors
from community.models import Grid, Membership, User
from issues.models import Issue, IssueEvent
from issues.realtime import publish_issue_changed_on_commit
from ledger.models import Task
from notifications.services import notify


def lock_issue(issue_id: int) -> Issue:
    """The issue, locked for this transaction; an unknown id is a message, not a crash."""
    issue = (
        Issue.objects.select_for_update(of=("self",))
        .select_related("grid__community", "community", "reporter")
        .filter(pk=issue_id)
        .first()
    )
    if issue is None:
        raise ValidationError(_("There is no issue #%(id)s.") % {"id": issue_id})
    return issue


def record(issue: Issue, kind: str, actor: User | None, text: str = "", **data) -> IssueEvent:
    """Add a timeline entry and tell open pages after the commit."""
    event = IssueEvent.objects.create(issue=issue, kind=kind, actor=actor, text=text, data=data)
    publish_issue_changed_on_commit(issue, event.pk)
    return event


def followers(issue: Issue) -> list[User]:
    users = list(User.objects.filter(followed_issues__issue=issue))
    if issue.reporter_id and all(u.pk != issue.reporter_id for u in users):
        users.append(issue.reporter)
    return users


def grid_workers(grid: Grid) -> list[User]:
    return list(community_selectors.holders(Membership.Role.GRID_WORKER, grid=grid))


def committee_of(issue: Issue) -> list[User]:
    return list(community_selectors.holders(Membership.Role.COMMITTEE, community=issue.community_id))


def tell_followers(issue: Issue, actor: User | None, message, *, email: bool = True, **params) -> None:
    notify(
        followers(issue),
        message=message,
        params={"title": issue.title, "actor": actor_name(issue, actor), **params},
        url=issue.get_absolute_url(),
        exclude=actor,
        email=email,
    )


def actor_name(issue: Issue, actor: User | None):
    """How an actor is named on an issue: a reporter who chose not to be named stays "the reporter"."""
    if actor is None:
        return ""
    if actor.pk == issue.reporter_id and not issue.name_public:
        return gettext_lazy("The reporter")
    return actor.public_name


def first_response(issue: Issue) -> None:
    if issue.first_response_at is None:
        issue.first_response_at = timezone.now()


def task_updated(task, update, actor: User | None) -> None:
    """A task of an issue got a progress report: it goes on the issue's timeline and its people are told.

    Called by ``ledger.services.post_task_update`` inside its transaction (``YISHI_TASK_UPDATE_HOOKS``).
    """
    if not task.issue_id:
        return
    issue = task.issue
    progress, status, text = update.progress, update.status, update.text
    record(issue, IssueEvent.Kind.TASK_UPDATED, actor, text, task_id=task.pk, task=task.title,
           progress=progress, status=status, update_id=update.pk)
    issue.save(update_fields=["updated_at"])
    notify(
        [*followers(issue), *grid_workers(issue.grid)],
        message=gettext_lazy("Progress on “%(title)s”: %(progress)s%% — %(status)s"),
        params={"title": task.title, "progress": progress, "status": Task.Status(status).label},
        url=issue.get_absolute_url(),
        exclude=actor,
    )
