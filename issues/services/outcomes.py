"""Issue outcomes: resolving, rating, following, and the deadline sweep."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import audit
from community import permissions as community_permissions
from community.models import User
from core.text import clean_text, max_length
from issues import permissions
from issues.models import RATING_WINDOW, Issue, IssueEvent, IssueFollow, Rating
from issues.realtime import publish_issue_changed_on_commit
from issues.services.timeline import committee_of, grid_workers, lock_issue, record, tell_followers
from ledger.models import Task
from notifications.services import notify

Status, Tier, Kind = Issue.Status, Issue.Tier, IssueEvent.Kind
REOPEN_AT_OR_BELOW = 2


@transaction.atomic
def resolve_issue(actor: User, *, issue_id: int, note: str = "") -> Issue:
    """Mark an issue resolved once its tasks are finished; the reporter and followers are asked to rate."""
    issue = lock_issue(issue_id)
    community_permissions.require(community_permissions.looks_after(actor, issue.grid))
    if not permissions.can_handle(actor, issue):
        raise ValidationError(_("Only an issue in progress can be marked resolved."))
    community_permissions.require(
        permissions.can_resolve(actor, issue),
        _("A major issue is handled jointly: only the committee marks it resolved."),
    )
    if issue.tier == Tier.EMERGENCY and not issue.events.filter(kind=Kind.ON_SITE_REPORT).exists():
        raise ValidationError(_("An emergency needs an on-site report before it can be marked resolved."))
    if issue.tasks.exclude(status__in=Task.FINISHED).exists():
        raise ValidationError(_("Some tasks are not done yet. Finish or cancel them first."))
    issue.status, issue.resolved_at = Status.RESOLVED, timezone.now()
    issue.resolution_round += 1
    issue.save(update_fields=["status", "resolved_at", "resolution_round", "updated_at"])
    note = clean_text(note, field=_("The note"), required=False, limit=max_length(IssueEvent, "text"))
    record(issue, Kind.RESOLVED, actor, note, round=issue.resolution_round)
    audit.record(actor, "issue.resolved", community=issue.community_id, target=issue)
    tell_followers(issue, actor, gettext_lazy("“%(title)s” is resolved. Was it done well? Rate it within 14 days."))
    return issue


# Following and rating ------------------------------------------------------------------


@transaction.atomic
def follow_issue(actor: User, *, issue_id: int) -> IssueFollow:
    """Follow an issue ("me too"): be told of changes, and rate it when resolved."""
    issue = _existing(issue_id)
    community_permissions.require(permissions.can_follow(actor, issue), _("Only members of this community can follow."))
    try:
        with transaction.atomic():
            follow, _created = IssueFollow.objects.get_or_create(issue=issue, user=actor)
    except IntegrityError:  # a concurrent click won
        follow = IssueFollow.objects.get(issue=issue, user=actor)
    publish_issue_changed_on_commit(issue)
    return follow


@transaction.atomic
def unfollow_issue(actor: User, *, issue_id: int) -> None:
    """Stop following: no more news of this issue, and no rating of it."""
    issue = _existing(issue_id)
    IssueFollow.objects.filter(issue=issue, user=actor).delete()
    publish_issue_changed_on_commit(issue)


@transaction.atomic
def rate_issue(actor: User, *, issue_id: int, score: int, comment: str = "") -> Rating:
    """Rate a resolved issue 1–5. A reporter's rating of 2 or less reopens it, visibly."""
    issue = lock_issue(issue_id)
    if not issue.rating_open:
        raise ValidationError(_("This issue is not waiting for ratings."))
    following = IssueFollow.objects.filter(issue=issue, user=actor).exists()
    community_permissions.require(
        permissions.can_rate(actor, issue, following=following),
        _("Only the reporter and followers of this issue can rate it."),
    )
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationError(_("Give a score from 1 to 5."))
    comment = clean_text(comment, field=_("The comment"), required=False, limit=max_length(Rating, "comment"))
    by_reporter = issue.reporter_id == actor.pk
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                issue=issue, user=actor, round=issue.resolution_round, score=score, comment=comment,
                by_reporter=by_reporter,
            )
    except IntegrityError:
        raise ValidationError(_("You already rated this result.")) from None
    record(issue, Kind.RATED, actor, comment, score=score, by_reporter=by_reporter)
    if by_reporter and score <= REOPEN_AT_OR_BELOW:
        issue.status, issue.resolved_at = Status.IN_PROGRESS, None
        issue.reopened_count += 1
        issue.save(update_fields=["status", "resolved_at", "reopened_count", "updated_at"])
        record(issue, Kind.REOPENED, None, score=score)
        tell_followers(issue, None, gettext_lazy("“%(title)s” was reopened: the reporter was not satisfied."))
        notify(
            grid_workers(issue.grid),
            message=gettext_lazy("“%(title)s” was reopened: the reporter rated the result %(score)s of 5."),
            params={"title": issue.title, "score": score},
            url=issue.get_absolute_url(),
        )
    else:
        issue.save(update_fields=["updated_at"])
    return rating


# Deadlines -----------------------------------------------------------------------------


def _existing(issue_id: int) -> Issue:
    issue = Issue.objects.select_related("community").filter(pk=issue_id).first()
    if issue is None:
        raise ValidationError(_("There is no issue #%(id)s.") % {"id": issue_id})
    return issue


def sweep_issues(now=None) -> dict[str, int]:
    """Escalate issues past their response deadline; close resolved issues past the rating window.

    Safe to run often and from several processes: each issue is re-checked under its lock. The task
    worker runs it every minute (``issues.tasks.sweep_issues``); ``manage.py sweep_issues`` from cron.
    """
    now = now or timezone.now()
    counts = {"escalated": 0, "closed": 0}
    overdue = Issue.objects.filter(status=Status.NEW, escalated_at=None, response_due_at__lt=now).values_list(
        "pk", flat=True
    )
    for pk in list(overdue[:200]):
        with transaction.atomic():
            issue = lock_issue(pk)
            if issue.escalated_at or issue.status != Status.NEW or issue.response_due_at >= now:
                continue
            issue.escalated_at = now
            issue.save(update_fields=["escalated_at", "updated_at"])
            record(issue, Kind.ESCALATED, None)
            audit.record(None, "issue.escalated", community=issue.community_id, target=issue)
            tell_followers(issue, None, gettext_lazy("“%(title)s” got no answer in time; the committee now sees it."),
                           email=False)
            notify(
                committee_of(issue),
                message=gettext_lazy("No answer within the deadline: “%(title)s” is escalated to the committee."),
                params={"title": issue.title},
                url=issue.get_absolute_url(),
                alert=True,
            )
            counts["escalated"] += 1
    expired = Issue.objects.filter(status=Status.RESOLVED, resolved_at__lt=now - RATING_WINDOW)
    for pk in list(expired.values_list("pk", flat=True)[:200]):
        with transaction.atomic():
            issue = lock_issue(pk)
            if issue.status != Status.RESOLVED or issue.resolved_at >= now - RATING_WINDOW:
                continue
            issue.status, issue.closed_at = Status.CLOSED, now
            issue.save(update_fields=["status", "closed_at", "updated_at"])
            record(issue, Kind.CLOSED, None)
            tell_followers(issue, None, gettext_lazy("“%(title)s” is closed; its ratings are final."), email=False)
            counts["closed"] += 1
    return counts
