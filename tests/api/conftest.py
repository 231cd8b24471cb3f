"""A small world to read through the API, and personal tokens to write with."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from community import services as community_services
from community.models import ApiToken
from consult import services as consult_services
from ledger.models import Decision, Task
from polls import services as poll_services
from tests.consult.conftest import new_consultation
from tests.meetings.conftest import schedule
from tests.polls.conftest import make_poll, voters  # noqa: F401 (a fixture)

ALL_SCOPES = list(ApiToken.Scope.values)


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def token_for(user, scopes=ALL_SCOPES) -> str:
    return community_services.create_api_token(user, name="Test app", scopes=list(scopes))[1]


@pytest.fixture
def api():
    """A client without cookies that enforces CSRF, as an app on a phone would be."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def world(chair, community, grid, category, issue, resident, voters, moderator, organisation):  # noqa: F811
    """One of everything the API reads, in the states the public may see."""
    consultation = new_consultation(chair, community, threshold=2)
    proposal = consult_services.submit_proposal(voters[1], consultation_id=consultation.pk, title="Benches",
                                        body="Two benches by the gate")
    comment = consult_services.post_comment(voters[2], consultation_id=consultation.pk, body="Yes, please", stance="for",
                                    proposal_id=proposal.pk)
    meeting = schedule(chair, community, secretary=moderator, invite=[resident], orgs=[organisation])
    from meetings import services as meeting_services

    meeting_services.add_agenda_item(chair, meeting_id=meeting.pk, title="Parking", minutes_allotted=20)
    closed = make_poll(chair, community, title="Paint the hall green?")
    for voter, choice in zip(voters, ["yes", "yes", "no", "abstain", "yes"], strict=True):
        poll_services.cast_ballot(voter, poll_id=closed.pk, choices=choice)
    closed = poll_services.close_poll(chair, poll_id=closed.pk)
    open_poll = make_poll(chair, community, title="Plant trees?")
    decision = Decision.objects.create(community=community, title="Fix the lift", source=Decision.Source.COMMITTEE,
                                       issue=issue, decided_by=chair)
    Task.objects.create(decision=decision, issue=issue, title="Call the lift company", owner_organisation=organisation,
                        due_date=timezone.localdate() + timedelta(days=7))
    return {"issue": issue, "consultation": consultation, "proposal": proposal, "comment": comment,
            "meeting": meeting, "closed_poll": closed, "open_poll": open_poll, "decision": decision}


def sign_in(client, user) -> None:
    """Sign in and confirm the password again, as the token page asks for."""
    client.force_login(user)
    answer = client.post("/accounts/reauthenticate/", {"password": "correct horse battery"})
    assert answer.status_code == 302, answer.content.decode()[:500]
