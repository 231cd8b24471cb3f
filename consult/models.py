"""Consultations: phased deliberation with proposals, supports, threaded comments and moderation."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models.community import Community, Grid, Organisation
from issues.models import Issue

User = settings.AUTH_USER_MODEL


class Consultation(models.Model):
    """A matter the community works out together, in phases with dates."""

    class Phase(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COLLECTING = "collecting", _("Collecting proposals")
        DELIBERATION = "deliberation", _("Deliberation")
        VOTING = "voting", _("Voting")
        CONCLUDED = "concluded", _("Concluded")

    ORDER = [Phase.DRAFT, Phase.COLLECTING, Phase.DELIBERATION, Phase.VOTING, Phase.CONCLUDED]

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="consultations", verbose_name=_("community")
    )
    grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, null=True, blank=True, related_name="consultations",
        verbose_name=_("grid"), help_text=_("Leave empty for the whole community."),
    )
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("text"), max_length=20000, help_text=_("Markdown."))
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.DRAFT)
    collecting_from = models.DateField(_("collecting proposals from"))
    deliberation_from = models.DateField(_("deliberation from"))
    voting_from = models.DateField(_("voting from"))
    concludes_on = models.DateField(_("concludes on"))
    support_threshold = models.PositiveIntegerField(
        _("supports to be shortlisted"), null=True, blank=True,
        help_text=_("Optional. Proposals with at least this many supports are marked shortlisted."),
    )
    issues = models.ManyToManyField(Issue, blank=True, related_name="consultations", verbose_name=_("issues"))
    conclusion = models.TextField(_("conclusion"), max_length=20000, blank=True, help_text=_("Markdown."))
    concluded_at = models.DateTimeField(_("concluded"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    phase_changed_at = models.DateTimeField(_("phase changed"), default=timezone.now)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="consultation_phase_dates_in_order",
                condition=Q(collecting_from__lte=models.F("deliberation_from"))
                & Q(deliberation_from__lte=models.F("voting_from"))
                & Q(voting_from__lte=models.F("concludes_on")),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consult:consultation-detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.phase != self.Phase.DRAFT

    @property
    def next_phase(self) -> str | None:
        index = self.ORDER.index(self.phase)
        return self.ORDER[index + 1] if index + 1 < len(self.ORDER) else None

    def phase_dates(self) -> list[tuple[str, str, object, bool, bool]]:
        """(value, label, starts, is current, is past) for each public phase, for the phase bar."""
        starts = {
            self.Phase.COLLECTING: self.collecting_from,
            self.Phase.DELIBERATION: self.deliberation_from,
            self.Phase.VOTING: self.voting_from,
            self.Phase.CONCLUDED: self.concludes_on,
        }
        current = self.ORDER.index(self.phase)
        return [
            (phase.value, phase.label, starts[phase], phase == self.phase, self.ORDER.index(phase) < current)
            for phase in self.ORDER[1:]
        ]


def attachment_path(instance, filename: str) -> str:
    return f"consultations/{instance.consultation_id}/{instance.token}.{instance.extension}"


class Attachment(models.Model):
    """A document or image attached to a consultation: a PDF, or a photo re-encoded without metadata."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("consultation")
    )
    title = models.CharField(_("title"), max_length=160)
    file = models.FileField(_("file"), upload_to=attachment_path)
    token = models.CharField(_("file token"), max_length=32, unique=True)
    extension = models.CharField(_("file type"), max_length=5)
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_image(self) -> bool:
        return self.extension != "pdf"


class ModerationReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Insults, threats or harassment")
    PRIVACY = "privacy", _("Someone's private details")
    OFF_TOPIC = "off_topic", _("Off topic")
    OTHER = "other", _("Something else")


class Proposal(models.Model):
    """What a resident or an organisation proposes; the committee answers every one in writing."""

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted for the vote")
        MERGED = "merged", _("Merged into another proposal")
        NOT_FEASIBLE = "not_feasible", _("Not feasible")
        ALREADY_PLANNED = "already_planned", _("Already planned")

    class Moderation(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        AUTO_HIDDEN = "auto_hidden", _("Hidden after reports, awaiting a moderator")
        HIDDEN = "hidden", _("Hidden by a moderator")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("consultation")
    )
    author = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="proposals", verbose_name=_("author")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals",
        verbose_name=_("on behalf of"),
    )
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("text"), max_length=10000, help_text=_("Markdown."))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    supports_count = models.PositiveIntegerField(_("supports"), default=0)
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices, blank=True)
    answer_text = models.TextField(_("reason"), max_length=5000, blank=True)
    answered_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("answered by")
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_proposals",
        verbose_name=_("merged into"),
    )
    moderation = models.CharField(
        _("moderation"), max_length=20, choices=Moderation.choices, default=Moderation.VISIBLE
    )
    moderation_reason = models.CharField(_("moderation reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="proposal_answer_has_reason", condition=Q(answer="") | ~Q(answer_text=""),
            ),
        ]
        indexes = [models.Index(name="proposal_moderation", fields=["consultation", "moderation"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consult:proposal-detail", kwargs={"pk": self.pk})

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.moderation != self.Moderation.VISIBLE

    @property
    def moderation_reason_label(self) -> str:
        return ModerationReason(self.moderation_reason).label if self.moderation_reason in ModerationReason.values else ""

    @property
    def is_shortlisted(self) -> bool:
        threshold = self.consultation.support_threshold
        return (bool(threshold) and not self.is_withdrawn and self.supports_count >= threshold
                and self.answer not in OFF_THE_BALLOT)


# Answers that keep a proposal off the vote, whatever its supports: the committee has said why already.
OFF_THE_BALLOT = (Proposal.Answer.NOT_FEASIBLE, Proposal.Answer.ALREADY_PLANNED, Proposal.Answer.MERGED)


class Support(models.Model):
    """One resident's support for a proposal; the database allows one per person."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="supports")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="support_once")]


class Comment(models.Model):
    """A comment on a consultation or one of its proposals, with a stance, in threads two replies deep."""

    MAX_DEPTH = 2

    class Stance(models.TextChoices):
        FOR = "for", _("For")
        AGAINST = "against", _("Against")
        NEUTRAL = "neutral", _("Neutral")

    Moderation = Proposal.Moderation

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments", verbose_name=_("consultation")
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="comments",
        verbose_name=_("proposal"),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies", verbose_name=_("reply to")
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)
    author = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="consultation_comments", verbose_name=_("author")
    )
    body = models.TextField(_("comment"), max_length=5000, help_text=_("Markdown."))
    stance = models.CharField(_("stance"), max_length=10, choices=Stance.choices, default=Stance.NEUTRAL)
    upvotes_count = models.PositiveIntegerField(_("upvotes"), default=0)
    moderation = models.CharField(
        _("moderation"), max_length=20, choices=Moderation.choices, default=Moderation.VISIBLE
    )
    moderation_reason = models.CharField(_("moderation reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(name="comment_depth_at_most_2", condition=Q(depth__lte=2)),
        ]
        indexes = [
            # A discussion's page of newest threads, and the moderation counts shown with it.
            models.Index(name="comment_threads", fields=["consultation", "proposal", "parent", "-created_at"]),
            models.Index(name="comment_moderation", fields=["consultation", "moderation"]),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        target = self.proposal or self.consultation
        return f"{target.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.moderation != self.Moderation.VISIBLE

    @property
    def moderation_reason_label(self) -> str:
        return ModerationReason(self.moderation_reason).label if self.moderation_reason in ModerationReason.values else ""


class CommentRevision(models.Model):
    """The text a comment had before an edit: the history stays."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(_("earlier text"), max_length=5000)
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)

    class Meta:
        verbose_name = _("comment revision")
        verbose_name_plural = _("comment revisions")
        ordering = ["replaced_at", "pk"]


class CommentUpvote(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="upvotes")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("upvote")
        verbose_name_plural = _("upvotes")
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="upvote_once")]


class Report(models.Model):
    """A member reports a comment or a proposal; three open reports hide it until a moderator looks."""

    AUTO_HIDE_AT = 3

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", verbose_name=_("reported by"))
    reason = models.CharField(_("reason"), max_length=20, choices=ModerationReason.choices)
    detail = models.CharField(_("details"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    resolved_at = models.DateTimeField(_("dealt with"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="report_has_one_target",
                condition=Q(comment__isnull=False, proposal=None) | Q(comment=None, proposal__isnull=False),
            ),
            models.UniqueConstraint(fields=["comment", "reporter"], name="report_comment_once"),
            models.UniqueConstraint(fields=["proposal", "reporter"], name="report_proposal_once"),
        ]


class ModerationAction(models.Model):
    """The moderation log: every hide and restore, with its reason. Append-only."""

    class Action(models.TextChoices):
        AUTO_HIDE = "auto_hide", _("hidden after reports")
        HIDE = "hide", _("hidden")
        RESTORE = "restore", _("restored")
        DISMISS = "dismiss", _("kept, reports dismissed")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="moderation_actions")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    moderator = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("moderator")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=ModerationReason.choices, blank=True)
    explanation = models.CharField(_("explanation"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-pk"]


class ConsultationFollow(models.Model):
    """Someone who hears of a consultation's news; participants follow automatically."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="followed_consultations")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [models.UniqueConstraint(fields=["consultation", "user"], name="follow_consultation_once")]


class ConsultationEvent(models.Model):
    """What changed in a consultation, in order; ids increase, so live clients resume with ``since``."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30)
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
