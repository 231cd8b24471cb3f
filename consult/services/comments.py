"""Comments on consultations and proposals, and their moderation."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import audit
from community import permissions as community_permissions
from community import selectors as community_selectors
from community.models import Membership, User
from consult import permissions
from consult.models import (
    Comment,
    CommentRevision,
    CommentUpvote,
    ModerationAction,
    ModerationReason,
    Proposal,
    Report,
)
from consult.services.consultations import auto_follow, lock_consultation, log_event
from core import limits
from core.text import clean_text, max_length
from notifications.services import notify

Moderation = Comment.Moderation


def lock_comment(comment_id: int) -> Comment:
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("consultation__community", "proposal", "author")
        .filter(pk=comment_id).first()
    )
    if comment is None:
        raise ValidationError(_("There is no comment #%(id)s.") % {"id": comment_id})
    return comment


# The same words from the same person within this time are one comment sent twice.
SENT_AGAIN_WITHIN = timedelta(minutes=30)


@transaction.atomic
def post_comment(
    actor: User, *, consultation_id: int, body: str, stance: str = "neutral", proposal_id=None, parent_id=None
) -> Comment:
    """Comment on a consultation or a proposal, or reply to a comment (two reply levels at most)."""
    limits.hit(actor, "comment")
    consultation = lock_consultation(consultation_id)
    community_permissions.require(permissions.can_view_consultation(actor, consultation))
    if not permissions.phase_allows(consultation, "comment"):
        raise ValidationError(_("This consultation does not take comments in its current phase."))
    community_permissions.require(
        permissions.can_comment_in(actor, consultation), _("Only members of this community can comment.")
    )
    if stance not in Comment.Stance.values:
        raise ValidationError(_("Choose for, against or neutral."))
    proposal = parent = None
    if proposal_id:
        proposal = Proposal.objects.filter(pk=proposal_id, consultation=consultation).first()
        if proposal is None:
            raise ValidationError(_("Comment on a proposal of this consultation."))
        if proposal.is_hidden:
            raise ValidationError(_("This proposal is hidden and takes no comments."))
    if parent_id:
        parent = Comment.objects.select_related("author").filter(pk=parent_id, consultation=consultation).first()
        if parent is None or parent.proposal_id != (proposal.pk if proposal else None):
            raise ValidationError(_("Reply to a comment in the same discussion."))
        if parent.depth >= Comment.MAX_DEPTH:
            raise ValidationError(_("Replies go two levels deep. Reply to the comment above instead."))
        if parent.is_deleted or parent.is_hidden:
            raise ValidationError(_("This comment takes no replies."))
    body = clean_text(body, field=_("The comment"), limit=max_length(Comment, "body"))
    same = Comment.objects.filter(  # sent again ("back" and the button again): the same comment
        consultation=consultation, proposal=proposal, parent=parent, author=actor, body=body, deleted_at=None,
        created_at__gte=timezone.now() - SENT_AGAIN_WITHIN).order_by("-pk").first()
    if same is not None:
        same.sent_again = True
        return same
    comment = Comment.objects.create(
        consultation=consultation,
        proposal=proposal,
        parent=parent,
        depth=parent.depth + 1 if parent else 0,
        author=actor,
        body=body,
        stance=stance,
    )
    auto_follow(consultation, actor)
    log_event(consultation, "comment.new", comment=comment, proposal=proposal,
              parent_id=parent.pk if parent else None)
    told = {actor.pk}
    if parent and parent.author_id not in told:
        told.add(parent.author_id)
        notify([parent.author], message=gettext_lazy("%(actor)s replied to your comment in “%(title)s”"),
               params={"actor": actor.public_name, "title": consultation.title}, url=comment.get_absolute_url())
    if proposal and proposal.author_id and proposal.author_id not in told:
        notify([proposal.author], message=gettext_lazy("%(actor)s commented on your proposal “%(title)s”"),
               params={"actor": actor.public_name, "title": proposal.title}, url=comment.get_absolute_url())
    return comment


@transaction.atomic
def edit_comment(actor: User, *, comment_id: int, body: str) -> Comment:
    """The author edits; the earlier text is kept and the comment is marked edited."""
    comment = lock_comment(comment_id)
    community_permissions.require(
        permissions.can_change_comment(actor, comment), _("Only the author can edit a comment, while comments are open.")
    )
    body = clean_text(body, field=_("The comment"), limit=max_length(Comment, "body"))
    if body == comment.body:
        return comment
    CommentRevision.objects.create(comment=comment, body=comment.body)
    comment.body, comment.edited_at = body, timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    log_event(comment.consultation, "comment.changed", comment=comment)
    return comment


@transaction.atomic
def delete_comment(actor: User, *, comment_id: int) -> Comment:
    """The author deletes; a tombstone keeps the thread's replies in place."""
    comment = lock_comment(comment_id)
    community_permissions.require(permissions.can_delete_comment(actor, comment), _("Only the author can delete a comment."))
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["deleted_at"])
    log_event(comment.consultation, "comment.changed", comment=comment)
    return comment


@transaction.atomic
def upvote_comment(actor: User, *, comment_id: int) -> Comment:
    limits.hit(actor, "upvote")
    comment = lock_comment(comment_id)
    community_permissions.require(permissions.can_upvote(actor, comment), _("You cannot upvote this comment."))
    try:
        with transaction.atomic():
            CommentUpvote.objects.create(comment=comment, user=actor)
    except IntegrityError:
        raise ValidationError(_("You already upvoted this comment.")) from None
    Comment.objects.filter(pk=comment.pk).update(upvotes_count=F("upvotes_count") + 1)
    log_event(comment.consultation, "comment.changed", comment=comment)
    return comment


# Moderation ----------------------------------------------------------------------------


def _target(comment_id=None, proposal_id=None):
    if bool(comment_id) == bool(proposal_id):
        raise ValidationError(_("Report one comment or one proposal."))
    if comment_id:
        return lock_comment(comment_id)
    from consult.services.proposals import lock_proposal

    return lock_proposal(proposal_id)


def _moderators(community) -> list[User]:
    return list(community_selectors.holders(Membership.Role.MODERATOR, community=community))


def _field(target) -> dict:
    return {"comment": target} if isinstance(target, Comment) else {"proposal": target}


@transaction.atomic
def report_content(actor: User, *, reason: str, detail: str = "", comment_id=None, proposal_id=None) -> Report:
    """Report a comment or proposal. At three open reports it is hidden until a moderator looks."""
    limits.hit(actor, "report")
    target = _target(comment_id, proposal_id)
    consultation = target.consultation
    community_permissions.require(
        permissions.can_report(actor, consultation.community, target.author_id),
        _("Members of this community can report what others wrote."),
    )
    if reason not in ModerationReason.values:
        raise ValidationError(_("Choose a reason for the report."))
    detail = clean_text(detail, field=_("The details"), required=False, limit=max_length(Report, "detail"))
    try:
        with transaction.atomic():
            report = Report.objects.create(reporter=actor, reason=reason, detail=detail, **_field(target))
    except IntegrityError:
        raise ValidationError(_("You already reported this.")) from None
    open_reports = Report.objects.filter(resolved_at=None, **_field(target)).count()
    hidden_now = open_reports >= Report.AUTO_HIDE_AT and target.moderation == Moderation.VISIBLE
    kind = gettext_lazy("comment") if isinstance(target, Comment) else gettext_lazy("proposal")
    if hidden_now:
        target.moderation = Moderation.AUTO_HIDDEN
        target.save(update_fields=["moderation"])
        ModerationAction.objects.create(consultation=consultation, action=ModerationAction.Action.AUTO_HIDE,
                                        reason=reason, **_field(target))
        log_event(consultation, f"{'comment' if isinstance(target, Comment) else 'proposal'}.changed",
                  **_field(target))
        if target.author_id:
            notify([target.author], url=target.get_absolute_url(), params={"kind": kind, "title": consultation.title},
                   message=gettext_lazy("Your %(kind)s in “%(title)s” was reported several times and is hidden "
                                        "until a moderator looks at it."))
    notify(
        _moderators(consultation.community),
        message=gettext_lazy("Something was reported in “%(title)s” and waits for a moderator."),
        params={"title": consultation.title},
        url=reverse("consult:moderation", kwargs={"slug": consultation.community.slug}),
        email=hidden_now,  # mail when it was hidden; single reports wait in the queue
    )
    return report


@transaction.atomic
def moderate(actor: User, *, action: str, reason: str, explanation: str, comment_id=None, proposal_id=None):
    """A moderator hides (with a reason the author reads) or restores a comment or proposal."""
    target = _target(comment_id, proposal_id)
    consultation = target.consultation
    community_permissions.require(
        permissions.can_moderate(actor, consultation.community), _("Only the community's moderators moderate.")
    )
    if action not in ("hide", "restore", "dismiss"):
        raise ValidationError(_("Choose to hide, to restore, or to keep it and dismiss the reports."))
    if action == "dismiss":
        if target.moderation != Moderation.VISIBLE:
            raise ValidationError(_("This is hidden: restore it instead."))
        Report.objects.filter(resolved_at=None, **_field(target)).update(resolved_at=timezone.now())
        explanation = clean_text(explanation, field=_("The explanation"), required=False,
                                 limit=max_length(ModerationAction, "explanation"))
        ModerationAction.objects.create(consultation=consultation, moderator=actor, action=action,
                                        explanation=explanation, **_field(target))
        audit.record(actor, "content.dismissed", community=consultation.community_id, target=target,
                     target_label=f"#{target.pk}", kind=type(target).__name__.lower())
        return target
    if (action == "restore" and isinstance(target, Proposal) and consultation.phase == "concluded"
            and not target.answer and not target.is_withdrawn):
        raise ValidationError(_("The consultation is concluded and this proposal has no answer: it stays hidden."))
    if action == "hide" and reason not in ModerationReason.values:
        raise ValidationError(_("Choose the reason it is hidden."))
    explanation = clean_text(explanation, field=_("The explanation"), required=action == "hide",
                             limit=max_length(ModerationAction, "explanation"))
    if action == "hide":
        target.moderation, target.moderation_reason = Moderation.HIDDEN, reason
    else:
        target.moderation, target.moderation_reason = Moderation.VISIBLE, ""
    target.save(update_fields=["moderation", "moderation_reason"])
    Report.objects.filter(resolved_at=None, **_field(target)).update(resolved_at=timezone.now())
    ModerationAction.objects.create(
        consultation=consultation, moderator=actor, action=action, reason=reason if action == "hide" else "",
        explanation=explanation, **_field(target),
    )
    audit.record(actor, "content.hidden" if action == "hide" else "content.restored",
                 community=consultation.community_id, target=target, target_label=f"#{target.pk}", kind=type(target).__name__.lower(),
                 reason_code=reason if action == "hide" else "", explanation=explanation)
    kind = "comment" if isinstance(target, Comment) else "proposal"
    log_event(consultation, f"{kind}.changed", **_field(target))
    if target.author_id:
        if action == "hide":
            message = gettext_lazy("Your %(kind)s in “%(title)s” was hidden by a moderator: %(reason)s — %(why)s")
        else:
            message = gettext_lazy("Your %(kind)s in “%(title)s” was restored by a moderator. %(why)s")
        notify(
            [target.author], message=message,
            params={"kind": gettext_lazy("comment") if kind == "comment" else gettext_lazy("proposal"), "title": consultation.title,
                    "reason": ModerationReason(reason).label if action == "hide" else "", "why": explanation},
            url=target.get_absolute_url(),
        )
    return target
