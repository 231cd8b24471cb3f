"""The follow-up ledger: decisions, the tasks they create, and each task's public updates."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from community.models.community import Community, Organisation
from core.i18n import thaw


class Decision(models.Model):
    """Something decided — by triage, a consultation, a meeting or a poll — that must be followed up."""

    class Source(models.TextChoices):
        TRIAGE = "triage", _("Issue triage")
        COMMITTEE = "committee", _("Committee decision")
        CONSULTATION = "consultation", _("Consultation")
        MEETING = "meeting", _("Meeting")
        POLL = "poll", _("Poll")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("community")
    )
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("text"), blank=True, max_length=10000, help_text=_("Markdown."))
    note = models.JSONField(
        _("what the system noted"), default=dict, blank=True,
        help_text=_("A message key and its parameters (\"Adopted by vote: …\"), shown in the reader's language."),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    issue = models.ForeignKey(
        "issues.Issue", on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions",
        verbose_name=_("issue"),
    )
    consultation = models.ForeignKey(
        "consult.Consultation", on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions",
        verbose_name=_("consultation"),
    )
    is_public = models.BooleanField(
        _("public"), default=True,
        help_text=_("A decision of a closed meeting is public once its minutes are approved."),
    )
    no_follow_up = models.CharField(
        _("why no follow-up is needed"), max_length=500, blank=True,
        help_text=_("Set by the committee for a decision that needs no task; empty while tasks are expected."),
    )
    decided_at = models.DateTimeField(pgettext_lazy("a decision", "decided"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=pgettext_lazy("a decision", "decided by"),
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ledger:decision-detail", kwargs={"pk": self.pk})

    @property
    def note_text(self) -> str:
        """What the system noted about the decision, in the language of whoever reads it."""
        return thaw(self.note)

    @property
    def text(self) -> str:
        """The note and the written text together (Markdown), for readers outside the page: API, feeds."""
        return "\n\n".join(part for part in (self.note_text, self.body) if part)


class Task(models.Model):
    """A piece of follow-up work with an owner, a due date and public progress."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        BLOCKED = "blocked", _("Blocked")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    FINISHED = [Status.DONE, Status.CANCELLED]

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="tasks")
    issue = models.ForeignKey(
        "issues.Issue", on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks", verbose_name=_("issue")
    )
    title = models.CharField(_("task"), max_length=160)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks",
        verbose_name=_("owner (person)"),
    )
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks",
        verbose_name=_("owner (organisation)"),
    )
    due_date = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                name="task_has_exactly_one_owner",
                condition=(Q(owner_user__isnull=False, owner_organisation=None)
                           | Q(owner_user=None, owner_organisation__isnull=False)),
            ),
            models.CheckConstraint(name="progress_0_to_100", condition=Q(progress__lte=100)),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self):
        return self.owner_organisation or self.owner_user

    @property
    def is_overdue(self) -> bool:
        return self.status not in self.FINISHED and self.due_date < timezone.localdate()


def task_photo_path(instance, filename: str) -> str:
    return f"tasks/{instance.task_id}/{instance.photo_token}.{instance.photo_extension}"


class TaskUpdate(models.Model):
    """A public progress report on a task."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("what was done"), max_length=5000)
    progress = models.PositiveSmallIntegerField(_("progress %"))
    status = models.CharField(_("status"), max_length=20, choices=Task.Status.choices)
    photo = models.ImageField(upload_to=task_photo_path, blank=True)
    photo_token = models.CharField(max_length=32, blank=True)
    photo_extension = models.CharField(max_length=5, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("task update")
        verbose_name_plural = _("task updates")
        ordering = ["created_at", "pk"]
