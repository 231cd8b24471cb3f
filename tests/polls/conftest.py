"""Polls of the canary community: residents vote, the committee sets them up."""

import pytest

from community.models import Membership
from polls import services
from tests.conftest import make_user


@pytest.fixture
def voters(grid, resident):
    people = [resident]
    for i in range(4):
        user = make_user(f"voter{i}@test.org", f"Voter {i}")
        Membership.objects.create(user=user, community=grid.community, role="resident", grid=grid)
        people.append(user)
    return people


def make_poll(chair, community, **extra):
    fields = {"title": "Paint the hall green?", "options": [], "method": "yes_no", **extra}
    poll = services.create_poll(chair, community_id=community.pk, **fields)
    return services.open_poll(chair, poll_id=poll.pk)


def box_contents(poll) -> dict:
    """What a secret poll's ballot box holds, as a backup reads it: who voted, and apart, sorted, the ballots and
    the receipt hashes."""
    dump = services.ballot_box().dump(poll.box_key)
    return {"voted": dump["voted"], "ballots": dump["ballots"], "receipts": dump["receipts"]}
