"""Proposals: submitted, edited, withdrawn, supported, and answered by the committee in writing."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import audit
from community import permissions as community_permissions
from community.models import User
from consult import permissions
from consult.models import OFF_THE_BALLOT, Consultation, Proposal, Support
from consult.realtime import publish_consultation_on_commit
from consult.services.consultations import (
    auto_follow,
    lock_consultation,
    log_event,
    tell_consultation_followers,
)
from core import limits
from core.text import clean_text, max_length
from notifications.services import notify

Answer = Proposal.Answer


def lock_proposal(proposal_id: int) -> Proposal:
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("consultation__community", "author")
        .filter(pk=proposal_id).first()
    )
    if proposal is None:
        raise ValidationError(_("There is no proposal #%(id)s.") % {"id": proposal_id})
    return proposal


@transaction.atomic
def submit_proposal(actor: User, *, consultation_id: int, title: str, body: str) -> Proposal:
    """A verified resident, or an organisation's representative, proposes while proposals are collected."""
    limits.hit(actor, "proposal")
    consultation = lock_consultation(consultation_id)
    community_permissions.require(permissions.can_view_consultation(actor, consultation))
    if not permissions.phase_allows(consultation, "propose"):
        raise ValidationError(_("Proposals are collected only during the collecting phase."))
    community_permissions.require(
        permissions.can_submit_proposal(actor, consultation),
        _("Only verified residents of this consultation's area and organisation representatives can propose."),
    )
    organisation_id = None if permissions.is_resident_for(actor, consultation) else community_permissions.representation(
        actor, consultation.community
    )
    title = clean_text(title, field=_("The title"), limit=max_length(Proposal, "title"))
    body = clean_text(body, field=_("The text"), limit=max_length(Proposal, "body"))
    same = consultation.proposals.filter(author=actor, title=title, body=body, withdrawn_at=None).first()
    if same is not None:  # sent again ("back" and the button again): the same proposal
        same.sent_again = True
        return same
    proposal = Proposal.objects.create(
        consultation=consultation,
        author=actor,
        organisation_id=organisation_id,
        title=title,
        body=body,
    )
    auto_follow(consultation, actor)
    log_event(consultation, "proposal.new", proposal=proposal)
    tell_consultation_followers(
        consultation, actor, gettext_lazy("New proposal in “%(title)s”: %(proposal)s"), proposal=proposal.title,
        email=False,
    )
    return proposal


@transaction.atomic
def edit_proposal(actor: User, *, proposal_id: int, title: str, body: str) -> Proposal:
    """The author edits until deliberation starts."""
    proposal = lock_proposal(proposal_id)
    community_permissions.require(
        permissions.can_edit_proposal(actor, proposal),
        _("A proposal can be edited by its author until deliberation starts, unless it was answered."),
    )
    proposal.title = clean_text(title, field=_("The title"), limit=max_length(Proposal, "title"))
    proposal.body = clean_text(body, field=_("The text"), limit=max_length(Proposal, "body"))
    proposal.edited_at = timezone.now()
    proposal.save(update_fields=["title", "body", "edited_at"])
    log_event(proposal.consultation, "proposal.changed", proposal=proposal)
    return proposal


@transaction.atomic
def withdraw_proposal(actor: User, *, proposal_id: int) -> Proposal:
    """The author withdraws; it stays visible, marked withdrawn, and needs no answer."""
    proposal = lock_proposal(proposal_id)
    community_permissions.require(
        permissions.can_withdraw_proposal(actor, proposal),
        _("Only the author can withdraw a proposal, before it is answered and before the vote."),
    )
    proposal.withdrawn_at = timezone.now()
    proposal.save(update_fields=["withdrawn_at"])
    log_event(proposal.consultation, "proposal.changed", proposal=proposal)
    return proposal


@transaction.atomic
def answer_proposal(actor: User, *, proposal_id: int, answer: str, reason: str, merged_into_id=None) -> Proposal:
    """The committee's written answer; the author and the supporters are told."""
    proposal = lock_proposal(proposal_id)
    community_permissions.require(
        community_permissions.is_committee(actor, proposal.consultation.community), _("Only the committee answers proposals.")
    )
    if not permissions.phase_allows(proposal.consultation, "answer"):
        raise ValidationError(_("Proposals are answered while the consultation is open."))
    if proposal.is_withdrawn:
        raise ValidationError(_("A withdrawn proposal needs no answer."))
    if answer not in Answer.values:
        raise ValidationError(_("Choose an answer: accepted, merged, not feasible or already planned."))
    merged_into = None
    if answer == Answer.MERGED:
        merged_into = (
            Proposal.objects.filter(pk=merged_into_id, consultation=proposal.consultation, withdrawn_at=None,
                                    moderation="visible")
            .exclude(pk=proposal.pk).exclude(merged_into=proposal).first()
        )
        if merged_into is None:
            raise ValidationError(_("Choose the proposal of this consultation it was merged into."))
    proposal.answer = answer
    proposal.answer_text = clean_text(reason, field=_("The reason"), limit=max_length(Proposal, "answer_text"))
    proposal.merged_into = merged_into
    proposal.answered_by, proposal.answered_at = actor, timezone.now()
    proposal.save(update_fields=["answer", "answer_text", "merged_into", "answered_by", "answered_at"])
    audit.record(actor, "proposal.answered", community=proposal.consultation.community_id, target=proposal,
                 answer=answer)
    log_event(proposal.consultation, "proposal.changed", proposal=proposal)
    notify(
        [proposal.author, *User.objects.filter(supports__proposal=proposal)],
        message=gettext_lazy("The committee answered “%(title)s”: %(answer)s"),
        params={"title": proposal.title if not proposal.is_hidden else f"#{proposal.pk}",
                "answer": Answer(answer).label},
        url=proposal.get_absolute_url(),
        exclude=actor,
    )
    return proposal


# Supports ------------------------------------------------------------------------------


def _publish_count(proposal: Proposal) -> None:
    proposal.refresh_from_db(fields=["supports_count"])
    publish_consultation_on_commit(proposal.consultation_id, {
        "type": "proposal.supports", "proposal_id": proposal.pk, "supports": proposal.supports_count,
        "shortlisted": proposal.is_shortlisted,
    })


@transaction.atomic
def support_proposal(actor: User, *, proposal_id: int) -> Proposal:
    """One support per resident; a second click, even at the same moment, changes nothing."""
    limits.hit(actor, "support")
    proposal = lock_proposal(proposal_id)
    community_permissions.require(
        permissions.can_support(actor, proposal),
        _("Supports are for verified residents of this consultation's area, while supports are open."),
    )
    try:
        with transaction.atomic():
            Support.objects.create(proposal=proposal, user=actor)
    except IntegrityError:
        raise ValidationError(_("You already support this proposal.")) from None
    Proposal.objects.filter(pk=proposal.pk).update(supports_count=F("supports_count") + 1)
    auto_follow(proposal.consultation, actor)
    _publish_count(proposal)
    return proposal


@transaction.atomic
def withdraw_support(actor: User, *, proposal_id: int) -> Proposal:
    limits.hit(actor, "support")
    proposal = lock_proposal(proposal_id)
    if not permissions.phase_allows(proposal.consultation, "support"):
        raise ValidationError(_("Supports can no longer change in this phase."))
    if Support.objects.filter(proposal=proposal, user=actor).delete()[0]:
        Proposal.objects.filter(pk=proposal.pk).update(supports_count=F("supports_count") - 1)
    _publish_count(proposal)
    return proposal


def shortlisted(consultation: Consultation):
    """Proposals at or above the support threshold, neither withdrawn nor hidden nor answered off the ballot
    (not feasible, already planned, merged): candidates for the vote."""
    if not consultation.support_threshold:
        return Proposal.objects.none()
    return consultation.proposals.filter(
        withdrawn_at=None, moderation="visible", supports_count__gte=consultation.support_threshold
    ).exclude(answer__in=OFF_THE_BALLOT)
