"""Meetings: scheduling, invitations, attendance, the agenda, the live room's log, the speaker queue, minutes."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from community.models import Community, Grid, Organisation
from consult.models import Consultation, Proposal
from issues.models import Issue
from ledger.models import Decision

User = settings.AUTH_USER_MODEL


OPEN_EARLY = timedelta(hours=1)
OPEN_UNTIL_WITHOUT_END = timedelta(hours=4)


class Meeting(models.Model):
    """A meeting of the committee, residents and organisations: scheduled, then live, then adjourned."""

    class Kind(models.TextChoices):
        JOINT = "joint", _("Joint meeting")
        COUNCIL = "council", _("Resident council")
        HEARING = "hearing", _("Hearing")
        COMMITTEE = "committee", _("Committee meeting")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("Live now")
        ADJOURNED = "adjourned", _("Adjourned")
        CANCELLED = "cancelled", _("Cancelled")

    class Audience(models.TextChoices):
        INVITED = "invited", _("Only those invited")
        GRID = "grid", _("The residents of one grid")
        COMMUNITY = "community", _("The whole community")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="meetings",
                                  verbose_name=_("community"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.JOINT)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), max_length=10000, blank=True, help_text=_("Markdown."))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("in the live room online"), default=True)
    chair = models.ForeignKey(User, on_delete=models.PROTECT, related_name="chaired_meetings", verbose_name=_("chair"))
    secretary = models.ForeignKey(User, on_delete=models.PROTECT, related_name="minuted_meetings",
                                  verbose_name=_("secretary"))
    audience = models.CharField(_("invited"), max_length=20, choices=Audience.choices, default=Audience.INVITED)
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings",
                             verbose_name=_("grid"))
    quorum = models.PositiveIntegerField(_("quorum"), default=0,
                                         help_text=_("How many people must be checked in for decisions."))
    is_public = models.BooleanField(_("public"), default=True,
                                    help_text=_("Anyone may watch a public meeting and read its minutes."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    current_item = models.ForeignKey("AgendaItem", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("current agenda item"))
    started_at = models.DateTimeField(_("opened"), null=True, blank=True)
    adjourned_at = models.DateTimeField(_("adjourned"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Corrections before it opens: each change of time or place, and a cancellation, is a new calendar revision.
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    revised_at = models.DateTimeField(_("last corrected"), null=True, blank=True)
    change_reason = models.CharField(_("reason for the last change"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="meeting_grid_audience", condition=Q(audience="grid", grid__isnull=False)
                                   | ~Q(audience="grid")),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting-detail", kwargs={"pk": self.pk})

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.LIVE

    @property
    def expected_end(self):
        """Its end, or for a meeting without one, four hours after it starts."""
        return self.ends_at or self.starts_at + OPEN_UNTIL_WITHOUT_END

    @property
    def opens_from(self):
        """The chair can open the meeting from an hour before it starts until its end."""
        return self.starts_at - OPEN_EARLY

    @property
    def is_past_due(self) -> bool:
        """Scheduled, but its end has passed without anyone opening it."""
        return self.status == self.Status.SCHEDULED and self.expected_end < timezone.now()


class Invitation(models.Model):
    """An invited person or organisation, and their answer."""

    class Response(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        YES = "yes", pgettext_lazy("invitation answer", "Yes")
        NO = "no", pgettext_lazy("invitation answer", "No")
        MAYBE = "maybe", pgettext_lazy("invitation answer", "Maybe")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="invitations")
    response = models.CharField(_("answer"), max_length=10, choices=Response.choices, default=Response.PENDING)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(name="invitation_one_invitee",
                                   condition=Q(user__isnull=False, organisation=None)
                                   | Q(user=None, organisation__isnull=False)),
            models.UniqueConstraint(fields=["meeting", "user"], name="invite_person_once"),
            models.UniqueConstraint(fields=["meeting", "organisation"], name="invite_organisation_once"),
        ]


class Attendance(models.Model):
    """Someone present: checked in by themselves in the room, or by the secretary at the door."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="attendances")
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("representing"))
    checked_in_at = models.DateTimeField(default=timezone.now)
    checked_in_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="check_in_once")]


class AgendaItem(models.Model):
    """One item of the agenda, in order, with its time, its links and, after discussion, its outcome."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested by a resident")
        ACCEPTED = "accepted", _("On the agenda")
        DECLINED = "declined", pgettext_lazy("an agenda suggestion", "Declined")

    class Outcome(models.TextChoices):
        NONE = "", _("Not discussed yet")
        DECIDED = "decided", _("Decided")
        DEFERRED = "deferred", _("Deferred")
        NO_DECISION = "no_decision", _("No decision")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    minutes_allotted = models.PositiveIntegerField(_("minutes allotted"), default=10)
    issue = models.ForeignKey(Issue, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items",
                              verbose_name=_("issue"))
    consultation = models.ForeignKey(Consultation, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="agenda_items", verbose_name=_("consultation"))
    proposal = models.ForeignKey(Proposal, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="agenda_items", verbose_name=_("proposal"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACCEPTED)
    suggested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_text = models.TextField(_("what was decided"), max_length=5000, blank=True)
    decision = models.ForeignKey(Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class RoomEvent(models.Model):
    """Everything said and done in the live room, in order: ids increase, so clients resume with ``since``."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30)
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    body = models.TextField(max_length=2000, blank=True)
    data = models.JSONField(default=dict, blank=True)
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["meeting", "id"])]


class SpeakerRequest(models.Model):
    """A raised hand: waiting in the queue, then speaking, then done (or withdrawn, or removed)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SPEAKING = "speaking", _("Speaking")
        DONE = "done", _("Spoke")
        WITHDRAWN = "withdrawn", _("Lowered the hand")
        REMOVED = "removed", _("Removed by the chair")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speakers")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    seconds = models.PositiveIntegerField(default=120)
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            # One raised hand per person, and one speaker at a time: the database decides races.
            models.UniqueConstraint(fields=["meeting", "user"], condition=Q(status__in=["waiting", "speaking"]),
                                    name="one_hand_per_person"),
            models.UniqueConstraint(fields=["meeting"], condition=Q(status="speaking"), name="one_speaker_at_a_time"),
        ]


class Minutes(models.Model):
    """The minutes: written live by the secretary, approved by the chair, then public, with every revision kept."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Approved and published")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    body = models.TextField(_("minutes"), max_length=100000, blank=True, help_text=_("Markdown."))
    version = models.PositiveIntegerField(default=0)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_at_meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="approved_minutes",
        verbose_name=_("approved at the meeting"),
    )

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")


class MinutesRevision(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    body = models.TextField(max_length=100000)
    saved_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["version"]
        constraints = [models.UniqueConstraint(fields=["minutes", "version"], name="minutes_version_once")]


class Presence(models.Model):
    """An open socket in the room, for the "who is here" list; removed when the socket closes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="presences")
    channel_name = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    joined_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)  # sockets ping; a dead process's rows fade out


class Mute(models.Model):
    """The chair silenced a participant for this meeting: no chat, no raised hand, until lifted."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="mutes")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    muted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    muted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="mute_once_per_meeting")]
