"""A vote put to a live meeting reaches every attendee's page at once: said aloud, the ballot in place, then the
result — no reload."""

import pytest
from asgiref.sync import sync_to_async

from meetings import services as meeting_services
from polls import services
from tests.meetings.conftest import schedule
from tests.meetings.test_room import enter, next_of

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_vote_opened_in_the_room_reaches_the_attendees_with_the_ballot_in_place_and_then_its_result(
        chair, community, resident, client):
    meeting = await sync_to_async(schedule)(chair, community, invite=[resident])
    await sync_to_async(meeting_services.add_agenda_item)(chair, meeting_id=meeting.pk, title="Budget")
    await sync_to_async(meeting_services.open_meeting)(chair, meeting_id=meeting.pk)
    await sync_to_async(meeting_services.check_in)(resident, meeting_id=meeting.pk)
    mei, _ = await enter(meeting, resident, lang="zh-hans")
    public, _ = await enter(meeting)

    poll = await sync_to_async(services.put_question_to_meeting)(
        chair, meeting_id=meeting.pk, title="Adopt the budget?", method="yes_no", options=[], secret=True)
    region = f"/meetings/{meeting.pk}/region/votes"
    frame = await next_of(mei, "poll.status")
    notice, votes = frame["swaps"]
    assert notice["target"] == "live-notice" and "投票已开始" in notice["html"] and "Adopt the budget?" in notice["html"]
    assert votes == {"target": "votes", "swap": "inner", "url": region}
    assert "A vote has opened" in (await next_of(public, "poll.status"))["swaps"][0]["html"]

    await sync_to_async(client.force_login)(resident)
    html = (await sync_to_async(client.get)(region)).content.decode()
    assert "Cast my vote" in html and f'value="{meeting.get_absolute_url()}"' in html
    response = await sync_to_async(client.post)(f"/polls/{poll.pk}/vote", {
        "ballot-choice": "yes", "next": meeting.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    html = (await sync_to_async(client.get)(region)).content.decode()
    assert "Cast my vote" not in html and "You voted. Thank you." in html
    response = await sync_to_async(client.post)(f"/polls/{poll.pk}/vote", {  # a second tap: refused, not counted
        "ballot-choice": "no", "next": "https://elsewhere.example/"})
    assert response.status_code == 200

    await sync_to_async(services.close_poll)(chair, poll_id=poll.pk)
    frame = await next_of(mei, "poll.status")
    assert "已结束" in frame["swaps"][0]["html"] or "closed" in frame["swaps"][0]["html"]
    await sync_to_async(client.logout)()
    html = (await sync_to_async(client.get)(region)).content.decode()
    assert "1 of 1 voted" in html and "adopted" in html and "See the result" in html
    for socket in (mei, public):
        await socket.disconnect()
