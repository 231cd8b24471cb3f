"""Closing on time is the worker's job: a page past the closing time reads "voting ended", refuses
ballots and writes nothing; the task closes and counts."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from polls import services
from polls.models import Poll
from tests.polls.conftest import make_poll


def time_is_up(poll: Poll) -> None:
    """The closing time passes (and with it the run_after of the close booked at opening)."""
    past = timezone.now() - timedelta(seconds=5)
    Poll.objects.filter(pk=poll.pk).update(closes_at=past)
    DBTaskResult.objects.filter(status="READY").update(run_after=past)


def test_opening_a_poll_with_a_closing_time_books_its_close_for_that_moment(run_tasks, chair, community, voters):
    closes = timezone.now() + timedelta(hours=2)
    poll = make_poll(chair, community, closes_at=closes)
    booked = DBTaskResult.objects.get(task_path="polls.tasks.close_due_polls")
    assert booked.status == "READY" and booked.run_after == closes
    assert booked.args_kwargs["kwargs"] == {"poll_id": poll.pk}
    run_tasks()  # not due yet: the worker leaves it
    assert DBTaskResult.objects.get(pk=booked.pk).status == "READY" and Poll.objects.get(pk=poll.pk).status == "open"


def test_past_its_closing_time_a_poll_reads_voting_ended_refuses_ballots_and_the_worker_counts_it(
        run_tasks, client, chair, community, voters):
    poll = make_poll(chair, community, closes_at=timezone.now() + timedelta(hours=1))
    services.cast_ballot(voters[0], poll_id=poll.pk, choices="yes")
    time_is_up(poll)
    client.force_login(voters[1])
    html = client.get(poll.get_absolute_url()).content.decode()
    assert "Voting ended" in html and "Cast my vote" not in html and "The count appears here in a moment" in html
    assert Poll.objects.get(pk=poll.pk).status == "open"  # the page only read
    with pytest.raises(ValidationError, match="not open for voting"):
        services.cast_ballot(voters[1], poll_id=poll.pk, choices="no")
    response = client.post(f"/polls/{poll.pk}/vote", {"ballot-choice": "no"})
    assert response.status_code == 200 and "not open for voting" in response.content.decode()

    run_tasks()
    poll.refresh_from_db()
    assert poll.status == "closed" and poll.result["ballots"] == 1 and poll.result["counts"]["yes"] == 1
    html = client.get(poll.get_absolute_url()).content.decode()
    assert "Voting ended" not in html and "1 of 5 eligible voted" in html


def test_the_minutely_sweep_closes_a_poll_whose_booked_close_was_lost(run_tasks, chair, community, voters):
    poll = make_poll(chair, community, closes_at=timezone.now() + timedelta(hours=1))
    DBTaskResult.objects.all().delete()  # e.g. a database restored from before the poll opened
    time_is_up(poll)
    call_command("run_scheduler", "--once", stdout=io.StringIO())
    run_tasks()
    assert Poll.objects.get(pk=poll.pk).status == "closed"


def test_the_close_polls_command_still_closes_due_polls_for_cron(chair, community, voters, capsys):
    poll = make_poll(chair, community, closes_at=timezone.now() + timedelta(hours=1))
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    call_command("close_polls")
    assert "1 polls closed." in capsys.readouterr().out
    assert Poll.objects.get(pk=poll.pk).status == "closed"
