"""Issues: raise, triage and handle — each step a timeline entry the reporter sees.

Resolving, rating, following and the deadline sweep are in ``issue_outcomes``.
"""

from contextlib import contextmanager
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import audit
from community import permissions as community_permissions
from community.models import Building, Grid, User
from core import limits
from core.i18n import freeze
from core.photos import clean_photos
from core.text import clean_text, max_length
from issues import permissions
from issues.deadlines import resolution_due, response_due
from issues.models import Category, Issue, IssueCase, IssueEvent, IssueFollow, IssuePhoto
from issues.services.timeline import (
    actor_name,
    committee_of,
    first_response,
    followers,
    grid_workers,
    lock_issue,
    record,
    tell_followers,
)
from ledger.models import Decision, Task
from ledger.services import create_task, record_decision
from notifications.services import notify

Status, Tier, Kind = Issue.Status, Issue.Tier, IssueEvent.Kind


# Raising -------------------------------------------------------------------------------


SAME_ISSUE_WITHIN = timedelta(minutes=30)


def raise_issue(actor: User, **fields) -> Issue:
    """A verified resident raises an issue in their grid, or a grid worker enters one on their behalf."""
    limits.hit(actor, "issue")
    written: list = []
    with _files_removed_on_error(written), transaction.atomic():
        return _raise_issue(actor, written=written, **fields)


def _raise_issue(
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
    building_id: int | None = None,
    written: list,
) -> Issue:
    grid = Grid.objects.select_related("community").filter(pk=grid_id).first()
    if grid is None:
        raise ValidationError(_("Choose one of the community's grids."))
    entered = bool(on_behalf_of.strip())
    if entered:
        community_permissions.require(
            permissions.can_enter_issue_on_behalf(actor, grid),
            _("Only this grid's workers and the committee can enter an issue for a resident."),
        )
        if channel not in Issue.Channel.values or channel == Issue.Channel.ONLINE:
            raise ValidationError(_("Say how you met the resident: door visit, phone, walk-in or hotline."))
    else:
        community_permissions.require(
            permissions.can_raise_issue(actor, grid),
            _("Only verified residents of this grid can raise an issue here. Ask to join the grid first."),
        )
        channel = Issue.Channel.ONLINE
    category = Category.objects.filter(pk=category_id, community=grid.community, active=True).first()
    if category is None:
        raise ValidationError(_("Choose one of the community's categories."))
    building = None
    if building_id is not None:
        building = Building.objects.filter(pk=building_id, grid=grid).first()
        if building is None:
            raise ValidationError(_("That building is not in %(grid)s: choose one of its buildings, or none.")
                                  % {"grid": grid})
    title = clean_text(title, field=_("The title"), limit=max_length(Issue, "title"))
    body = clean_text(body, field=_("The description"), limit=max_length(Issue, "body"))
    # The same words sent again by the same person within minutes — "back" and the button again, a second
    # device — are the same issue. The person's row is locked so two such posts at once cannot both pass.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    now = timezone.now()
    same = Issue.objects.filter(
        grid=grid, title=title, body=body, created_at__gte=now - SAME_ISSUE_WITHIN,
        **({"entered_by": actor, "case__reporter_name": on_behalf_of.strip()} if entered else {"reporter": actor}),
    ).order_by("-pk").first()
    if same is not None:
        same.sent_again = True
        return same
    cleaned_photos = clean_photos(photos or [])  # before any write: a bad photo saves nothing
    issue = Issue.objects.create(
        community=grid.community,
        grid=grid,
        category=category,
        title=title,
        body=body,
        location=clean_text(location, field=_("The place"), required=False, limit=max_length(Issue, "location")),
        building=building,
        reporter=None if entered else actor,
        name_public=name_public and not entered,  # a resident met in person is never named in public
        entered_by=actor if entered else None,
        channel=channel,
        created_at=now,
        response_due_at=response_due(grid.community, category, now),
    )
    IssueCase.objects.create(
        issue=issue,
        reporter_name=clean_text(on_behalf_of, field=_("The resident's name"), required=False,
                                 limit=max_length(IssueCase, "reporter_name")),
        contact=clean_text(contact, field=_("The contact"), required=False, limit=max_length(IssueCase, "contact")),
        address=clean_text(address, field=_("The address"), required=False, limit=max_length(IssueCase, "address")),
    )
    for content, token, extension in cleaned_photos:
        photo = IssuePhoto(issue=issue, token=token, extension=extension)
        photo.image.save(content.name, content, save=True)
        written.append(photo.image)
    record(issue, Kind.RAISED, actor, channel=channel, entered=entered)
    if entered:
        audit.record(actor, "issue.entered", community=grid.community_id, target=issue, channel=channel)
    if not entered:
        IssueFollow.objects.create(issue=issue, user=actor)
    notify(
        grid_workers(grid),
        message=gettext_lazy("New issue in your grid: “%(title)s”"),
        params={"title": issue.title},
        url=issue.get_absolute_url(),
        exclude=actor,
    )
    return issue


@contextmanager
def _files_removed_on_error(written: list):
    """Photo files are written inside the transaction; if it fails, none of them stays behind."""
    try:
        yield
    except BaseException:
        for field in written:
            field.storage.delete(field.name)
        raise


# Triage --------------------------------------------------------------------------------


@transaction.atomic
def ask_for_information(actor: User, *, issue_id: int, question: str) -> Issue:
    """Ask the reporter for more before triaging; the issue waits for their answer."""
    issue = lock_issue(issue_id)
    community_permissions.require(community_permissions.looks_after(actor, issue.grid))
    if issue.status not in (Status.NEW, Status.NEEDS_INFO):
        raise ValidationError(_("Only an issue awaiting triage can ask for more information."))
    question = clean_text(question, field=_("The question"), limit=max_length(IssueEvent, "text"))
    issue.status = Status.NEEDS_INFO
    first_response(issue)
    issue.save(update_fields=["status", "first_response_at", "updated_at"])
    record(issue, Kind.ASKED_INFO, actor, question)
    tell_followers(issue, actor, gettext_lazy("%(actor)s asks for more information about “%(title)s”"))
    return issue


def _task_for(issue: Issue, actor: User, *, title: str, owner_user_id, owner_organisation_id, due_date) -> Task:
    task = {"title": title, "owner_user_id": owner_user_id, "owner_organisation_id": owner_organisation_id,
            "due_date": due_date}
    decision = issue.decisions.filter(source=Decision.Source.TRIAGE).first()
    if decision is None:  # the first task of a routine issue: the triage is the decision it follows up
        decision = record_decision(
            actor, community=issue.community, title=issue.title, source=Decision.Source.TRIAGE, issue=issue,
            note=freeze(gettext_lazy("Handled as a routine matter after triage of issue #%(id)s."), {"id": issue.pk}),
            tasks=[task],
        )
        task = decision.tasks.get()
    else:
        task = create_task(actor, decision=decision, issue=issue, **task)
    record(issue, Kind.TASK_ASSIGNED, actor, task.title, task_id=task.pk, owner=str(task.owner),
           due=due_date.isoformat())
    audit.record(actor, "issue.assigned", community=issue.community_id, target=issue, task=task.title,
                 owner=str(task.owner), due=due_date.isoformat())
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
    consultation_id: int | None = None,
) -> Issue:
    """Sort an issue into routine (a task now), major (joint handling) or emergency (on site).

    A major issue can at once be put before an open consultation on the matter.
    """
    issue = lock_issue(issue_id)
    community_permissions.require(community_permissions.looks_after(actor, issue.grid))
    if not permissions.can_triage(actor, issue):
        raise ValidationError(_("This issue was already triaged."))
    if tier not in Tier.values:
        raise ValidationError(_("Choose routine, major or emergency."))
    if consultation_id and tier != Tier.MAJOR:
        raise ValidationError(_("Only a major issue is put before a consultation."))
    note = clean_text(note, field=_("The note"), required=False, limit=max_length(IssueEvent, "text"))
    issue.status, issue.tier = Status.IN_PROGRESS, tier
    first_response(issue)
    # Taken up: the resolution clock starts now, on the working calendar.
    issue.resolution_due_at = resolution_due(issue.community, issue.category, timezone.now())
    if community_permissions.is_grid_worker_of(actor, issue.grid):
        issue.assignee = actor  # the worker who takes it up is in charge until they hand it over
    issue.save(update_fields=["status", "tier", "first_response_at", "resolution_due_at", "assignee", "updated_at"])
    record(issue, Kind.TRIAGED, actor, note, tier=tier)
    audit.record(actor, "issue.triaged", community=issue.community_id, target=issue, tier=tier)
    if tier == Tier.ROUTINE:
        _task_for(
            issue, actor, title=task_title or issue.title, owner_user_id=owner_user_id,
            owner_organisation_id=owner_organisation_id, due_date=due_date,
        )
    if tier == Tier.EMERGENCY:
        notify(
            committee_of(issue),
            message=gettext_lazy("Emergency in %(grid)s: “%(title)s”. Someone is needed on site now."),
            params={"title": issue.title, "grid": issue.grid},
            url=issue.get_absolute_url(),
            exclude=actor,
        )
    elif tier == Tier.MAJOR and consultation_id:
        # consult's service, named by a setting: the issues app imports no later app
        import_string(settings.YISHI_ISSUE_TO_CONSULTATION)(actor, issue_id=issue.pk, consultation_id=consultation_id)
    elif tier == Tier.MAJOR:
        notify(
            committee_of(issue),
            message=gettext_lazy("A major issue waits for joint handling: “%(title)s”"),
            params={"title": issue.title},
            url=issue.get_absolute_url(),
            exclude=actor,
            email=False,
        )
    tell_followers(issue, actor, gettext_lazy("“%(title)s” was triaged and is being handled"))
    return issue


@transaction.atomic
def assign_task(
    actor: User, *, issue_id: int, title: str, owner_user_id=None, owner_organisation_id=None, due_date=None
) -> Task:
    """Add a follow-up task to an issue being handled."""
    issue = lock_issue(issue_id)
    community_permissions.require(community_permissions.looks_after(actor, issue.grid))
    if not permissions.can_handle(actor, issue):
        raise ValidationError(_("Tasks can be added only while the issue is in progress."))
    community_permissions.require(
        permissions.can_assign_task(actor, issue),
        _("A major issue is handled jointly: only the committee assigns its tasks."),
    )
    task = _task_for(issue, actor, title=title, owner_user_id=owner_user_id,
                     owner_organisation_id=owner_organisation_id, due_date=due_date)
    issue.save(update_fields=["updated_at"])
    tell_followers(issue, actor, gettext_lazy("A task was added to “%(title)s”: %(task)s"), task=task.title)
    return task


@transaction.atomic
def decline_issue(actor: User, *, issue_id: int, reason: str) -> Issue:
    """Decline an issue, with a reason the reporter reads."""
    issue = lock_issue(issue_id)
    community_permissions.require(community_permissions.looks_after(actor, issue.grid))
    if issue.status not in (Status.NEW, Status.NEEDS_INFO):
        raise ValidationError(_("Only an issue awaiting triage can be declined."))
    reason = clean_text(reason, field=_("The reason"), limit=max_length(IssueEvent, "text"))
    issue.status, issue.closed_at = Status.DECLINED, timezone.now()
    first_response(issue)
    issue.save(update_fields=["status", "closed_at", "first_response_at", "updated_at"])
    record(issue, Kind.DECLINED, actor, reason)
    audit.record(actor, "issue.declined", community=issue.community_id, target=issue, reason=reason)
    tell_followers(issue, actor, gettext_lazy("“%(title)s” was declined. The reason is on the issue page."))
    return issue


@transaction.atomic
def merge_issue(actor: User, *, issue_id: int, into_id: int) -> Issue:
    """Merge a duplicate into another open issue of the same community; its followers move over."""
    if issue_id == into_id:
        raise ValidationError(_("An issue cannot be merged into itself."))
    first, second = sorted([issue_id, into_id])  # lock in id order: no deadlock between two merges
    locked = {first: lock_issue(first), second: lock_issue(second)}
    issue, target = locked[issue_id], locked[into_id]
    community_permissions.require(community_permissions.looks_after(actor, issue.grid))
    if issue.status not in (Status.NEW, Status.NEEDS_INFO):
        raise ValidationError(_("Only an issue awaiting triage can be merged."))
    if target.community_id != issue.community_id or not target.is_open:
        raise ValidationError(_("Merge into an open issue of the same community."))
    community_permissions.require(
        community_permissions.looks_after(actor, target.grid), _("You can merge only into an issue of a grid you look after.")
    )
    issue.status, issue.merged_into, issue.closed_at = Status.MERGED, target, timezone.now()
    first_response(issue)
    issue.save(update_fields=["status", "merged_into", "closed_at", "first_response_at", "updated_at"])
    for user in followers(issue):
        IssueFollow.objects.get_or_create(issue=target, user=user)
    record(issue, Kind.MERGED, actor, into=target.pk, into_title=target.title)
    audit.record(actor, "issue.merged", community=issue.community_id, target=issue, into=target.pk)
    record(target, Kind.MERGED, actor, merged=issue.pk, merged_title=issue.title)
    tell_followers(issue, actor, gettext_lazy("“%(title)s” was merged into an issue about the same matter"))
    return issue


# Handling ------------------------------------------------------------------------------


@transaction.atomic
def comment_on_issue(actor: User, *, issue_id: int, text: str) -> IssueEvent:
    """Comment on the timeline. A reporter's answer puts an issue waiting for information back to triage."""
    limits.hit(actor, "comment")
    issue = lock_issue(issue_id)
    community_permissions.require(permissions.can_comment(actor, issue), _("Only members of this community can comment."))
    text = clean_text(text, field=_("The comment"), limit=max_length(IssueEvent, "text"))
    event = record(issue, Kind.COMMENTED, actor, text)
    if issue.status == Status.NEEDS_INFO and issue.reporter_id == actor.pk:
        # The answer starts the clock again: the grid workers owe a response within the deadline.
        issue.status, issue.escalated_at = Status.NEW, None
        issue.response_due_at = response_due(issue.community, issue.category, timezone.now())
    issue.save(update_fields=["status", "escalated_at", "response_due_at", "updated_at"])
    tell_followers(issue, actor, gettext_lazy("%(actor)s commented on “%(title)s”"))
    if issue.status == Status.NEW:
        notify(grid_workers(issue.grid), message=gettext_lazy("%(actor)s commented on “%(title)s”"),
               params={"title": issue.title, "actor": actor_name(issue, actor)}, url=issue.get_absolute_url(),
               exclude=actor, email=False)
    return event


@transaction.atomic
def report_on_site(actor: User, *, issue_id: int, text: str) -> IssueEvent:
    """The on-site report an emergency expects: what was found and done."""
    issue = lock_issue(issue_id)
    community_permissions.require(community_permissions.looks_after(actor, issue.grid))
    if not permissions.can_handle(actor, issue):
        raise ValidationError(_("Reports can be added only while the issue is in progress."))
    text = clean_text(text, field=_("The report"), limit=max_length(IssueEvent, "text"))
    event = record(issue, Kind.ON_SITE_REPORT, actor, text)
    issue.save(update_fields=["updated_at"])
    tell_followers(issue, actor, gettext_lazy("%(actor)s reported from the site of “%(title)s”"))
    return event


def _own_untriaged(actor: User, issue_id: int) -> Issue:
    issue = lock_issue(issue_id)
    community_permissions.require(issue.reporter_id == actor.pk and actor.is_active,
                                  _("Only the person who raised an issue corrects or withdraws it."))
    if issue.status != Status.NEW:
        raise ValidationError(_("The grid workers have taken the issue up: add to its timeline instead."))
    return issue


@transaction.atomic
def edit_own_issue(actor: User, *, issue_id: int, title: str, body: str, location: str = "") -> Issue:
    """Its reporter corrects an issue before triage; the timeline keeps the earlier words."""
    issue = _own_untriaged(actor, issue_id)
    before = {"title": issue.title, "body": issue.body, "location": issue.location}
    issue.title = clean_text(title, field=_("The title"), limit=max_length(Issue, "title"))
    issue.body = clean_text(body, field=_("The description"), limit=max_length(Issue, "body"))
    issue.location = clean_text(location, field=_("The place"), required=False, limit=max_length(Issue, "location"))
    issue.save(update_fields=["title", "body", "location", "updated_at"])
    record(issue, Kind.EDITED, actor, **{f"earlier_{k}": v for k, v in before.items()})
    return issue


@transaction.atomic
def withdraw_issue(actor: User, *, issue_id: int, reason: str = "") -> Issue:
    """Its reporter withdraws an issue before triage (solved by itself, raised by mistake); the grid is told."""
    issue = _own_untriaged(actor, issue_id)
    issue.status = Status.WITHDRAWN
    issue.save(update_fields=["status", "updated_at"])
    record(issue, Kind.WITHDRAWN, actor, clean_text(reason, field=_("The reason"), required=False,
                                                    limit=max_length(IssueEvent, "text")))
    notify(grid_workers(issue.grid), message=gettext_lazy("“%(title)s” was withdrawn by its reporter."),
           params={"title": issue.title}, url=issue.get_absolute_url(), exclude=actor, email=False)
    return issue
