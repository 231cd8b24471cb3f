"""Membership: asking to join a grid, verifying residents, and one's own profile."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import audit
from community import names, permissions, selectors
from community.models import Community, Grid, Membership, MembershipRequest, User
from community.models.accounts import AgeBand, EmailFrequency, Language
from core.mail import send_to_user_on_commit, site_url
from core.realtime import publish_to_user_on_commit
from core.text import clean_text, max_length

Status = MembershipRequest.Status
REQUESTS_PER_DAY = 5  # each request mails the grid workers: no flooding them


@transaction.atomic
def update_profile(
    actor: User, *, display_name: str, language: str, age_band: str, email_frequency: str | None = None
) -> User:
    """Change the actor's own display name, preferred language, age band and how often they get email."""
    permissions.require(permissions.is_active(actor))
    display_name = " ".join(display_name.split())
    limit = max_length(User, "display_name")
    if len(display_name) > limit:
        raise ValidationError(_("A display name has at most %(limit)s characters.") % {"limit": limit})
    display_name = clean_text(display_name, field=_("The display name"), required=False, limit=limit)
    stored = User.objects.filter(pk=actor.pk).values_list("display_name", flat=True).first()
    if display_name != stored:  # (a bound profile form has already put the new name on ``actor``)
        communities = Community.objects.filter(memberships__user=actor).distinct()
        names.check_display_name(display_name, person=actor,
                                 communities=communities if communities.exists() else None)
    if language not in {"", *Language.values}:
        raise ValidationError(_("Choose English, Simplified Chinese or Tibetan."))
    if age_band not in {"", *AgeBand.values}:
        raise ValidationError(_("Choose one of the age bands, or leave it empty."))
    email_frequency = email_frequency or actor.email_frequency
    if email_frequency not in EmailFrequency.values:
        raise ValidationError(_("Choose how often you want email."))
    actor.display_name, actor.language, actor.age_band = display_name, language, age_band
    actor.email_frequency = email_frequency
    actor.save(update_fields=["display_name", "language", "age_band", "email_frequency"])
    return actor


@transaction.atomic
def request_membership(actor: User, *, grid_id: int, unit: str, note: str = "") -> MembershipRequest:
    """Ask to be verified as a resident of a grid."""
    grid = Grid.objects.select_related("community").get(pk=grid_id)
    if permissions.is_resident_of(actor, grid):
        raise ValidationError(_("You are already a verified resident of this grid."))
    if actor.display_name:  # joining must not bring a name that looks like a member's here
        names.check_display_name(actor.display_name, person=actor, communities=[grid.community])
    permissions.require(
        permissions.has_verified_email(actor), _("Confirm your email address first.")
    )
    unit, note = unit.strip(), note.strip()
    if not unit:
        raise ValidationError(_("Tell the grid worker where you live (building, unit, room)."))
    if len(unit) > max_length(MembershipRequest, "unit") or len(note) > max_length(MembershipRequest, "note"):
        raise ValidationError(_("The address or the note is too long."))
    if not permissions.can_request_membership(actor, grid):
        raise ValidationError(
            _("You already have a request waiting. Withdraw it first to ask for another grid.")
        )
    recent = MembershipRequest.objects.filter(user=actor, created_at__gte=timezone.now() - timedelta(days=1))
    if recent.count() >= REQUESTS_PER_DAY:
        raise ValidationError(_("You have sent several requests today. Please wait until tomorrow."))
    try:
        with transaction.atomic():
            request = MembershipRequest.objects.create(user=actor, grid=grid, unit=unit, note=note)
    except IntegrityError:  # a concurrent request won the race
        raise ValidationError(_("You already have a request waiting.")) from None
    queue = reverse("community:membership-queue", kwargs={"slug": grid.community.slug})
    deciders = selectors.holders(Membership.Role.GRID_WORKER, grid=grid).filter(is_active=True)
    if not deciders.exists():  # a grid without workers: the committee decides
        deciders = selectors.holders(Membership.Role.COMMITTEE, community=grid.community).filter(is_active=True)
    for decider in deciders:
        send_to_user_on_commit(
            decider,
            "community/email/membership_requested",
            {"request": request, "grid": grid, "queue_url": site_url(queue)},
        )
    return request


def _lock_request(request_id: int) -> MembershipRequest:
    return (
        MembershipRequest.objects.select_for_update()
        .select_related("grid__community", "user")
        .get(pk=request_id)
    )


def _ensure_pending(request: MembershipRequest) -> None:
    if request.status != Status.PENDING:
        raise ValidationError(
            _("This request is no longer waiting: it was %(status)s.")
            % {"status": request.get_status_display().lower()}
        )


def _decision_message(request: MembershipRequest) -> str:
    """The one-line news for the requester, in their own language."""
    with translation.override(request.user.language or settings.LANGUAGE_CODE):
        if request.status == Status.APPROVED:
            return _("You are now a verified resident of %(grid)s.") % {"grid": request.grid}
        return _("Your request to join %(grid)s was declined: %(reason)s") % {
            "grid": request.grid,
            "reason": request.reason,
        }


def _grid_label(request: MembershipRequest) -> str:
    with translation.override(request.user.language or settings.LANGUAGE_CODE):
        return str(request.grid)


def _tell_requester(request: MembershipRequest) -> None:
    send_to_user_on_commit(
        request.user,
        "community/email/membership_decided",
        {"request": request, "account_url": site_url(reverse("community:account"))},
    )
    publish_to_user_on_commit(
        request.user_id,
        {
            "type": "membership.request.decided",
            "request_id": request.pk,
            "status": request.status,
            "grid": _grid_label(request),
            "reason": request.reason,
            "message": _decision_message(request),
        },
    )
    # Kept in their notifications too (notifications is a later app: called through the setting).
    if request.status == Status.APPROVED:
        message, params = gettext_lazy("You are now a verified resident of %(grid)s."), {"grid": request.grid}
    else:
        message = gettext_lazy("Your request to join %(grid)s was declined: %(reason)s")
        params = {"grid": request.grid, "reason": request.reason}
    import_string(settings.YISHI_NOTIFY)([request.user], message=message, params=params,
                                         url=reverse("community:account"), email=False)


@transaction.atomic
def approve_membership_request(actor: User, *, request_id: int) -> Membership:
    """Verify the requester as a resident of the grid (moving them if they lived elsewhere)."""
    request = _lock_request(request_id)
    permissions.require(permissions.can_decide_membership_request(actor, request))
    _ensure_pending(request)
    grid = request.grid
    membership, _created = Membership.objects.update_or_create(
        user=request.user,
        community=grid.community,
        role=Membership.Role.RESIDENT,
        defaults={"grid": grid, "unit": request.unit},
    )
    request.status, request.decided_by, request.decided_at = Status.APPROVED, actor, timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(actor, "membership.approved", community=grid.community_id, target=request.user, grid=str(grid))
    permissions.forget(request.user)
    _tell_requester(request)
    return membership


@transaction.atomic
def reject_membership_request(actor: User, *, request_id: int, reason: str) -> MembershipRequest:
    """Turn a request down, with a reason the requester will read."""
    request = _lock_request(request_id)
    permissions.require(permissions.can_decide_membership_request(actor, request))
    _ensure_pending(request)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the resident a reason, so they know what to do next."))
    limit = max_length(MembershipRequest, "reason")
    if len(reason) > limit:
        raise ValidationError(_("The reason has at most %(limit)s characters.") % {"limit": limit})
    request.status, request.reason = Status.REJECTED, reason
    request.decided_by, request.decided_at = actor, timezone.now()
    request.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit.record(actor, "membership.declined", community=request.grid.community_id, target=request.user,
                 grid=str(request.grid), reason=reason)
    _tell_requester(request)
    return request


@transaction.atomic
def withdraw_membership_request(actor: User, *, request_id: int) -> MembershipRequest:
    """Take back one's own pending request."""
    request = _lock_request(request_id)
    permissions.require(permissions.can_withdraw_membership_request(actor, request))
    _ensure_pending(request)
    request.status, request.decided_at = Status.WITHDRAWN, timezone.now()
    request.save(update_fields=["status", "decided_at"])
    return request
