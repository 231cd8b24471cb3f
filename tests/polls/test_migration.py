"""Secret ballots cast before the ballot box existed are moved into it by the migration: nothing voted is lost."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from polls import services
from polls.models import Poll

BEFORE = [("polls", "0001_initial")]  # then forward to the latest, through 0002_ballot_box


@pytest.mark.django_db(transaction=True)
def test_secret_ballots_cast_before_the_ballot_box_move_into_it(community, resident, grid_worker, chair):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldPoll, Option = old.get_model("polls", "Poll"), old.get_model("polls", "Option")
    Voter, Participation = old.get_model("polls", "Voter"), old.get_model("polls", "Participation")
    Ballot, Receipt = old.get_model("polls", "Ballot"), old.get_model("polls", "Receipt")
    made = {}
    for status in ("open", "closed"):
        poll = OldPoll.objects.create(community_id=community.pk, title=f"Paint it ({status})?", method="single",
                                      status=status, secret=True, opened_at=timezone.now(),
                                      closes_at=timezone.now() + timezone.timedelta(days=1), eligible_count=3)
        green, blue = (Option.objects.create(poll=poll, text=t, position=i) for i, t in enumerate(("Green", "Blue")))
        for user in (resident, grid_worker, chair):
            Voter.objects.create(poll=poll, user_id=user.pk)
        for user, option in ((resident, green), (grid_worker, blue)):
            Participation.objects.create(poll=poll, user_id=user.pk)
            Ballot.objects.create(poll=poll, choices=option.pk)
            Receipt.objects.create(poll=poll, code_hash=f"{user.pk:064x}")
        made[status] = (poll.pk, green.pk, blue.pk)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    poll_id, green, blue = made["open"]
    poll = Poll.objects.get(pk=poll_id)
    assert poll.box_key and services.has_voted(resident, poll) and not services.has_voted(chair, poll)
    services.cast_ballot(chair, poll_id=poll.pk, choices=green)  # the box takes the votes still to come
    closed = services.close_poll(None, poll_id=poll.pk)
    assert closed.result["counts"] == {str(green): 2, str(blue): 1}

    poll_id, green, blue = made["closed"]
    poll = Poll.objects.get(pk=poll_id)
    assert sorted(services.ballots_of(poll)) == sorted([green, blue])  # sealed: the recount reads them
    assert services.receipts_of(poll) == sorted(f"{u.pk:064x}" for u in (resident, grid_worker))
