"""Paper ballots and proxies of owners' decisions.

A paper ballot is keyed in twice, by two different officials (the committee, the grid workers): when the two
agree it is counted; when they differ it waits until an official who checked the paper settles it. A paper
ballot for a unit that has voted already (online, by proxy, or an earlier paper ballot) is not counted: the
first vote recorded for a unit stands, on any channel, and the page lists the duplicates.

A proxy is recorded by the official who witnessed the owner sign the authorisation, with a photo of the signed
form; the proxy then votes for the owner's units online.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

import audit
from community import permissions as community_permissions
from community.models import Membership, User
from core.photos import clean_photo
from polls.models import OwnerBallot, OwnerParty, PaperEntry, Poll, Proxy
from polls.services.base import lock_poll
from polls.services.owners import CHOICES

Role = Membership.Role


def is_official(user, community) -> bool:
    """Who keys paper ballots and witnesses proxies: the committee and the community's grid workers."""
    return community_permissions.is_committee(user, community) or community_permissions.is_grid_worker_in(
        user, community)


def _open_owners_poll(actor, poll_id: int) -> Poll:
    poll = lock_poll(poll_id)
    if poll.kind != Poll.Kind.OWNERS:
        raise ValidationError(_("This is not an owners' decision."))
    community_permissions.require(is_official(actor, poll.community),
                                  _("Paper ballots and proxies are recorded by the committee and the grid workers."))
    if poll.status != Poll.Status.OPEN:
        raise ValidationError(_("Paper ballots and proxies are recorded while the vote is open."))
    return poll


def _party(poll: Poll, party_id) -> OwnerParty:
    party = poll.parties.filter(pk=party_id).first()
    if party is None:
        raise ValidationError(_("Choose a unit on this vote's roll."))
    return party


@transaction.atomic
def key_paper_ballot(actor: User, *, poll_id: int, party_id: int, choice: str) -> str:
    """Key in one paper ballot. Returns "waiting" (for the second official), "counted" (two agree), "differs"
    (two disagree: to be settled) or "duplicate" (the unit had voted already: not counted)."""
    if choice not in CHOICES:
        raise ValidationError(_("Choose yes, no or abstain, as the paper ballot says."))
    poll = _open_owners_poll(actor, poll_id)
    party = _party(poll, party_id)
    try:
        with transaction.atomic():
            PaperEntry.objects.create(poll=poll, party=party, choice=choice, keyed_by=actor)
    except IntegrityError:
        raise ValidationError(_("You have keyed the paper ballot of %(units)s already: another official keys it "
                                "the second time.") % {"units": ", ".join(party.units)}) from None
    audit.record(actor, "poll.paper_keyed", community=poll.community_id, target=poll, units=party.units)
    return _settle_if_agreed(poll, party)


def _settle_if_agreed(poll: Poll, party: OwnerParty) -> str:
    if OwnerBallot.objects.filter(party=party).exists():
        return "duplicate"
    choices = [e.choice for e in party.paper_entries.all()]
    if len(choices) < 2:
        return "waiting"
    if len(set(choices)) > 1:
        return "differs"
    OwnerBallot.objects.create(poll=poll, party=party, choice=choices[0], channel=OwnerBallot.Channel.PAPER)
    return "counted"


@transaction.atomic
def settle_paper_ballot(actor: User, *, poll_id: int, party_id: int, choice: str) -> OwnerBallot:
    """Two keyings differ: an official who looked at the paper says what it says, and it is counted."""
    if choice not in CHOICES:
        raise ValidationError(_("Choose yes, no or abstain, as the paper ballot says."))
    poll = _open_owners_poll(actor, poll_id)
    party = _party(poll, party_id)
    keyed = {e.choice for e in party.paper_entries.all()}
    if len(keyed) < 2:
        raise ValidationError(_("Only a paper ballot keyed differently by two officials is settled here."))
    if OwnerBallot.objects.filter(party=party).exists():
        raise ValidationError(_("%(units)s have voted already: an owner votes once.")
                              % {"units": ", ".join(party.units)})
    ballot = OwnerBallot.objects.create(poll=poll, party=party, choice=choice, channel=OwnerBallot.Channel.PAPER,
                                        cast_by=actor)
    audit.record(actor, "poll.paper_settled", community=poll.community_id, target=poll, units=party.units)
    return ballot


def paper_state(poll: Poll) -> dict:
    """For the officials: paper ballots waiting for their second keying, those keyed differently, the duplicates."""
    waiting, differing, duplicates = [], [], []
    parties = poll.parties.filter(paper_entries__isnull=False).distinct().prefetch_related(
        "paper_entries__keyed_by").select_related("ballot").order_by("pk")
    for party in parties:
        entries = list(party.paper_entries.all())
        ballot = getattr(party, "ballot", None)
        if ballot is not None and ballot.channel != OwnerBallot.Channel.PAPER:
            duplicates.append((party, ballot))
        elif ballot is None and len({e.choice for e in entries}) > 1:
            differing.append((party, entries))
        elif ballot is None:
            waiting.append((party, entries))
    return {"waiting": waiting, "differing": differing, "duplicates": duplicates}


@transaction.atomic
def record_proxy(actor: User, *, poll_id: int, party_id: int, proxy_email: str, form) -> Proxy:
    """Record that the owners of a unit authorised ``proxy_email``'s account to vote for them in this decision,
    with a photo of the signed form; ``actor`` witnessed it."""
    poll = _open_owners_poll(actor, poll_id)
    party = _party(poll, party_id)
    if OwnerBallot.objects.filter(party=party).exists():
        raise ValidationError(_("%(units)s have voted already: an owner votes once.")
                              % {"units": ", ".join(party.units)})
    if Proxy.objects.filter(party=party).exists():
        raise ValidationError(_("%(units)s have a proxy already.") % {"units": ", ".join(party.units)})
    person = User.objects.filter(email__iexact=(proxy_email or "").strip(), is_active=True).first()
    if person is None:
        raise ValidationError(_("No account has this e-mail address: the proxy signs up first."))
    if party.owners.filter(user=person).exists():
        raise ValidationError(_("This person owns the unit: they vote for it themselves."))
    if not form:
        raise ValidationError(_("Add a photo of the signed authorisation."))
    clean, _token, _extension = clean_photo(form)
    proxy = Proxy(poll=poll, party=party, proxy=person, witnessed_by=actor)
    proxy.form.save(clean.name, clean, save=False)
    proxy.save()
    audit.record(actor, "poll.proxy_recorded", community=poll.community_id, target=poll, units=party.units,
                 proxy=person.public_name)
    return proxy
