"""Live consultation pages through the real ASGI stack, and supports under concurrent clicks."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from community.models import Membership
from config.asgi import application
from consult import services
from consult.models import Proposal, Support
from tests.conftest import make_user, race
from tests.consult.conftest import new_consultation

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]


async def _connect(path):
    communicator = WebsocketCommunicator(application, path, headers=ORIGIN)
    connected, _ = await communicator.connect()
    assert connected
    welcome = await communicator.receive_json_from()
    assert welcome["type"] == "welcome"
    return communicator, welcome


async def test_new_comments_and_support_counts_arrive_live(consultation, proposal, resident, resident_of_other_grid):
    communicator, welcome = await _connect(f"/ws/consultations/{consultation.pk}/")
    comment = await sync_to_async(services.post_comment)(resident_of_other_grid, consultation_id=consultation.pk,
                                                         body="Against: too expensive", stance="against")
    frame = await communicator.receive_json_from(timeout=2)
    assert frame == {"type": "consultation.changed", "event_id": frame["event_id"], "kind": "comment.new",
                     "proposal_id": None, "comment_id": comment.pk, "parent_id": None}
    assert frame["event_id"] > welcome["last_event_id"]
    assert "expensive" not in str(frame)  # ids only: the page fetches what it may see
    await sync_to_async(services.support_proposal)(resident_of_other_grid, proposal_id=proposal.pk)
    frame = await communicator.receive_json_from(timeout=2)
    assert frame == {"type": "proposal.supports", "proposal_id": proposal.pk, "supports": 1, "shortlisted": False}
    await communicator.disconnect()


async def test_a_reconnecting_page_gets_what_it_missed_in_order(consultation, proposal, resident):
    _communicator, welcome = await _connect(f"/ws/consultations/{consultation.pk}/")
    await _communicator.disconnect()
    first = await sync_to_async(services.post_comment)(resident, consultation_id=consultation.pk, body="One")
    second = await sync_to_async(services.post_comment)(resident, consultation_id=consultation.pk, body="Two",
                                                        parent_id=first.pk)
    communicator, _ = await _connect(f"/ws/consultations/{consultation.pk}/?since={welcome['last_event_id']}")
    missed = [await communicator.receive_json_from() for _ in range(2)]
    assert [m["comment_id"] for m in missed] == [first.pk, second.pk]
    assert missed[0]["event_id"] < missed[1]["event_id"]
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_drafts_and_unknown_consultations_refuse_the_public(chair, community):
    draft = await sync_to_async(new_consultation)(chair, community, phase="draft")
    for path in [f"/ws/consultations/{draft.pk}/", "/ws/consultations/99999/"]:
        connected, _ = await WebsocketCommunicator(application, path, headers=ORIGIN).connect()
        assert not connected


async def test_a_socket_from_another_site_is_refused(consultation):
    evil = WebsocketCommunicator(application, f"/ws/consultations/{consultation.pk}/",
                                 headers=[(b"origin", b"https://evil.example")])
    connected, _ = await evil.connect()
    assert not connected


def test_concurrent_clicks_make_one_support_and_many_people_count_exactly(grid, consultation, proposal,
                                                                           resident_of_other_grid):
    outcomes = race(*[lambda: services.support_proposal(resident_of_other_grid, proposal_id=proposal.pk)] * 4)
    assert sum(not isinstance(o, Exception) for o in outcomes) == 1, outcomes
    people = []
    for i in range(6):
        person = make_user(f"crowd{i}@test.org", f"Crowd {i}")
        Membership.objects.create(user=person, community=grid.community, role="resident", grid=grid)
        people.append(person)
    outcomes = race(*[lambda p=p: services.support_proposal(p, proposal_id=proposal.pk) for p in people])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    proposal.refresh_from_db()
    assert proposal.supports_count == 7 == Support.objects.filter(proposal=proposal).count()
    assert Proposal.objects.get(pk=proposal.pk).is_shortlisted


async def test_changes_to_a_comment_on_a_proposal_name_the_proposal(consultation, proposal, resident,
                                                                    resident_of_other_grid, moderator):
    comment = await sync_to_async(services.post_comment)(resident_of_other_grid, consultation_id=consultation.pk,
                                                         proposal_id=proposal.pk, body="Rude words")
    communicator, _welcome = await _connect(f"/ws/consultations/{consultation.pk}/")
    await sync_to_async(services.moderate)(moderator, comment_id=comment.pk, action="hide", reason="abuse",
                                           explanation="Be kind")
    frame = await communicator.receive_json_from(timeout=2)
    assert (frame["kind"], frame["comment_id"], frame["proposal_id"]) == ("comment.changed", comment.pk, proposal.pk)
    await communicator.disconnect()
