"""Owners' votes under races: co-owners tapping at once, an owner and two officials keying the same unit's paper
ballot at the same moment — a unit is counted once, whatever arrives together."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections

from community.models import Membership
from community.services import register
from polls import services
from polls.models import OwnerBallot, PaperEntry
from tests.conftest import make_user

# serial: many connections at once, timed against the database's lock timeout
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.serial]


def _at_once(calls) -> tuple[list, list]:
    barrier = threading.Barrier(len(calls))
    refused, failures = [], []

    def run(call):
        barrier.wait()
        try:
            call()
        except ValidationError as error:
            refused.append(error)
        except Exception as error:  # noqa: BLE001 - a database error is a failure of the test
            failures.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return refused, failures


def test_co_owners_and_two_officials_at_the_same_moment_count_the_unit_once(chair, community, grid, grid_worker):
    owners = [make_user(f"co{i}@test.org", f"Co-owner {i}") for i in range(6)]
    lines = ["building,unit,area,grid,owner,owner_id,email"]
    lines += [f"Building 3,101,120,1,Co-owner {i},,co{i}@test.org" for i in range(6)]
    lines += ["Building 3,102,80,1,Lao Zhang,,"]
    register.import_register(chair, community_id=community.pk, text="\n".join(lines) + "\n", how="certificate")
    poll = services.create_owners_decision(chair, community_id=community.pk, title="Add a lift?", matter=7)
    poll = services.open_poll(chair, poll_id=poll.pk)
    shared = poll.parties.get(units=["Building 3 101"])
    paper_only = poll.parties.get(units=["Building 3 102"])
    secretary = make_user("sec@test.org", "Sec")
    Membership.objects.create(user=secretary, community=community, role="committee")

    calls = [lambda o=o: services.cast_owner_ballot(o, poll_id=poll.pk, party_id=shared.pk, choice="yes")
             for o in owners for _ in range(2)]
    calls += [lambda who=who: services.key_paper_ballot(who, poll_id=poll.pk, party_id=shared.pk, choice="no")
              for who in (chair, grid_worker)]
    calls += [lambda who=who: services.key_paper_ballot(who, poll_id=poll.pk, party_id=paper_only.pk, choice="yes")
              for who in (chair, grid_worker, secretary)]
    refused, failures = _at_once(calls)
    assert not failures, failures[:1]
    assert OwnerBallot.objects.filter(party=shared).count() == 1  # the unit once, whoever came first
    assert OwnerBallot.objects.get(party=paper_only).channel == "paper"  # keyed twice alike: counted once
    assert PaperEntry.objects.filter(party=paper_only).count() == 3
    closed = services.close_poll(chair, poll_id=poll.pk)
    assert closed.result["ballots"] == 2 and closed.result["participation"]["heads"]["part"] == "2"
