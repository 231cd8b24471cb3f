"""Owners' decisions (Article 278 of the Civil Code, docs/owners.md): set up by the committee for the whole
community or one building, their roll of owners fixed from the register when they open, one vote per owner
(a co-owner's vote is the unit's), counted by area and by headcount."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from community import permissions as community_permissions
from community.models import Building, Community, Unit, User
from core import limits
from core.text import clean_text, max_length
from polls import owners
from polls.models import OwnerBallot, OwnerParty, Poll
from polls.services.base import can_manage, lock_poll

Status = Poll.Status
CHOICES = ("yes", "no", "abstain")


@transaction.atomic
def create_owners_decision(actor: User, *, community_id: int, title: str, matter: int, body: str = "",
                           building_id: int | None = None, opens_at=None, closes_at=None,
                           show_unit_votes: bool = False, announce_days: int = 7) -> Poll:
    """A draft owners' decision: yes / no / abstain, one vote per owner, the thresholds set by its matter."""
    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        raise ValidationError(_("There is no such community."))
    community_permissions.require(can_manage(actor, community), _("The committee sets owners' decisions up."))
    if matter not in Poll.Matter.values:
        raise ValidationError(_("Choose the matter from the article's list: it sets the majorities needed."))
    building = None
    if building_id:
        building = Building.objects.filter(pk=building_id, community=community).first()
        if building is None:
            raise ValidationError(_("Choose a building of this community, or the whole community."))
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationError(_("A poll closes after it opens."))
    if closes_at and closes_at <= timezone.now():
        raise ValidationError(_("The closing time has passed already."))
    if not isinstance(announce_days, int) or not 1 <= announce_days <= 60:
        raise ValidationError(_("The result is announced for 1 to 60 days."))
    poll = Poll.objects.create(
        community=community, kind=Poll.Kind.OWNERS, matter=matter, building=building,
        title=clean_text(title, field=_("The question"), limit=max_length(Poll, "title")),
        body=clean_text(body, field=_("The explanation"), required=False, limit=max_length(Poll, "body")),
        method=Poll.Method.YES_NO, secret=False, show_unit_votes=show_unit_votes, opens_at=opens_at,
        closes_at=closes_at, created_by=actor, announce_days=announce_days,
    )
    audit.record(actor, "poll.created", community=community, target=poll)
    return poll


def units_in_scope(poll: Poll):
    units = Unit.objects.filter(building__community=poll.community_id)
    if poll.building_id:
        units = units.filter(building=poll.building_id)
    return units.select_related("building").prefetch_related("owners").order_by("building__name", "number")


def make_roll(poll: Poll) -> int:
    """The owners on the roll, from the register as it stands now: units with the same owners are one party
    (one buyer's several units count once), the developer's unsold units one party together."""
    groups: dict[frozenset, tuple[list, list, object]] = {}
    for unit in units_in_scope(poll):
        key = frozenset(o.pk for o in unit.owners.all())
        labels, areas, _owners = groups.setdefault(key, ([], [], list(unit.owners.all())))
        labels.append(f"{unit.building.name} {unit.number}")
        areas.append(unit.area)
    if not groups:
        raise ValidationError(_("The register has no units here yet: import the register of owners first."))
    parties = OwnerParty.objects.bulk_create([
        OwnerParty(poll=poll, units=labels, area=sum(areas)) for labels, areas, _o in groups.values()])
    through = OwnerParty.owners.through
    through.objects.bulk_create([through(ownerparty_id=party.pk, owner_id=owner.pk)
                                 for party, (_l, _a, people) in zip(parties, groups.values()) for owner in people])
    return len(parties)


def parties_of(user, poll: Poll) -> list[OwnerParty]:
    """The parties ``user`` may vote for: those whose owners include them (linked in the register), and those
    who authorised them as proxy."""
    if not user.is_authenticated:
        return []
    return list(poll.parties.filter(Q(owners__user=user) | Q(proxy__proxy=user))
                .select_related("ballot", "proxy").distinct().order_by("pk"))


def cast_owner_ballot(actor: User, *, poll_id: int, party_id: int, choice: str) -> OwnerBallot:
    """An owner votes for their unit(s). Once per party, whoever of its co-owners votes first and on whichever
    channel: a second vote is refused and says who and how the first one came."""
    limits.hit(actor, "ballot")
    if choice not in CHOICES:
        raise ValidationError(_("Choose yes, no or abstain."))
    with transaction.atomic():
        poll = lock_poll(poll_id, related=False)
        if poll.kind != Poll.Kind.OWNERS:
            raise ValidationError(_("This is not an owners' decision."))
        if not poll.is_open:
            raise ValidationError(_("This poll is not open for voting."))
        party = poll.parties.filter(Q(owners__user=actor) | Q(proxy__proxy=actor), pk=party_id).first()
        if party is None:
            raise ValidationError(_("The register does not list you as an owner of these units. If it should, "
                                    "ask the committee or the property manager."))
        earlier = OwnerBallot.objects.filter(party=party).first()
        if earlier is not None:
            raise ValidationError(_("%(units)s have voted already (%(how)s): an owner votes once.")
                                  % {"units": ", ".join(party.units), "how": earlier.get_channel_display()})
        try:
            with transaction.atomic():
                own = party.owners.filter(user=actor).exists()
                return OwnerBallot.objects.create(
                    poll=poll, party=party, choice=choice, cast_by=actor,
                    channel=OwnerBallot.Channel.ONLINE if own else OwnerBallot.Channel.PROXY)
        except IntegrityError:
            raise ValidationError(_("%(units)s have voted already: an owner votes once.")
                                  % {"units": ", ".join(party.units)}) from None


def owners_result(poll: Poll) -> dict:
    """The double majority, with how many voted on each channel and the units that took part."""
    parties = list(poll.parties.select_related("ballot").order_by("pk"))
    voted = [(p, getattr(p, "ballot", None)) for p in parties]
    result = owners.decide(poll.matter, [owners.Party(p.area, b.choice if b else None) for p, b in voted])
    result["channels"] = {c: sum(1 for _p, b in voted if b and b.channel == c) for c in OwnerBallot.Channel.values}
    result["took_part"] = [{"units": p.units, **({"choice": b.choice} if poll.show_unit_votes else {})}
                           for p, b in voted if b]
    result["ballots"], result["eligible"] = len(result["took_part"]), len(parties)
    result["winners"] = ["yes"] if result["adopted"] else []
    return result
