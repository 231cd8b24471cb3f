"""Live issue pages and lists through the real ASGI stack: anyone may watch; frames carry ids only."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from issues import services

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]


async def test_an_open_issue_page_hears_each_change_without_private_detail(issue, grid_worker):
    communicator = WebsocketCommunicator(application, f"/ws/issues/{issue.pk}/", headers=ORIGIN)
    connected, _ = await communicator.connect()
    assert connected
    welcome = await communicator.receive_json_from()
    assert welcome["type"] == "welcome" and welcome["last_event_id"] > 0
    await sync_to_async(services.ask_for_information)(grid_worker, issue_id=issue.pk, question="Floor?")
    frame = await communicator.receive_json_from(timeout=2)
    assert frame["type"] == "issue.changed" and frame["issue_id"] == issue.pk
    assert frame["event_id"] > welcome["last_event_id"] and frame["status"] == "needs_info"
    assert "139" not in str(frame) and "Floor" not in str(frame)  # no contact, no text: fetch over HTTP
    await communicator.disconnect()


async def test_a_client_that_reconnects_with_since_hears_what_it_missed(issue, grid_worker):
    first = await sync_to_async(lambda: issue.events.last().pk)()
    await sync_to_async(services.ask_for_information)(grid_worker, issue_id=issue.pk, question="Floor?")
    communicator = WebsocketCommunicator(application, f"/ws/issues/{issue.pk}/?since={first}", headers=ORIGIN)
    await communicator.connect()
    await communicator.receive_json_from()
    missed = await communicator.receive_json_from()
    assert missed["type"] == "issue.changed" and missed["event_id"] > first
    await communicator.disconnect()
    uptodate = WebsocketCommunicator(application, f"/ws/issues/{issue.pk}/?since={missed['event_id']}", headers=ORIGIN)
    await uptodate.connect()
    await uptodate.receive_json_from()
    assert await uptodate.receive_nothing(timeout=0.3)
    await uptodate.disconnect()


async def test_a_grid_list_hears_new_issues_in_its_grid_only(grid, other_grid, category, resident, resident_of_other_grid):
    communicator = WebsocketCommunicator(application, f"/ws/issue-lists/?grids={grid.pk}", headers=ORIGIN)
    connected, _ = await communicator.connect()
    assert connected and (await communicator.receive_json_from())["grids"] == [grid.pk]
    await sync_to_async(services.raise_issue)(resident_of_other_grid, grid_id=other_grid.pk, category_id=category.pk,
                                              title="Elsewhere", body="B")
    assert await communicator.receive_nothing(timeout=0.3)
    await sync_to_async(services.raise_issue)(resident, grid_id=grid.pk, category_id=category.pk, title="Here", body="B")
    assert (await communicator.receive_json_from(timeout=2))["type"] == "issue.changed"
    await communicator.disconnect()


@pytest.mark.parametrize("path", ["/ws/issues/99999/", "/ws/issue-lists/?grids=99999", "/ws/issue-lists/?grids=x"])
async def test_unknown_issues_and_grids_are_refused(db, path):
    connected, _ = await WebsocketCommunicator(application, path, headers=ORIGIN).connect()
    assert not connected


async def test_a_watcher_socket_answers_bad_frames_with_an_error_and_stays_open(issue):
    communicator = WebsocketCommunicator(application, f"/ws/issues/{issue.pk}/", headers=ORIGIN)
    await communicator.connect()
    await communicator.receive_json_from()
    await communicator.send_to(text_data='{"type": "issue.delete"}')
    assert (await communicator.receive_json_from())["type"] == "error"
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}
    await communicator.disconnect()
