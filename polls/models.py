"""Polls: options, who may vote, and open votes. Secret ballots are not here: they are in the ballot box
(polls/box.py), a file where nothing links a ballot to its voter."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from community.models import Building, Community, Grid, Owner
from consult.models import Consultation, Proposal
from ledger.models import Decision
from meetings.models import AgendaItem, Meeting

User = settings.AUTH_USER_MODEL


class Poll(models.Model):
    """A question put to an audience, counted by one method, under rules fixed once voting starts."""

    class Method(models.TextChoices):
        YES_NO = "yes_no", _("Yes / no / abstain")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        RANKED = "ranked", _("Ranked choice (instant runoff)")
        SCORE = "score", _("Score each option from 0 to 5")

    class Audience(models.TextChoices):
        COMMUNITY = "community", _("The residents of the community")
        GRID = "grid", _("The residents of one grid")
        ATTENDEES = "attendees", _("Those checked in at a meeting")
        COMMITTEE = "committee", _("The committee")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for voting")
        CLOSED = "closed", pgettext_lazy("a poll", "Closed")

    class Quorum(models.TextChoices):
        NONE = "none", _("No quorum")
        COUNT = "count", _("At least this many voters")
        SHARE = "share", _("At least this percentage of the eligible")

    class Threshold(models.TextChoices):
        SIMPLE = "simple", _("Simple majority (more than half)")
        TWO_THIRDS = "two_thirds", _("Two-thirds majority")

    class Base(models.TextChoices):
        CAST = "cast", _("of the votes cast")
        BALLOTS = "ballots", _("of all ballots")
        ELIGIBLE = "eligible", _("of everyone eligible")

    class Kind(models.TextChoices):
        GENERAL = "general", _("A vote of residents, the committee or a meeting")
        OWNERS = "owners", _("An owners' decision (Article 278 of the Civil Code)")

    class Matter(models.IntegerChoices):
        RULES_OF_PROCEDURE = 1, _("Make or amend the owners' assembly's rules of procedure")
        MANAGEMENT_STATUTE = 2, _("Make or amend the management statute")
        OWNERS_COMMITTEE = 3, _("Elect the owners' committee or replace its members")
        PROPERTY_MANAGER = 4, _("Hire or dismiss the property manager or another manager")
        USE_FUND = 5, _("Use the maintenance fund of the buildings and their facilities")
        RAISE_FUND = 6, _("Raise the maintenance fund")
        REBUILD = 7, _("Rebuild or alter buildings and their facilities (e.g. add a lift)")
        COMMON_PARTS = 8, _("Change the use of common parts, or run a business in them")
        OTHER = 9, _("Another major matter of common ownership and management")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="polls",
                                  verbose_name=_("community"))
    kind = models.CharField(_("kind of vote"), max_length=10, choices=Kind.choices, default=Kind.GENERAL)
    matter = models.PositiveSmallIntegerField(_("matter"), choices=Matter.choices, null=True, blank=True)
    building = models.ForeignKey(Building, on_delete=models.PROTECT, null=True, blank=True, related_name="polls",
                                 verbose_name=_("building"),
                                 help_text=_("Only the owners of this building decide; empty: the whole community."))
    show_unit_votes = models.BooleanField(
        _("open vote: publish how each unit voted"), default=False,
        help_text=_("Otherwise the announcement lists the units that took part, not how each voted."))
    announce_days = models.PositiveSmallIntegerField(
        _("days the result is announced"), default=7,
        help_text=_("An owners' decision's result stays on the community's page this many days after its count."))
    title = models.CharField(_("question"), max_length=200)
    body = models.TextField(_("explanation"), max_length=10000, blank=True, help_text=_("Markdown."))
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, default=Method.YES_NO)
    min_choices = models.PositiveSmallIntegerField(_("at least"), default=1)
    max_choices = models.PositiveSmallIntegerField(_("at most"), default=1)
    audience = models.CharField(_("who votes"), max_length=20, choices=Audience.choices, default=Audience.COMMUNITY)
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, null=True, blank=True, related_name="polls",
                             verbose_name=_("grid"))
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="polls",
                                verbose_name=_("meeting"))
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="polls", verbose_name=_("agenda item"))
    consultation = models.ForeignKey(Consultation, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="polls", verbose_name=_("consultation"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True,
                                    help_text=_("Leave empty to open it by hand (e.g. live in a meeting)."))
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True,
                                     help_text=_("Leave empty to close it by hand."))
    secret = models.BooleanField(_("secret ballot"), default=True)
    quorum_kind = models.CharField(_("quorum"), max_length=10, choices=Quorum.choices, default=Quorum.NONE)
    quorum_value = models.PositiveIntegerField(_("quorum value"), default=0)
    threshold = models.CharField(_("majority needed"), max_length=20, choices=Threshold.choices,
                                 default=Threshold.SIMPLE)
    threshold_base = models.CharField(
        _("majority of"), max_length=10, choices=Base.choices, default=Base.CAST,
        help_text=_("Of the votes cast: yes and no, without abstentions; for ranked choice, the ballots still "
                    "counting in the final round. Of all ballots: abstentions and exhausted ballots too."))
    live_results = models.BooleanField(_("show results while voting"), default=False,
                                       help_text=_("Never for a secret ballot: its counts appear after it closes."))
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("when a poll", "closed"), null=True, blank=True)
    eligible_count = models.PositiveIntegerField(_("eligible voters"), null=True, blank=True)
    tiebreak = models.JSONField(_("tie-break order"), default=list, blank=True,
                                help_text=_("Drawn at random when the poll opens: an option earlier in it wins a tie."))
    rules_digest = models.CharField(_("rules digest"), max_length=64, blank=True)
    box_key = models.CharField(max_length=32, blank=True, editable=False)  # the ballot box of a secret poll
    ballot_box_digest = models.CharField(_("ballot box digest"), max_length=64, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    decision = models.ForeignKey(Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="poll_min_max", condition=Q(min_choices__lte=models.F("max_choices"))),
            models.CheckConstraint(name="poll_grid_audience",
                                   condition=Q(audience="grid", grid__isnull=False) | ~Q(audience="grid")),
            models.CheckConstraint(name="poll_meeting_audience",
                                   condition=Q(audience="attendees", meeting__isnull=False) | ~Q(audience="attendees")),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("polls:poll-detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return (self.status == self.Status.OPEN and (self.opens_at is None or self.opens_at <= now)
                and (self.closes_at is None or now < self.closes_at))

    @property
    def is_closing(self) -> bool:
        """Open, but past its closing time: voting has ended and the worker is about to count."""
        return self.status == self.Status.OPEN and self.closes_at is not None and self.closes_at <= timezone.now()

    @property
    def shown_status(self) -> str:
        """The status as people should read it: "closing" between the closing time and the count."""
        return "closing" if self.is_closing else self.status

    def get_shown_status_display(self) -> str:
        return _("Voting ended") if self.is_closing else self.get_status_display()

    @property
    def shows_counts(self) -> bool:
        """No counts of a secret poll before it closes; an open poll's only if chosen."""
        return self.status == self.Status.CLOSED or (self.live_results and not self.secret)


class Option(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("option"), max_length=200)
    proposal = models.ForeignKey(Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Voter(models.Model):
    """The voter roll: who may vote, fixed when the poll opens (joining or checking in later does not count)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="voters")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voter roll")
        constraints = [models.UniqueConstraint(fields=["poll", "user"], name="on_the_roll_once")]


class OpenVote(models.Model):
    """A vote in an open poll: who voted what, public, and changeable until the poll closes."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="open_votes")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    choices = models.JSONField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("open vote")
        verbose_name_plural = _("open votes")
        constraints = [models.UniqueConstraint(fields=["poll", "user"], name="open_vote_once")]


class OwnerParty(models.Model):
    """What counts as one owner in an owners' decision, fixed when it opens: the units whose owners are the
    same people (one buyer's several units count once), or the developer's unsold units together."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="parties")
    owners = models.ManyToManyField(Owner, related_name="parties", blank=True)
    units = models.JSONField(_("units"), default=list)  # their names, "Building 3 101", as at the opening
    area = models.DecimalField(_("exclusive floor area (m²)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("owner on the roll")
        verbose_name_plural = _("owners on the roll")
        ordering = ["pk"]

    def __str__(self) -> str:
        return ", ".join(self.units)


class OwnerBallot(models.Model):
    """An owner's vote: one per party (a co-owner's vote is the unit's), online, on paper or by proxy."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper ballot")
        PROXY = "proxy", _("By proxy")

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="owner_ballots")
    party = models.OneToOneField(OwnerParty, on_delete=models.CASCADE, related_name="ballot")
    choice = models.CharField(_("choice"), max_length=10, choices=[("yes", _("Yes")), ("no", _("No")),
                                                                   ("abstain", _("Abstain"))])
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)
    cast_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("owner's ballot")
        verbose_name_plural = _("owners' ballots")


class PaperEntry(models.Model):
    """A paper ballot as one official keyed it in. Two officials key each ballot; when they agree it is counted,
    when they differ it waits until an official who checked the paper settles it."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="paper_entries")
    party = models.ForeignKey(OwnerParty, on_delete=models.CASCADE, related_name="paper_entries")
    choice = models.CharField(_("choice"), max_length=10)
    keyed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    keyed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["keyed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["party", "keyed_by"], name="paper_keyed_once_each")]


class Proxy(models.Model):
    """An owner's written authorisation for someone to vote for them in one owners' decision, its signed form
    photographed, witnessed by a grid worker or a committee member."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="proxies")
    party = models.OneToOneField(OwnerParty, on_delete=models.CASCADE, related_name="proxy")
    proxy = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", verbose_name=_("proxy"))
    form = models.FileField(_("signed authorisation"), upload_to="proxies/")
    witnessed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+",
                                     verbose_name=_("witnessed by"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("proxy")
        verbose_name_plural = _("proxies")


class Observer(models.Model):
    """Someone the committee named to watch a poll's count: once it is closed they confirm the ballot box digest
    they checked, with their name and the time, in public. A digest changed afterwards no longer matches theirs."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="observers")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    confirmed_digest = models.CharField(_("digest confirmed"), max_length=64, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("observer")
        verbose_name_plural = _("observers")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["poll", "user"], name="observer_once")]
