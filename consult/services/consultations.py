"""Consultations: created by the committee, moved through their phases, concluded with decisions."""

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

import audit
from community import permissions as community_permissions
from community.models import Community, Grid, User
from consult import permissions
from consult.models import Attachment, Consultation, ConsultationEvent, ConsultationFollow
from consult.realtime import publish_consultation_on_commit
from core.photos import clean_photo
from core.text import clean_text, max_length
from issues.models import Issue, IssueEvent
from issues.services.timeline import lock_issue, record, tell_followers
from ledger.models import Decision
from ledger.services import record_decision
from notifications.services import notify

Phase = Consultation.Phase
MAX_ATTACHMENTS = 10
MAX_PDF_BYTES = 10 * 1024 * 1024


# Shared by the consultation services ---------------------------------------------------


def lock_consultation(consultation_id: int) -> Consultation:
    consultation = (
        Consultation.objects.select_for_update(of=("self",)).select_related("community", "grid")
        .filter(pk=consultation_id).first()
    )
    if consultation is None:
        raise ValidationError(_("There is no consultation #%(id)s.") % {"id": consultation_id})
    return consultation


def log_event(consultation: Consultation, kind: str, *, proposal=None, comment=None, **extra) -> ConsultationEvent:
    """Add to the consultation's event log and tell open pages after the commit."""
    if comment is not None and proposal is None:
        proposal = comment.proposal  # pages listen for their own discussion
    event = ConsultationEvent.objects.create(consultation=consultation, kind=kind, proposal=proposal, comment=comment)
    publish_consultation_on_commit(consultation.pk, {
        "type": "consultation.changed", "event_id": event.pk, "kind": kind,
        "proposal_id": proposal.pk if proposal else None, "comment_id": comment.pk if comment else None, **extra,
    })
    return event


def auto_follow(consultation: Consultation, user: User) -> None:
    """Participants follow what they take part in."""
    try:
        with transaction.atomic():
            ConsultationFollow.objects.get_or_create(consultation=consultation, user=user)
    except IntegrityError:  # a concurrent request created it
        pass


def consultation_followers(consultation: Consultation) -> list[User]:
    return list(User.objects.filter(followed_consultations__consultation=consultation))


def tell_consultation_followers(consultation: Consultation, actor: User | None, message, *, email=True, **params):
    notify(
        consultation_followers(consultation),
        message=message,
        params={"title": consultation.title, **params},
        url=consultation.get_absolute_url(),
        exclude=actor,
        email=email,
    )


# Creating and editing ------------------------------------------------------------------


def _fields(community: Community, *, grid_id, title, body, collecting_from, deliberation_from, voting_from,
            concludes_on, support_threshold) -> dict:
    grid = None
    if grid_id:
        grid = Grid.objects.filter(pk=grid_id, community=community).first()
        if grid is None:
            raise ValidationError(_("Choose one of the community's grids, or the whole community."))
    dates = [collecting_from, deliberation_from, voting_from, concludes_on]
    if not all(isinstance(d, date) for d in dates):
        raise ValidationError(_("Give every phase a start date."))
    if dates != sorted(dates):
        raise ValidationError(_("The phases must follow each other: collecting, deliberation, voting, conclusion."))
    if support_threshold is not None and not (isinstance(support_threshold, int) and 1 <= support_threshold <= 100000):
        raise ValidationError(_("The support threshold is a whole number of at least 1, or empty."))
    return {
        "grid": grid,
        "title": clean_text(title, field=_("The title"), limit=max_length(Consultation, "title")),
        "body": clean_text(body, field=_("The text"), limit=max_length(Consultation, "body")),
        "collecting_from": collecting_from,
        "deliberation_from": deliberation_from,
        "voting_from": voting_from,
        "concludes_on": concludes_on,
        "support_threshold": support_threshold,
    }


@transaction.atomic
def create_consultation(actor: User, *, community_id: int, **fields) -> Consultation:
    """The committee drafts a consultation; nobody else sees it until it opens."""
    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        raise ValidationError(_("There is no such community."))
    community_permissions.require(
        permissions.can_manage_consultations(actor, community), _("Only the committee runs consultations.")
    )
    consultation = Consultation.objects.create(community=community, created_by=actor, **_fields(community, **fields))
    audit.record(actor, "consultation.created", community=community, target=consultation)
    auto_follow(consultation, actor)
    return consultation


@transaction.atomic
def update_consultation(actor: User, *, consultation_id: int, **fields) -> Consultation:
    """Edit the text and the dates; the scope is fixed once proposals are collected."""
    consultation = lock_consultation(consultation_id)
    community_permissions.require(permissions.can_manage_consultations(actor, consultation.community))
    if consultation.phase == Phase.CONCLUDED:
        raise ValidationError(_("A concluded consultation cannot be changed."))
    values = _fields(consultation.community, **fields)
    if consultation.phase != Phase.DRAFT and values["grid"] != consultation.grid:
        raise ValidationError(_("The grid cannot change once the consultation is open."))
    for name, value in values.items():
        setattr(consultation, name, value)
    consultation.save()
    log_event(consultation, "consultation.edited")
    return consultation


@transaction.atomic
def advance_phase(actor: User, *, consultation_id: int, to: str) -> Consultation:
    """Open the next phase. Concluding has its own service: it needs the conclusion and every answer."""
    consultation = lock_consultation(consultation_id)
    community_permissions.require(permissions.can_manage_consultations(actor, consultation.community))
    if to != consultation.next_phase:
        raise ValidationError(_("This consultation can only move on to the next phase."))
    if to == Phase.CONCLUDED:
        raise ValidationError(_("Write the conclusion to conclude the consultation."))
    consultation.phase, consultation.phase_changed_at = to, timezone.now()
    consultation.save(update_fields=["phase", "phase_changed_at"])
    log_event(consultation, "phase.changed", phase=to)
    audit.record(actor, "consultation.phase_changed", community=consultation.community_id, target=consultation,
                 phase=to)
    tell_consultation_followers(
        consultation, actor, gettext_lazy("“%(title)s” moved on to a new phase: %(phase)s"),
        phase=Phase(to).label,
    )
    return consultation


def unanswered(consultation: Consultation):
    """Proposals that still wait for the committee's written answer (hidden by a moderator: none needed;
    hidden after reports: a moderator decides first, so they still count)."""
    return consultation.proposals.filter(withdrawn_at=None, answer="").exclude(moderation="hidden")


@transaction.atomic
def conclude_consultation(actor: User, *, consultation_id: int, conclusion: str) -> Consultation:
    """Write the conclusion. Every proposal must have its answer first: you said — we did — why."""
    consultation = lock_consultation(consultation_id)
    community_permissions.require(permissions.can_manage_consultations(actor, consultation.community))
    if consultation.phase not in (Phase.DELIBERATION, Phase.VOTING):
        raise ValidationError(_("A consultation is concluded after its deliberation or voting phase."))
    waiting = unanswered(consultation).count()
    if waiting:
        raise ValidationError(ngettext(
            "%(count)s proposal still waits for an answer (or for a moderator). Answer it before concluding.",
            "%(count)s proposals still wait for an answer (or for a moderator). Answer each one before concluding.",
            waiting,
        ) % {"count": waiting})
    consultation.conclusion = clean_text(conclusion, field=_("The conclusion"),
                                         limit=max_length(Consultation, "conclusion"))
    consultation.phase = Phase.CONCLUDED
    consultation.concluded_at = consultation.phase_changed_at = timezone.now()
    consultation.save(update_fields=["conclusion", "phase", "concluded_at", "phase_changed_at"])
    log_event(consultation, "phase.changed", phase=Phase.CONCLUDED)
    audit.record(actor, "consultation.concluded", community=consultation.community_id, target=consultation)
    _tell_linked_issues(consultation, actor, gettext_lazy("The consultation on “%(title)s” is concluded."))
    tell_consultation_followers(
        consultation, actor, gettext_lazy("“%(title)s” is concluded. Read the conclusion and what happens next.")
    )
    return consultation


# Decisions -----------------------------------------------------------------------------


@transaction.atomic
def record_consultation_decision(
    actor: User, *, consultation_id: int, title: str, body: str = "", tasks: list[dict] | None = None
) -> Decision:
    """Record what the consultation decided, with its follow-up tasks, into the ledger."""
    consultation = lock_consultation(consultation_id)
    community_permissions.require(permissions.can_manage_consultations(actor, consultation.community))
    if consultation.phase not in (Phase.VOTING, Phase.CONCLUDED):
        raise ValidationError(_("Decisions are recorded once the consultation reaches its vote or conclusion."))
    decision = record_decision(
        actor,
        community=consultation.community,
        consultation=consultation,
        title=clean_text(title, field=_("The decision"), limit=max_length(Decision, "title")),
        body=clean_text(body, field=_("The text"), required=False, limit=max_length(Decision, "body")),
        source=Decision.Source.CONSULTATION,
        tasks=tasks,
    )
    audit.record(actor, "decision.recorded", community=consultation.community_id, target=decision,
                 tasks=len(tasks or []))
    log_event(consultation, "decision.recorded")
    tell_consultation_followers(
        consultation, actor, gettext_lazy("A decision was recorded in “%(title)s”: %(decision)s"),
        decision=decision.title,
    )
    return decision


# Attachments ---------------------------------------------------------------------------


def _clean_attachment(upload) -> tuple[ContentFile, str, str]:
    name = getattr(upload, "name", "") or _("file")
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        if upload.size > MAX_PDF_BYTES:
            raise ValidationError(_("%(name)s is larger than 10 MB.") % {"name": name})
        token = secrets.token_hex(16)
        return ContentFile(upload.read(), name=f"{token}.pdf"), token, "pdf"
    try:
        return clean_photo(upload)
    except ValidationError:
        raise ValidationError(_("%(name)s is neither a PDF nor a JPEG, PNG or WebP image.") % {"name": name}) from None


def attach_file(actor: User, *, consultation_id: int, title: str, upload) -> Attachment:
    """Attach a PDF (10 MB at most) or an image (25 MB, shrunk and re-encoded without metadata)."""
    written = []
    try:
        with transaction.atomic():
            consultation = lock_consultation(consultation_id)
            community_permissions.require(permissions.can_manage_consultations(actor, consultation.community))
            if consultation.phase == Phase.CONCLUDED:
                raise ValidationError(_("A concluded consultation cannot be changed."))
            if consultation.attachments.count() >= MAX_ATTACHMENTS:
                raise ValidationError(_("A consultation has at most 10 attachments."))
            title = clean_text(title, field=_("The title"), limit=max_length(Attachment, "title"))
            content, token, extension = _clean_attachment(upload)
            attachment = Attachment(consultation=consultation, title=title, token=token, extension=extension,
                                    size=content.size)
            attachment.file.save(content.name, content, save=False)
            written.append(attachment.file)
            attachment.save()
            log_event(consultation, "consultation.edited")
            return attachment
    except BaseException:
        for field in written:
            field.storage.delete(field.name)
        raise


@transaction.atomic
def remove_attachment(actor: User, *, attachment_id: int) -> None:
    attachment = Attachment.objects.select_related("consultation__community").filter(pk=attachment_id).first()
    if attachment is None:
        raise ValidationError(_("There is no such attachment."))
    consultation = lock_consultation(attachment.consultation_id)
    community_permissions.require(permissions.can_manage_consultations(actor, consultation.community))
    if consultation.phase == Phase.CONCLUDED:
        raise ValidationError(_("A concluded consultation cannot be changed."))
    name, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
    log_event(consultation, "consultation.edited")


# Linked issues and following -----------------------------------------------------------


def _tell_linked_issues(consultation: Consultation, actor: User, message) -> None:
    for issue in consultation.issues.select_related("grid__community", "community", "reporter"):
        record(issue, IssueEvent.Kind.CONSULTATION, actor, consultation=consultation.pk,
               consultation_title=consultation.title, phase=consultation.phase)
        tell_followers(issue, actor, message)


@transaction.atomic
def send_issue_to_consultation(actor: User, *, issue_id: int, consultation_id: int) -> Issue:
    """Joint handling: put an open issue before a consultation (from triage, or later)."""
    consultation = lock_consultation(consultation_id)  # consultation first, then issue: as the conclusion does
    issue = lock_issue(issue_id)
    community_permissions.require(
        community_permissions.looks_after(actor, issue.grid),
        _("Only this grid's workers and the committee can send an issue to a consultation."),
    )
    if consultation.community_id != issue.community_id or consultation.phase in (Phase.DRAFT, Phase.CONCLUDED):
        raise ValidationError(_("Choose an open consultation of this community."))
    if not issue.is_open:
        raise ValidationError(_("Only an open issue can be sent to a consultation."))
    if consultation.issues.filter(pk=issue.pk).exists():
        raise ValidationError(_("This issue is already part of that consultation."))
    consultation.issues.add(issue)
    issue.save(update_fields=["updated_at"])
    record(issue, IssueEvent.Kind.CONSULTATION, actor, consultation=consultation.pk,
           consultation_title=consultation.title, phase=consultation.phase)
    audit.record(actor, "issue.sent_to_consultation", community=issue.community_id, target=issue,
                 consultation=consultation.title)
    tell_followers(issue, actor, gettext_lazy("“%(title)s” will be worked out in a consultation: %(consultation)s"),
                   consultation=consultation.title)
    log_event(consultation, "consultation.edited")
    return issue


@transaction.atomic
def follow_consultation(actor: User, *, consultation_id: int) -> None:
    consultation = Consultation.objects.select_related("community").filter(pk=consultation_id).first()
    if consultation is None:
        raise ValidationError(_("There is no consultation #%(id)s.") % {"id": consultation_id})
    community_permissions.require(permissions.can_follow_consultation(actor, consultation))
    auto_follow(consultation, actor)


@transaction.atomic
def unfollow_consultation(actor: User, *, consultation_id: int) -> None:
    ConsultationFollow.objects.filter(consultation_id=consultation_id, user=actor).delete()
