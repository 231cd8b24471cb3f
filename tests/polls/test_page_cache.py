"""A poll's public page and the consultation's list of votes read from the fragments cache (core/fragments.py):
one query for a warm poll page, and every change shown to the next reader."""

import pickle

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import fragments
from polls import services
from tests.polls.conftest import make_poll

pytestmark = pytest.mark.django_db


def read(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_warm_public_poll_page_reads_the_poll_and_nothing_else(chair, community, voters):
    poll = make_poll(chair, community, method="single", options=["Green", "Blue"], secret=False, live_results=True)
    services.cast_ballot(voters[0], poll_id=poll.pk, choices=poll.options.get(text="Green").pk)
    read(poll.get_absolute_url())
    with CaptureQueriesContext(connection) as ctx:
        page = read(poll.get_absolute_url())
    assert "Green" in page and "Blue" in page
    assert [q["sql"].split(" FROM ")[1].split()[0] for q in ctx.captured_queries] == ['"polls_poll"']


def test_observers_named_or_confirming_show_on_the_next_public_read(chair, community, voters):
    poll = make_poll(chair, community, method="single", options=["Green", "Blue"])
    url = poll.get_absolute_url()
    assert voters[1].public_name not in read(url)
    services.set_observers(chair, poll_id=poll.pk, user_ids=[voters[1].pk])  # a bulk insert: no post_save
    page = read(url)
    assert voters[1].public_name in page and "confirms after the count" in page
    voter = Client()
    voter.force_login(voters[2])
    blue = poll.options.get(text="Blue")
    assert voter.post(f"/polls/{poll.pk}/vote", {"ballot-choice": str(blue.pk)}).status_code == 302
    options = fragments.store().get(f"r:poll-options:{poll.pk}:{fragments.version('poll', poll.pk)}")
    assert [o.text for o in options] == ["Green", "Blue"]  # what the vote read, kept for the next voter
    closed = services.close_poll(chair, poll_id=poll.pk)
    page = read(url)
    assert "not confirmed yet" in page
    decision = reverse("ledger:decision-detail", kwargs={"pk": closed.decision_id})  # adopted: a decision
    assert f'<a href="{decision}">The decision and its follow-up</a>' in page
    services.confirm_digest(voters[1], poll_id=poll.pk, digest=closed.ballot_box_digest)
    assert "confirmed the digest on" in read(url)
    kept = fragments.store().get(f"r:poll-page:{poll.pk}:{fragments.version('poll', poll.pk)}")
    assert kept is not None  # what the page read is kept, and holds neither an address nor a password hash
    raw = pickle.dumps(kept)
    assert voters[1].email.encode() not in raw and voters[1].password.encode() not in raw
    assert closed.box_key and closed.box_key.encode() not in raw  # nor a copy of the poll
    assert closed.box_key.encode() not in pickle.dumps(options)


def test_a_consultations_page_shows_its_vote_as_it_opens_and_closes(client, chair, community, resident, voters):
    from consult import services as consult_services
    from tests.consult.conftest import new_consultation

    consultation = new_consultation(chair, community, threshold=1)
    proposals = [consult_services.submit_proposal(who, consultation_id=consultation.pk, title=title, body="B")
                 for who, title in ((resident, "Canteen"), (voters[1], "Lift"))]
    for who, proposal in zip(voters[2:], proposals):
        consult_services.support_proposal(who, proposal_id=proposal.pk)
    consult_services.advance_phase(chair, consultation_id=consultation.pk, to="deliberation")
    consult_services.advance_phase(chair, consultation_id=consultation.pk, to="voting")
    url = consultation.get_absolute_url()
    assert 'id="votes-title"' not in read(url)  # no vote: no section
    poll = services.put_proposals_to_vote(chair, consultation_id=consultation.pk)
    assert 'id="votes-title"' not in read(url)  # a draft is not shown
    services.open_poll(chair, poll_id=poll.pk)
    page = read(url)
    assert 'id="votes-title"' in page and poll.get_absolute_url() in page and "See the result" not in page
    canteen, lift = poll.options.order_by("position")
    services.cast_ballot(voters[0], poll_id=poll.pk, choices=[canteen.pk, lift.pk])
    services.close_poll(chair, poll_id=poll.pk)
    assert "See the result" in read(url) and "1 of" in read(url)


def test_a_deleted_voters_name_leaves_the_public_page_at_once(chair, community, voters):
    from community import services as community_services

    poll = make_poll(chair, community, method="single", options=["Green", "Blue"], secret=False, live_results=True)
    services.set_observers(chair, poll_id=poll.pk, user_ids=[voters[2].pk])
    services.cast_ballot(voters[1], poll_id=poll.pk, choices=poll.options.get(text="Green").pk)
    page = read(poll.get_absolute_url())
    assert voters[1].public_name in page and voters[2].public_name in page
    for person in voters[1:3]:
        community_services.delete_account(person, user_id=person.pk)
    page = read(poll.get_absolute_url())
    assert voters[1].public_name not in page and voters[2].public_name not in page and "Former member" in page
