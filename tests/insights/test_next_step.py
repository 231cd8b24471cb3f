"""Everyone finds their next step: each role lands where its work is after signing in, the home page shows what
is live and coming, and an organisation has its own list of tasks."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ledger.services import record_decision
from tests.meetings.conftest import schedule

PASSWORD = "correct horse battery"


@pytest.mark.parametrize("who, lands", [
    ("chair", "/meetings/"), ("grid_worker", "/issues/queue/"), ("org_rep", "/tasks/ours/"), ("resident", "/"),
    ("newcomer", "/account/"),
])
def test_each_role_lands_where_its_work_is(request, who, lands):
    person = request.getfixturevalue(who)
    response = Client().post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == lands


def test_a_next_address_still_wins_over_the_landing(grid_worker):
    response = Client().post("/accounts/login/?next=/outcomes/", {"login": grid_worker.email, "password": PASSWORD})
    assert response["Location"] == "/outcomes/"


def test_the_home_page_shows_live_and_coming_meetings_and_open_votes(client, chair, community):
    from meetings import services as meeting_services
    from polls import services as poll_services

    live = meeting_services.open_meeting(chair, meeting_id=schedule(chair, community).pk)
    coming = schedule(chair, community)
    closed = schedule(chair, community, is_public=False)
    poll = poll_services.open_poll(chair, poll_id=poll_services.create_poll(
        chair, community_id=community.pk, title="Paint the gate green?", options=[]).pk)
    page = client.get("/").content.decode()
    assert "Now and next" in page
    for shown in (live, coming, poll):
        assert shown.get_absolute_url() in page
    assert closed.get_absolute_url() not in page


def test_an_organisation_reads_its_tasks_and_the_chair_is_not_asked_to_join_a_grid(client, chair, community,
                                                                                  organisation, org_rep):
    decision = record_decision(chair, community=community, title="Fix the gate", source="committee", tasks=[
        {"title": "Weld the hinge", "owner_organisation_id": organisation.pk,
         "due_date": timezone.localdate() + timedelta(days=3)}])
    client.force_login(org_rep)
    page = client.get("/tasks/ours/").content.decode()
    assert "Weld the hinge" in page and decision.get_absolute_url() in page and "Post progress" in page
    assert 'href="/tasks/ours/"' in client.get("/").content.decode()  # in the menu
    client.force_login(chair)
    assert "Ask to join your grid" not in client.get("/").content.decode()
