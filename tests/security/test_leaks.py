"""Nothing of another community, and nothing of a closed meeting, shows on a community's public surfaces.

Every surface is read as a visitor, as a resident of the community and as a resident of the other one
(who is not invited to the closed meeting): the lists, search, the Atom feeds, the iCal calendar, the CSV
exports, the JSON API and Open311. Marked titles make a leak easy to spot.
"""

import pytest
from django.test import Client
from django.urls import reverse

from issues import services
from issues.models import Category
from ledger.models import Decision
from meetings import services as meeting_services
from polls import services as poll_services
from tests.conftest import make_user
from tests.consult.conftest import new_consultation
from tests.meetings.conftest import schedule

FOREIGN = "Foreignmarker"
SECRET = "Secretmarker"


@pytest.fixture
def leaky(chair, community, grid, category, issue, resident, outsider_chair, other_community, other_community_grid):
    """The canary community with a closed meeting (and its poll and decision); another community with one of
    everything."""
    closed = schedule(chair, community, is_public=False, invite=[chair])
    meeting_services.update_minutes(chair, meeting_id=closed.pk, body=f"{SECRET} minutes", base_version=0)
    meeting_services.open_meeting(chair, meeting_id=closed.pk)
    Decision.objects.filter(pk=meeting_services.record_item_outcome(
        chair, item_id=meeting_services.add_agenda_item(
            chair, meeting_id=closed.pk, title=f"{SECRET} item", minutes_allotted=5).pk,
        outcome="decided", text=f"{SECRET} decision").decision_id).update(title=f"{SECRET} decision")
    poll = poll_services.create_poll(chair, community_id=community.pk, title=f"{SECRET} poll", options=[],
                                     meeting_id=closed.pk)
    poll_services.close_poll(chair, poll_id=poll_services.open_poll(chair, poll_id=poll.pk).pk)
    closed.title = f"{SECRET} meeting"
    closed.save(update_fields=["title"])

    from community.models import Membership

    elsewhere = other_community
    local = make_user("local@elsewhere.org", "Lu")
    Membership.objects.create(user=local, community=elsewhere, role="resident", grid=other_community_grid)
    foreign_category = Category.objects.create(community=elsewhere, name=f"{FOREIGN} category")
    foreign_issue = services.raise_issue(local, grid_id=other_community_grid.pk, category_id=foreign_category.pk,
                                         title=f"{FOREIGN} issue", body="Far away")
    consultation = new_consultation(outsider_chair, elsewhere)
    consultation.title = f"{FOREIGN} consultation"
    consultation.save(update_fields=["title"])
    meeting = schedule(outsider_chair, elsewhere)
    meeting.title = f"{FOREIGN} meeting"
    meeting.save(update_fields=["title"])
    foreign_poll = poll_services.create_poll(outsider_chair, community_id=elsewhere.pk, title=f"{FOREIGN} poll",
                                             options=[])
    poll_services.close_poll(outsider_chair, poll_id=poll_services.open_poll(outsider_chair,
                                                                             poll_id=foreign_poll.pk).pk)
    Decision.objects.create(community=elsewhere, title=f"{FOREIGN} decision", source=Decision.Source.COMMITTEE,
                            issue=foreign_issue, decided_by=outsider_chair)
    return {"closed": closed, "resident": resident, "outsider": local}


def scoped_surfaces(slug: str) -> list[str]:
    """The community's public lists, search, feeds, calendar, exports, API lists and Open311, scoped to it."""
    q = f"community={slug}"
    pages = [f"{reverse(name)}?{q}" for name in (
        "issues:issue-list", "consult:consultation-list", "ledger:outcomes", "insights:stats",
        "meetings:meeting-list", "polls:poll-list", "insights:issues-csv", "insights:decisions-csv",
        "polls:results-csv")]
    # Search with the words of the marked titles (not the markers: the page repeats the query).
    pages += [f"{reverse('consult:search')}?{q}&q={word}" for word in ("issue", "consultation", "meeting", "poll",
                                                                        "decision", "item")]
    pages += [reverse("insights:community-detail", args=[slug]), reverse("meetings:community-calendar", args=[slug])]
    pages += [f"/api/v1/{kind}?{q}" for kind in ("issues", "consultations", "proposals", "meetings", "polls",
                                                  "decisions", "categories", "grids", "organisations")]
    pages += [f"{reverse('open311:requests')}?jurisdiction_id={slug}",
              f"{reverse('open311:services')}?jurisdiction_id={slug}"]
    return pages


def unscoped_surfaces() -> list[str]:
    """Surfaces that list every community: a closed meeting must still stay out of them."""
    return [reverse("ledger:decisions-feed"), reverse("consult:consultations-feed"), reverse("meetings:meetings-feed"),
            "/api/v1/meetings", "/api/v1/polls", "/api/v1/decisions", reverse("open311:requests")]


@pytest.mark.parametrize("who", ["visitor", "resident", "outsider"])
def test_another_communitys_objects_stay_off_this_communitys_surfaces(leaky, community, who):
    client = Client()
    if who != "visitor":
        client.force_login(leaky[who])
    found = {}
    for url in scoped_surfaces(community.slug):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        found.update({url: marker for marker in (FOREIGN, SECRET) if marker.encode() in body})
    assert found == {}


@pytest.mark.parametrize("who", ["visitor", "resident", "outsider"])
def test_a_closed_meeting_stays_out_of_every_list_feed_and_api(leaky, who):
    """The resident of the community is not invited to the closed meeting either."""
    client = Client()
    if who != "visitor":
        client.force_login(leaky[who])
    found = []
    for url in unscoped_surfaces():
        response = client.get(url)
        assert response.status_code == 200, url
        if SECRET.encode() in response.content:
            found.append(url)
    assert found == []


@pytest.mark.parametrize("who", ["visitor", "resident", "outsider"])
def test_a_closed_meetings_own_addresses_answer_404(leaky, who):
    client = Client()
    if who != "visitor":
        client.force_login(leaky[who])
    closed = leaky["closed"]
    poll = closed.polls.get() if hasattr(closed, "polls") else None
    urls = [reverse("meetings:meeting-detail", args=[closed.pk]), reverse("meetings:meeting-ics", args=[closed.pk]),
            reverse("meetings:minutes-view", args=[closed.pk]), f"/api/v1/meetings/{closed.pk}"]
    if poll is not None:
        urls += [reverse("polls:poll-detail", args=[poll.pk]), reverse("polls:poll-recount", args=[poll.pk]),
                 f"/api/v1/polls/{poll.pk}", f"/api/v1/polls/{poll.pk}/ballots"]
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 404)
