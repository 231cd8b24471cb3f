"""Count observers: named before the close; each confirms the published ballot box digest, with their name."""


from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from community import permissions as community_permissions
from community.models import Membership, User
from core import fragments
from polls.models import Observer, Poll
from polls.services.base import can_manage, eligible_users, lock_poll

Status, Method, Audience = Poll.Status, Poll.Method, Poll.Audience


def observer_candidates(poll: Poll) -> QuerySet[User]:
    """Who may observe a poll's count: the committee, and anyone on (or, before opening, eligible for) its roll."""
    committee = Q(memberships__community=poll.community, memberships__role=Membership.Role.COMMITTEE)
    if poll.status == Status.DRAFT:
        return User.objects.filter(Q(pk__in=eligible_users(poll).values("pk")) | committee, is_active=True).distinct()
    return User.objects.filter(Q(pk__in=poll.voters.values("user_id")) | committee, is_active=True).distinct()


@transaction.atomic
def set_observers(actor: User, *, poll_id: int, user_ids: list[int]) -> list[Observer]:
    """Name the poll's observers, before it closes; one who already confirmed a digest cannot be removed."""
    poll = lock_poll(poll_id)
    community_permissions.require(can_manage(actor, poll, poll.meeting), _("Only those who set the poll up name its "
                                                                          "observers."))
    if poll.status == Status.CLOSED:
        raise ValidationError(_("Observers are named before the poll closes."))
    wanted = set(user_ids)
    if len(wanted) > 20:
        raise ValidationError(_("Name at most 20 observers."))
    allowed = set(observer_candidates(poll).filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - allowed:
        raise ValidationError(_("An observer is a committee member or someone who votes in this poll."))
    Observer.objects.filter(poll=poll).exclude(user_id__in=wanted).delete()
    have = set(Observer.objects.filter(poll=poll).values_list("user_id", flat=True))
    Observer.objects.bulk_create([Observer(poll=poll, user_id=pk) for pk in sorted(wanted - have)])
    fragments.bump_on_commit("poll", poll.pk)  # a bulk create sends no post_save
    audit.record(actor, "poll.observers", community=poll.community_id, target=poll, observers=sorted(wanted))
    return list(poll.observers.select_related("user"))


@transaction.atomic
def confirm_digest(actor: User, *, poll_id: int, digest: str) -> Observer:
    """An observer confirms the ballot box digest they checked (with the verifier, on the recount file). The digest
    they saw is sent back: if the published one changed since, nothing is confirmed and they are told."""
    poll = lock_poll(poll_id, related=False)
    observer = Observer.objects.filter(poll=poll, user=actor).first()
    if observer is None:
        raise PermissionDenied(_("Only the poll's observers confirm its ballot box digest."))
    if poll.status != Status.CLOSED or not poll.ballot_box_digest:
        raise ValidationError(_("The ballot box digest is published when the poll is closed and counted."))
    if (digest or "").strip().lower() != poll.ballot_box_digest:
        raise ValidationError(_("This is not the published ballot box digest: check it again on the recount page."))
    if observer.confirmed_at is None:
        observer.confirmed_digest, observer.confirmed_at = poll.ballot_box_digest, timezone.now()
        observer.save(update_fields=["confirmed_digest", "confirmed_at"])
        audit.record(actor, "poll.digest_confirmed", community=poll.community_id, target=poll,
                     digest=poll.ballot_box_digest)
    return observer


def people_named(poll: Poll, lines: str) -> tuple[set[int], list[str]]:
    """Who the lines name among the poll's possible observers (one name exactly as shown, or an e-mail address,
    per line), and the lines that name nobody, or more than one person."""
    candidates = observer_candidates(poll)
    found, unknown = set(), []
    for line in (lines or "").splitlines():
        name = line.strip()
        if not name:
            continue
        match = list(candidates.filter(Q(email__iexact=name) | Q(display_name=name)).values_list("pk", flat=True)[:2])
        if len(match) == 1:
            found.add(match[0])
        else:
            unknown.append(name)
    return found, unknown
