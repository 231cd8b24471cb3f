"""What residents raise: issues, their private case, photos, timeline, followers, ratings."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from community.models.community import NAME_EN, NAME_ZH, Community, DeadlineUnit, Grid, named_in_either_language
from core.i18n import Bilingual

RATING_WINDOW = timedelta(days=14)


class Category(Bilingual, models.Model):
    """A kind of issue, from the list each community configures, named in English and Chinese."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="categories", verbose_name=_("community")
    )
    name = models.CharField(NAME_EN, max_length=80, blank=True)
    name_zh = models.CharField(NAME_ZH, max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("offered to residents"), default=True)
    # Empty: the community's deadline. Set: this category's own, e.g. a burst pipe answered in hours.
    response_deadline = models.PositiveSmallIntegerField(_("response deadline"), null=True, blank=True)
    response_deadline_unit = models.CharField(
        _("response deadline unit"), max_length=20, choices=DeadlineUnit.choices, blank=True
    )
    resolution_deadline = models.PositiveSmallIntegerField(_("resolution deadline"), null=True, blank=True)
    resolution_deadline_unit = models.CharField(
        _("resolution deadline unit"), max_length=20, choices=DeadlineUnit.choices, blank=True
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["community", "position", "name", "name_zh"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], condition=~Q(name=""), name="category_name_unique"),
            models.UniqueConstraint(fields=["community", "name_zh"], condition=~Q(name_zh=""),
                                    name="category_name_zh_unique"),
            named_in_either_language("category"),
            models.CheckConstraint(
                name="category_response_deadline_whole",
                condition=Q(response_deadline=None, response_deadline_unit="")
                | Q(response_deadline__isnull=False, response_deadline__gt=0) & ~Q(response_deadline_unit=""),
            ),
            models.CheckConstraint(
                name="category_resolution_deadline_whole",
                condition=Q(resolution_deadline=None, resolution_deadline_unit="")
                | Q(resolution_deadline__isnull=False, resolution_deadline__gt=0) & ~Q(resolution_deadline_unit=""),
            ),
        ]

    def __str__(self) -> str:
        return self.local_name


class Issue(models.Model):
    """Something a resident raised in their grid, answered for by its grid workers."""

    class Status(models.TextChoices):
        NEW = "new", _("Awaiting triage")
        NEEDS_INFO = "needs_info", _("More information asked")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved, awaiting ratings")
        CLOSED = "closed", _("Closed")
        DECLINED = "declined", _("Declined")
        MERGED = "merged", _("Merged")
        WITHDRAWN = "withdrawn", _("Withdrawn by the reporter")

    class Tier(models.TextChoices):
        ROUTINE = "routine", _("Routine")
        MAJOR = "major", _("Major: joint handling")
        EMERGENCY = "emergency", _("Emergency: on site")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online, by the resident")
        DOOR_VISIT = "door_visit", _("Door visit")
        PHONE = "phone", _("Phone call")
        WALK_IN = "walk_in", _("Walk-in at the office")
        HOTLINE = "hotline", _("City hotline")

    OPEN_STATUSES = [Status.NEW, Status.NEEDS_INFO, Status.IN_PROGRESS]

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="issues", verbose_name=_("community")
    )
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="issues", verbose_name=_("grid"))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="issues", verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=140)
    body = models.TextField(_("description"), max_length=10000, help_text=_("Markdown."))
    location = models.CharField(
        _("where"),
        max_length=140,
        blank=True,
        help_text=_("Public. A place others recognise, e.g. “east gate of Building 3”."),
    )
    building = models.ForeignKey(
        "community.Building", on_delete=models.SET_NULL, null=True, blank=True, related_name="issues",
        verbose_name=_("building"), help_text=_("Public. The building it concerns, picked on the map or from the list."),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_issues",
        verbose_name=_("reporter"),
    )
    name_public = models.BooleanField(_("show the reporter's name"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entered_issues",
        verbose_name=_("entered on behalf by"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    # The grid worker in charge: who took the issue up, or whom it was handed over to. Empty while the
    # issue awaits triage (the grid's workers share their list) or when the committee took it up.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_issues",
        verbose_name=_("grid worker in charge"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates",
        verbose_name=_("merged into"),
    )
    created_at = models.DateTimeField(_("raised"), default=timezone.now, db_index=True)
    response_due_at = models.DateTimeField(_("response due"))
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated to the committee"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(
        _("resolution due"), null=True, blank=True,
        help_text=_("Set when the issue is taken up, from its category's resolution deadline."),
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("when an issue", "closed"), null=True, blank=True)
    resolution_round = models.PositiveSmallIntegerField(
        _("resolution round"), default=0, help_text=_("How many times the issue was marked resolved.")
    )
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["grid", "status"]), models.Index(fields=["community", "status"]),
                   models.Index(fields=["assignee", "status"])]
        constraints = [
            models.CheckConstraint(
                name="issue_tier_once_triaged",
                condition=Q(status__in=["new", "needs_info", "declined", "merged", "withdrawn"]) | ~Q(tier=""),
            ),
            models.CheckConstraint(
                name="issue_merged_has_target",
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("issues:issue-detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def response_overdue(self) -> bool:
        """Awaiting triage past the deadline (which restarts when the reporter answers a question)."""
        return self.status == self.Status.NEW and timezone.now() > self.response_due_at

    @property
    def resolution_overdue(self) -> bool:
        """Taken up and not resolved by the resolution deadline (on the working calendar, set at take-up)."""
        return (self.status == self.Status.IN_PROGRESS and self.resolution_due_at is not None
                and timezone.now() > self.resolution_due_at)

    @property
    def rating_closes_at(self):
        return self.resolved_at + RATING_WINDOW if self.resolved_at else None

    @property
    def rating_open(self) -> bool:
        return self.status == self.Status.RESOLVED and timezone.now() < self.rating_closes_at


class IssueCase(models.Model):
    """The private side of an issue: who raised it and how to reach them.

    Kept in its own table so that public pages, feeds and exports, which never
    join it, cannot leak it. Seen only by the grid's workers and the committee.
    """

    issue = models.OneToOneField(Issue, on_delete=models.CASCADE, related_name="case", primary_key=True)
    reporter_name = models.CharField(_("reporter's name"), max_length=80, blank=True)
    contact = models.CharField(_("contact"), max_length=120, blank=True, help_text=_("Phone or other contact."))
    address = models.CharField(_("exact address"), max_length=160, blank=True)

    class Meta:
        verbose_name = _("issue case")
        verbose_name_plural = _("issue cases")


def issue_photo_path(instance, filename: str) -> str:
    return f"issues/{instance.issue_id}/{instance.token}.{instance.extension}"


class IssuePhoto(models.Model):
    """A photo of the issue, re-encoded on upload so no metadata (GPS…) survives."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="photos", verbose_name=_("issue"))
    token = models.CharField(_("file token"), max_length=32, unique=True)
    extension = models.CharField(_("file type"), max_length=5)
    image = models.ImageField(
        _("image"), upload_to=issue_photo_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "pk"]


class IssueEvent(models.Model):
    """One entry of an issue's public timeline, in order; ids increase, so clients resume by id."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("raised the issue")
        COMMENTED = "commented", _("commented")
        ASKED_INFO = "asked_info", _("asked for more information")
        TRIAGED = "triaged", _("triaged the issue")
        DECLINED = "declined", _("declined the issue")
        MERGED = "merged", _("merged the issue into another")
        ESCALATED = "escalated", _("escalated to the committee")
        TASK_ASSIGNED = "task_assigned", _("assigned a task")
        TASK_UPDATED = "task_updated", _("posted progress")
        ON_SITE_REPORT = "on_site_report", _("reported from the site")
        RESOLVED = "resolved", _("marked the issue resolved")
        RATED = "rated", _("rated the result")
        REOPENED = "reopened", _("reopened the issue")
        CLOSED = "closed", _("closed the issue")
        CONSULTATION = "consultation", _("put the issue before a consultation")
        MEETING = "meeting", _("put the issue on a meeting's agenda")
        EDITED = "edited", _("corrected the issue before triage")
        WITHDRAWN = "withdrawn", _("withdrew the issue")
        HANDED_OVER = "handed_over", _("handed the issue over")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The longest text a person writes onto the timeline (a comment, a question, a note, a report, a task's
    # progress); the services and forms read the limit from here.
    text = models.TextField(blank=True, max_length=5000)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    @property
    def tier_label(self) -> str:
        """The tier a triage entry chose, in the reader's language."""
        tier = self.data.get("tier")
        return Issue.Tier(tier).label if tier in Issue.Tier.values else ""

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["created_at", "pk"]


class IssueFollow(models.Model):
    """A resident who follows an issue ("me too"): told of changes, may rate."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="follows", verbose_name=_("issue"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_issues", verbose_name=_("person")
    )
    created_at = models.DateTimeField(pgettext_lazy("following an issue", "since"), default=timezone.now)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [models.UniqueConstraint(fields=["issue", "user"], name="follow_once")]


class Rating(models.Model):
    """How well a resolved issue was handled, 1–5, by its reporter or a follower, once per round."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="ratings")
    round = models.PositiveSmallIntegerField(_("resolution round"))
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    by_reporter = models.BooleanField(_("by the reporter"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["issue", "user", "round"], name="rate_once_per_round"),
            models.CheckConstraint(name="score_1_to_5", condition=Q(score__gte=1, score__lte=5)),
        ]
