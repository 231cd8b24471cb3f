"""A resident who has done a bit of everything, built through the services, for the privacy tests."""

import pytest

from community import services as community_services
from community.models import Membership
from consult import services as consult_services
from issues import services as issues_services
from meetings import services as meeting_services
from polls import services as poll_services
from tests.conftest import CANARY, make_user
from tests.consult.conftest import new_consultation
from tests.meetings.conftest import schedule

# What a reporter gives only to the grid worker and the committee.
PRIVATE_CONTACT = "+86 137 5555 0199 canary.contact@example.net"
PRIVATE_ADDRESS = "Canary Lane 77, Flat 9"


@pytest.fixture
def neighbour(grid):
    user = make_user("neighbour@test.org", "Nora")
    Membership.objects.create(user=user, community=grid.community, role="resident", grid=grid, unit="B2-202")
    return user


@pytest.fixture
def busy(resident, neighbour, chair, moderator, grid_worker, community, grid, category):
    """Rita raised, followed, proposed, supported, commented, upvoted, reported, met, spoke and voted."""
    issue = issues_services.raise_issue(
        resident, grid_id=grid.pk, category_id=category.pk, title=f"Lift broken {CANARY}", body="Stuck again",
        location="Building 1 lobby", contact=PRIVATE_CONTACT, address=PRIVATE_ADDRESS,
    )
    entered = issues_services.raise_issue(
        grid_worker, grid_id=grid.pk, category_id=category.pk, title="Dark stairwell", body="Lamp out",
        on_behalf_of="Mr Li", channel="phone", contact="+86 138 0000 2222", address="B3-303",
    )
    issues_services.follow_issue(resident, issue_id=entered.pk)
    consultation = new_consultation(chair, community, threshold=2)
    proposal = consult_services.submit_proposal(resident, consultation_id=consultation.pk, title="Canteen",
                                        body="Lunch for the elderly")
    other = consult_services.submit_proposal(neighbour, consultation_id=consultation.pk, title="Repair café", body="Fix")
    consult_services.support_proposal(resident, proposal_id=other.pk)
    consult_services.support_proposal(neighbour, proposal_id=proposal.pk)
    comment = consult_services.post_comment(resident, consultation_id=consultation.pk, body="First thoughts on the hall")
    consult_services.edit_comment(resident, comment_id=comment.pk, body="Second thoughts on the hall")
    theirs = consult_services.post_comment(neighbour, consultation_id=consultation.pk, body="Agreed with the canteen")
    consult_services.upvote_comment(resident, comment_id=theirs.pk)
    consult_services.report_content(resident, reason="off_topic", detail="Not about the hall", comment_id=theirs.pk)
    token, _secret = community_services.create_api_token(resident, name="My phone", scopes=["issues"])

    meeting = schedule(chair, community, secretary=moderator, invite=[resident, neighbour])
    meeting_services.open_meeting(chair, meeting_id=meeting.pk)
    meeting_services.check_in(resident, meeting_id=meeting.pk)
    meeting_services.check_in(neighbour, meeting_id=meeting.pk)
    message = meeting_services.post_message(resident, meeting_id=meeting.pk, body="Hello, neighbours")
    meeting_services.raise_hand(resident, meeting_id=meeting.pk)

    secret = poll_services.open_poll(chair, poll_id=poll_services.create_poll(
        chair, community_id=community.pk, title="Paint the hall green?", options=[], method="yes_no").pk)
    receipt = poll_services.cast_ballot(resident, poll_id=secret.pk, choices="no")
    poll_services.cast_ballot(neighbour, poll_id=secret.pk, choices="yes")
    open_poll = poll_services.open_poll(chair, poll_id=poll_services.create_poll(
        chair, community_id=community.pk, title="Which colour?", options=["Green", "Blue"], method="single",
        secret=False).pk)
    green, blue = open_poll.options.all()
    poll_services.cast_ballot(resident, poll_id=open_poll.pk, choices=blue.pk)
    poll_services.cast_ballot(neighbour, poll_id=open_poll.pk, choices=green.pk)
    return {
        "user": resident, "issue": issue, "entered": entered, "consultation": consultation, "proposal": proposal,
        "other_proposal": other, "comment": comment, "other_comment": theirs, "token": token, "meeting": meeting,
        "message": message,
        "secret_poll": secret, "receipt": receipt, "open_poll": open_poll, "blue": blue,
    }
