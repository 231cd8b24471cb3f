"""Issues: raise, triage, handle, resolve, rate — each step a timeline entry the reporter sees."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consult import permissions
from consult.models import (
    Category,
    Decision,
    Grid,
    Issue,
    IssueCase,
    IssueEvent,
    IssueFollow,
    IssuePhoto,
    Membership,
    Organisation,
    Rating,
    Task,
    User,
)
from consult.models.issues import RATING_WINDOW
from consult.photos import clean_photos
from consult.realtime import publish_issue_changed_on_commit
from consult.services.notify import notify

Status, Tier, Kind = Issue.Status, Issue.Tier, IssueEvent.Kind
REOPEN_AT_OR_BELOW = 2


# Helpers -------------------------------------------------------------------------------


def _lock(issue_id: int) -> Issue:
    return (
        Issue.objects.select_for_update(of=("self",))
        .select_related("grid__community", "community", "reporter")
        .get(pk=issue_id)
    )


def _record(issue: Issue, kind: str, actor: User | None, text: str = "", **data) -> IssueEvent:
    """Add a timeline entry and tell open pages after the commit."""
    event = IssueEvent.objects.create(issue=issue, kind=kind, actor=actor, text=text, data=data)
    publish_issue_changed_on_commit(issue, event.pk)
    return event


def _followers(issue: Issue) -> list[User]:
    users = list(User.objects.filter(followed_issues__issue=issue))
    if issue.reporter_id and all(u.pk != issue.reporter_id for u in users):
        users.append(issue.reporter)
    return users


def _grid_workers(grid: Grid) -> list[User]:
    return list(User.objects.filter(memberships__grid=grid, memberships__role=Membership.Role.GRID_WORKER))


def _committee(issue: Issue) -> list[User]:
    return list(
        User.objects.filter(memberships__community=issue.community_id, memberships__role=Membership.Role.COMMITTEE)
    )


def _tell_followers(issue: Issue, actor: User | None, message) -> None:
    notify(
        _followers(issue),
        message=message,
        params={"title": issue.title, "actor": actor_name(issue, actor)},
        url=issue.get_absolute_url(),
        exclude=actor,
    )


def actor_name(issue: Issue, actor: User | None):
    """How an actor is named on an issue: a reporter who chose not to be named stays "the reporter"."""
    if actor is None:
        return ""
    if actor.pk == issue.reporter_id and not issue.name_public:
        return gettext_lazy("The reporter")
    return actor.public_name


def _text(value: str, *, field: str, required: bool = True, limit: int = 5000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(_("%(field)s cannot be empty.") % {"field": field})
    if len(value) > limit:
        raise ValidationError(_("%(field)s has at most %(limit)s characters.") % {"field": field, "limit": limit})
    return value


def _first_response(issue: Issue) -> None:
    if issue.first_response_at is None:
        issue.first_response_at = timezone.now()


# Raising -------------------------------------------------------------------------------


@transaction.atomic
def raise_issue(
    actor: User,
    *,
    grid_id: int,
    category_id: int,
    title: str,
    body: str,
    location: str = "",
    name_public: bool = False,
    photos: list | None = None,
    contact: str = "",
    address: str = "",
    on_behalf_of: str = "",
    channel: str = Issue.Channel.ONLINE,
) -> Issue:
    """A verified resident raises an issue in their grid, or a grid worker enters one on their behalf."""
    grid = Grid.objects.select_related("community").get(pk=grid_id)
    entered = bool(on_behalf_of.strip())
    if entered:
        permissions.require(
            permissions.can_enter_issue_on_behalf(actor, grid),
            _("Only this grid's workers and the committee can enter an issue for a resident."),
        )
        if channel not in Issue.Channel.values or channel == Issue.Channel.ONLINE:
            raise ValidationError(_("Say how you met the resident: door visit, phone, walk-in or hotline."))
    else:
        permissions.require(
            permissions.can_raise_issue(actor, grid),
            _("Only verified residents of this grid can raise an issue here. Ask to join the grid first."),
        )
        channel = Issue.Channel.ONLINE
    category = Category.objects.filter(pk=category_id, community=grid.community, active=True).first()
    if category is None:
        raise ValidationError(_("Choose one of the community's categories."))
    cleaned_photos = clean_photos(photos or [])  # before any write: a bad photo saves nothing
    now = timezone.now()
    issue = Issue.objects.create(
        community=grid.community,
        grid=grid,
        category=category,
        title=_text(title, field=_("The title"), limit=140),
        body=_text(body, field=_("The description"), limit=10000),
        location=_text(location, field=_("The place"), required=False, limit=140),
        reporter=None if entered else actor,
        name_public=name_public,
        entered_by=actor if entered else None,
        channel=channel,
        created_at=now,
        response_due_at=now + timedelta(hours=grid.community.response_deadline_hours),
    )
    IssueCase.objects.create(
        issue=issue,
        reporter_name=_text(on_behalf_of, field=_("The resident's name"), required=False, limit=80),
        contact=_text(contact, field=_("The contact"), required=False, limit=120),
        address=_text(address, field=_("The address"), required=False, limit=160),
    )
    for content, token, extension in cleaned_photos:
        photo = IssuePhoto(issue=issue, token=token, extension=extension)
        photo.image.save(content.name, content, save=True)
    _record(issue, Kind.RAISED, actor, channel=channel, entered=entered)
    if not entered:
        IssueFollow.objects.create(issue=issue, user=actor)
    notify(
        _grid_workers(grid),
        message=gettext_lazy("New issue in your grid: “%(title)s”"),
        params={"title": issue.title},
        url=issue.get_absolute_url(),
        exclude=actor,
    )
    return issue


# Triage --------------------------------------------------------------------------------


@transaction.atomic
def ask_for_information(actor: User, *, issue_id: int, question: str) -> Issue:
    """Ask the reporter for more before triaging; the issue waits for their answer."""
    issue = _lock(issue_id)
    permissions.require(permissions.looks_after(actor, issue.grid))
    if issue.status not in (Status.NEW, Status.NEEDS_INFO):
        raise ValidationError(_("Only an issue awaiting triage can ask for more information."))
    question = _text(question, field=_("The question"))
    issue.status = Status.NEEDS_INFO
    _first_response(issue)
    issue.save(update_fields=["status", "first_response_at", "updated_at"])
    _record(issue, Kind.ASKED_INFO, actor, question)
    _tell_followers(issue, actor, gettext_lazy("%(actor)s asks for more information about “%(title)s”"))
    return issue


def _task_for(issue: Issue, actor: User, *, title: str, owner_user_id, owner_organisation_id, due_date) -> Task:
    if bool(owner_user_id) == bool(owner_organisation_id):
        raise ValidationError(_("Give the task one owner: a person or an organisation."))
    if not isinstance(due_date, date):
        raise ValidationError(_("Give the task a due date."))
    if due_date < timezone.localdate():
        raise ValidationError(_("The due date cannot be in the past."))
    owner_user = owner_org = None
    if owner_organisation_id:
        owner_org = Organisation.objects.filter(pk=owner_organisation_id, community=issue.community).first()
        if owner_org is None:
            raise ValidationError(_("Choose an organisation of this community."))
    else:
        owner_user = User.objects.filter(
            pk=owner_user_id, is_active=True, memberships__community=issue.community
        ).first()
        if owner_user is None:
            raise ValidationError(_("Choose a person of this community."))
    decision = issue.decisions.filter(source=Decision.Source.TRIAGE).first() or Decision.objects.create(
        community=issue.community,
        title=issue.title,
        body=_("Handled as a routine matter after triage of issue #%(id)s.") % {"id": issue.pk},
        source=Decision.Source.TRIAGE,
        issue=issue,
        decided_by=actor,
    )
    task = Task.objects.create(
        decision=decision,
        issue=issue,
        title=_text(title, field=_("The task"), limit=160),
        owner_user=owner_user,
        owner_organisation=owner_org,
        due_date=due_date,
    )
    _record(issue, Kind.TASK_ASSIGNED, actor, task.title, task_id=task.pk, owner=str(task.owner),
            due=due_date.isoformat())
    owners = [owner_user] if owner_user else list(
        User.objects.filter(memberships__organisation=owner_org, memberships__role=Membership.Role.ORG_REP)
    )
    notify(
        owners,
        message=gettext_lazy("A task was assigned to you: “%(title)s”"),
        params={"title": task.title},
        url=issue.get_absolute_url(),
        exclude=actor,
    )
    return task


@transaction.atomic
def triage_issue(
    actor: User,
    *,
    issue_id: int,
    tier: str,
    note: str = "",
    task_title: str = "",
    owner_user_id: int | None = None,
    owner_organisation_id: int | None = None,
    due_date: date | None = None,
) -> Issue:
    """Sort an issue into routine (a task now), major (joint handling) or emergency (on site)."""
    issue = _lock(issue_id)
    permissions.require(permissions.looks_after(actor, issue.grid))
    if not permissions.can_triage(actor, issue):
        raise ValidationError(_("This issue was already triaged."))
    if tier not in Tier.values:
        raise ValidationError(_("Choose routine, major or emergency."))
    note = _text(note, field=_("The note"), required=False)
    issue.status, issue.tier = Status.IN_PROGRESS, tier
    _first_response(issue)
    issue.save(update_fields=["status", "tier", "first_response_at", "updated_at"])
    _record(issue, Kind.TRIAGED, actor, note, tier=tier)
    if tier == Tier.ROUTINE:
        _task_for(
            issue, actor, title=task_title or issue.title, owner_user_id=owner_user_id,
            owner_organisation_id=owner_organisation_id, due_date=due_date,
        )
    if tier == Tier.EMERGENCY:
        notify(
            _committee(issue),
            message=gettext_lazy("Emergency in %(grid)s: “%(title)s”. Someone is needed on site now."),
            params={"title": issue.title, "grid": issue.grid},
            url=issue.get_absolute_url(),
            exclude=actor,
        )
    elif tier == Tier.MAJOR:
        notify(
            _committee(issue),
            message=gettext_lazy("A major issue waits for joint handling: “%(title)s”"),
            params={"title": issue.title},
            url=issue.get_absolute_url(),
            exclude=actor,
            email=False,
        )
    _tell_followers(issue, actor, gettext_lazy("“%(title)s” was triaged and is being handled"))
    return issue


@transaction.atomic
def assign_task(
    actor: User, *, issue_id: int, title: str, owner_user_id=None, owner_organisation_id=None, due_date=None
) -> Task:
    """Add a follow-up task to an issue being handled."""
    issue = _lock(issue_id)
    permissions.require(permissions.looks_after(actor, issue.grid))
    if not permissions.can_handle(actor, issue):
        raise ValidationError(_("Tasks can be added only while the issue is in progress."))
    task = _task_for(issue, actor, title=title, owner_user_id=owner_user_id,
                     owner_organisation_id=owner_organisation_id, due_date=due_date)
    issue.save(update_fields=["updated_at"])
    return task


@transaction.atomic
def decline_issue(actor: User, *, issue_id: int, reason: str) -> Issue:
    """Decline an issue, with a reason the reporter reads."""
    issue = _lock(issue_id)
    permissions.require(permissions.looks_after(actor, issue.grid))
    if issue.status not in (Status.NEW, Status.NEEDS_INFO):
        raise ValidationError(_("Only an issue awaiting triage can be declined."))
    reason = _text(reason, field=_("The reason"))
    issue.status, issue.closed_at = Status.DECLINED, timezone.now()
    _first_response(issue)
    issue.save(update_fields=["status", "closed_at", "first_response_at", "updated_at"])
    _record(issue, Kind.DECLINED, actor, reason)
    _tell_followers(issue, actor, gettext_lazy("“%(title)s” was declined. The reason is on the issue page."))
    return issue


@transaction.atomic
def merge_issue(actor: User, *, issue_id: int, into_id: int) -> Issue:
    """Merge a duplicate into another open issue of the same community; its followers move over."""
    if issue_id == into_id:
        raise ValidationError(_("An issue cannot be merged into itself."))
    first, second = sorted([issue_id, into_id])  # lock in id order: no deadlock between two merges
    locked = {first: _lock(first), second: _lock(second)}
    issue, target = locked[issue_id], locked[into_id]
    permissions.require(permissions.looks_after(actor, issue.grid))
    if issue.status not in (Status.NEW, Status.NEEDS_INFO):
        raise ValidationError(_("Only an issue awaiting triage can be merged."))
    if target.community_id != issue.community_id or not target.is_open:
        raise ValidationError(_("Merge into an open issue of the same community."))
    issue.status, issue.merged_into, issue.closed_at = Status.MERGED, target, timezone.now()
    _first_response(issue)
    issue.save(update_fields=["status", "merged_into", "closed_at", "first_response_at", "updated_at"])
    for user in _followers(issue):
        IssueFollow.objects.get_or_create(issue=target, user=user)
    _record(issue, Kind.MERGED, actor, into=target.pk, into_title=target.title)
    _record(target, Kind.MERGED, actor, merged=issue.pk, merged_title=issue.title)
    _tell_followers(issue, actor, gettext_lazy("“%(title)s” was merged into an issue about the same matter"))
    return issue


# Handling ------------------------------------------------------------------------------


@transaction.atomic
def comment_on_issue(actor: User, *, issue_id: int, text: str) -> IssueEvent:
    """Comment on the timeline. A reporter's answer puts an issue waiting for information back to triage."""
    issue = _lock(issue_id)
    permissions.require(permissions.can_comment(actor, issue), _("Only members of this community can comment."))
    text = _text(text, field=_("The comment"))
    event = _record(issue, Kind.COMMENTED, actor, text)
    if issue.status == Status.NEEDS_INFO and issue.reporter_id == actor.pk:
        issue.status = Status.NEW
    issue.save(update_fields=["status", "updated_at"])
    _tell_followers(issue, actor, gettext_lazy("%(actor)s commented on “%(title)s”"))
    if issue.status == Status.NEW:
        notify(_grid_workers(issue.grid), message=gettext_lazy("%(actor)s commented on “%(title)s”"),
               params={"title": issue.title, "actor": actor_name(issue, actor)}, url=issue.get_absolute_url(),
               exclude=actor, email=False)
    return event


@transaction.atomic
def report_on_site(actor: User, *, issue_id: int, text: str) -> IssueEvent:
    """The on-site report an emergency expects: what was found and done."""
    issue = _lock(issue_id)
    permissions.require(permissions.looks_after(actor, issue.grid))
    if not permissions.can_handle(actor, issue):
        raise ValidationError(_("Reports can be added only while the issue is in progress."))
    event = _record(issue, Kind.ON_SITE_REPORT, actor, _text(text, field=_("The report")))
    issue.save(update_fields=["updated_at"])
    _tell_followers(issue, actor, gettext_lazy("%(actor)s reported from the site of “%(title)s”"))
    return event


@transaction.atomic
def resolve_issue(actor: User, *, issue_id: int, note: str = "") -> Issue:
    """Mark an issue resolved once its tasks are finished; the reporter and followers are asked to rate."""
    issue = _lock(issue_id)
    permissions.require(permissions.looks_after(actor, issue.grid))
    if not permissions.can_handle(actor, issue):
        raise ValidationError(_("Only an issue in progress can be marked resolved."))
    if issue.tasks.exclude(status__in=Task.FINISHED).exists():
        raise ValidationError(_("Some tasks are not done yet. Finish or cancel them first."))
    issue.status, issue.resolved_at = Status.RESOLVED, timezone.now()
    issue.resolution_round += 1
    issue.save(update_fields=["status", "resolved_at", "resolution_round", "updated_at"])
    _record(issue, Kind.RESOLVED, actor, _text(note, field=_("The note"), required=False), round=issue.resolution_round)
    _tell_followers(issue, actor, gettext_lazy("“%(title)s” is resolved. Was it done well? Rate it within 14 days."))
    return issue


# Following and rating ------------------------------------------------------------------


@transaction.atomic
def follow_issue(actor: User, *, issue_id: int) -> IssueFollow:
    """Follow an issue ("me too"): be told of changes, and rate it when resolved."""
    issue = Issue.objects.select_related("community").get(pk=issue_id)
    permissions.require(permissions.can_follow(actor, issue), _("Only members of this community can follow."))
    try:
        with transaction.atomic():
            follow, _created = IssueFollow.objects.get_or_create(issue=issue, user=actor)
    except IntegrityError:  # a concurrent click won
        follow = IssueFollow.objects.get(issue=issue, user=actor)
    publish_issue_changed_on_commit(issue)
    return follow


@transaction.atomic
def unfollow_issue(actor: User, *, issue_id: int) -> None:
    issue = Issue.objects.get(pk=issue_id)
    IssueFollow.objects.filter(issue=issue, user=actor).delete()
    publish_issue_changed_on_commit(issue)


@transaction.atomic
def rate_issue(actor: User, *, issue_id: int, score: int, comment: str = "") -> Rating:
    """Rate a resolved issue 1–5. A reporter's rating of 2 or less reopens it, visibly."""
    issue = _lock(issue_id)
    if not issue.rating_open:
        raise ValidationError(_("This issue is not waiting for ratings."))
    following = IssueFollow.objects.filter(issue=issue, user=actor).exists()
    permissions.require(
        permissions.can_rate(actor, issue, following=following),
        _("Only the reporter and followers of this issue can rate it."),
    )
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationError(_("Give a score from 1 to 5."))
    comment = _text(comment, field=_("The comment"), required=False, limit=2000)
    by_reporter = issue.reporter_id == actor.pk
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                issue=issue, user=actor, round=issue.resolution_round, score=score, comment=comment,
                by_reporter=by_reporter,
            )
    except IntegrityError:
        raise ValidationError(_("You already rated this result.")) from None
    _record(issue, Kind.RATED, actor, comment, score=score, by_reporter=by_reporter)
    if by_reporter and score <= REOPEN_AT_OR_BELOW:
        issue.status, issue.resolved_at = Status.IN_PROGRESS, None
        issue.reopened_count += 1
        issue.save(update_fields=["status", "resolved_at", "reopened_count", "updated_at"])
        _record(issue, Kind.REOPENED, None, score=score)
        notify(
            _grid_workers(issue.grid),
            message=gettext_lazy("“%(title)s” was reopened: the reporter rated the result %(score)s of 5."),
            params={"title": issue.title, "score": score},
            url=issue.get_absolute_url(),
        )
    else:
        issue.save(update_fields=["updated_at"])
    return rating


# Deadlines -----------------------------------------------------------------------------


def sweep_issues(now=None) -> dict[str, int]:
    """Escalate issues past their response deadline; close resolved issues past the rating window.

    Safe to run often and from several processes: each issue is re-checked under its lock.
    """
    now = now or timezone.now()
    counts = {"escalated": 0, "closed": 0}
    overdue = Issue.objects.filter(
        status__in=[Status.NEW, Status.NEEDS_INFO], first_response_at=None, escalated_at=None,
        response_due_at__lt=now,
    ).values_list("pk", flat=True)
    for pk in list(overdue[:200]):
        with transaction.atomic():
            issue = _lock(pk)
            if issue.escalated_at or issue.first_response_at or issue.status not in (Status.NEW, Status.NEEDS_INFO):
                continue
            issue.escalated_at = now
            issue.save(update_fields=["escalated_at", "updated_at"])
            _record(issue, Kind.ESCALATED, None)
            notify(
                _committee(issue),
                message=gettext_lazy("No answer within the deadline: “%(title)s” is escalated to the committee."),
                params={"title": issue.title},
                url=issue.get_absolute_url(),
            )
            counts["escalated"] += 1
    expired = Issue.objects.filter(status=Status.RESOLVED, resolved_at__lt=now - RATING_WINDOW)
    for pk in list(expired.values_list("pk", flat=True)[:200]):
        with transaction.atomic():
            issue = _lock(pk)
            if issue.status != Status.RESOLVED or issue.resolved_at >= now - RATING_WINDOW:
                continue
            issue.status, issue.closed_at = Status.CLOSED, now
            issue.save(update_fields=["status", "closed_at", "updated_at"])
            _record(issue, Kind.CLOSED, None)
            counts["closed"] += 1
    return counts

