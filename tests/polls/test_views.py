"""Poll pages over HTTP: voting by every method, receipts, hidden counts, the public recount, downloads."""

import json

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polls import services
from tests.conftest import CANARY, live_regions
from tests.polls.conftest import box_contents, make_poll


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_drafts_are_for_the_committee(client, chair, community):
    poll = services.create_poll(chair, community_id=community.pk, title=f"Draft {CANARY}", options=[])
    assert client.get(poll.get_absolute_url()).status_code == 404
    assert "Draft" not in page(client, "/polls/")
    client.force_login(chair)
    assert "&lt;script&gt;" in page(client, poll.get_absolute_url())


def test_a_secret_vote_over_http_shows_a_receipt_and_no_counts_before_close(client, chair, community, voters):
    poll = make_poll(chair, community)
    client.force_login(voters[0])
    html = page(client, poll.get_absolute_url())
    assert "Cast my vote" in html and "shows no counts until it closes" in html
    response = client.post(f"/polls/{poll.pk}/vote", {"ballot-choice": "yes"})
    assert response.status_code == 302
    html = page(client, poll.get_absolute_url())
    assert "Your receipt" in html and "Cast my vote" not in html and "You voted" in html
    code = html.split('class="receipt-code"><strong>')[1].split("<")[0]
    again = client.post(f"/polls/{poll.pk}/vote", {"ballot-choice": "no"})  # the form sent again, an old tab
    assert again.status_code == 200
    said = again.content.decode()
    assert "You have already voted" in said and "was not counted again" in said and code in said
    assert f'href="{poll.get_absolute_url()}"' in said and box_contents(poll)["ballots"] == ['"yes"']
    client.force_login(voters[1])
    assert "1 of" not in page(client, poll.get_absolute_url())  # no turnout either
    services.close_poll(chair, poll_id=poll.pk)
    client.logout()
    recount = f"/polls/{poll.pk}/recount/"
    assert 'method="post"' in page(client, recount)  # a code is never sent in the address (access logs keep those)
    assert "Yes: a ballot with this receipt" in client.post(recount, {"code": code.lower()}).content.decode()
    assert "No ballot has this receipt" in client.post(recount, {"code": "AAAA-BBBB"}).content.decode()
    assert "a ballot with this receipt" not in page(client, f"{recount}?code={code}")  # an address's code: not read
    data = json.loads(client.get(f"/polls/{poll.pk}/ballots.json").content)
    assert data["ballots"] == ["yes"]
    receipts = json.loads(client.get(f"/polls/{poll.pk}/receipts.json").content)["receipts"]
    assert receipts == [services.receipt_hash(poll.pk, code)]
    csv_text = b"".join(client.get(f"/polls/{poll.pk}/ballots.csv").streaming_content).decode()
    assert voters[0].email not in csv_text and voters[0].public_name not in csv_text


def test_a_vote_reads_the_user_and_the_poll_and_nothing_else(client, chair, community, voters):
    """A crowd votes at once: each vote reads its voter and the poll (the session, the options and the poll's
    version come from the cache once warm), and every poll field it needs comes with that one read."""
    poll = make_poll(chair, community, method="single", options=["Green", "Blue"])
    green = poll.options.get(text="Green")
    counted = []
    for voter in voters:
        client.force_login(voter)
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(f"/polls/{poll.pk}/vote", {"ballot-choice": str(green.pk)})
        assert response.status_code == 302
        counted.append([q["sql"].split(" FROM ")[1].split()[0].strip('"') for q in ctx.captured_queries])
    assert counted[1:] == [["community_user", "polls_poll"]] * (len(voters) - 1)
    assert box_contents(poll)["ballots"] == [str(green.pk)] * len(voters)


def test_ranked_and_score_ballots_from_the_form(client, chair, community, voters):
    ranked = make_poll(chair, community, method="ranked", options=["Canteen", "Lift", "Toilets"])
    a, b, c = [o.pk for o in ranked.options.all()]
    client.force_login(voters[0])
    response = client.post(f"/polls/{ranked.pk}/vote", {f"ballot-rank_{a}": "2", f"ballot-rank_{b}": "2"})
    assert "Use each rank once" in response.content.decode() and box_contents(ranked)["ballots"] == []
    client.post(f"/polls/{ranked.pk}/vote", {f"ballot-rank_{a}": "2", f"ballot-rank_{c}": "1"})
    assert box_contents(ranked)["ballots"] == [f"[{c},{a}]"]
    score = make_poll(chair, community, method="score", options=["Green", "Blue"])
    g, bl = [o.pk for o in score.options.all()]
    client.post(f"/polls/{score.pk}/vote", {f"ballot-score_{g}": "5", f"ballot-score_{bl}": "0"})
    assert [json.loads(b) for b in box_contents(score)["ballots"]] == [{str(g): 5, str(bl): 0}]


def test_results_show_turnout_adoption_a_chart_and_a_table(client, chair, community, voters):
    poll = make_poll(chair, community, method="single", options=["Green", "Blue"], secret=False, live_results=True)
    green, blue = poll.options.all()
    for voter, option in zip(voters, [green, green, blue]):
        services.cast_ballot(voter, poll_id=poll.pk, choices=option.pk)
    html = page(client, poll.get_absolute_url())
    assert "3 of 5 eligible voted" in html and "<svg" in html and "<caption" in html
    assert voters[1].public_name in html and "Voter 0: Green" in html  # open ballot: who voted what
    services.close_poll(chair, poll_id=poll.pk)
    html = page(client, poll.get_absolute_url())
    assert "Adopted" in html and "Green" in html


def test_the_poll_page_costs_the_same_with_many_ballots(client, chair, community, voters):
    def closed_with(count):
        poll = make_poll(chair, community, method="ranked", options=["A", "B", "C"])
        a, b, c = [o.pk for o in poll.options.all()]
        for voter in voters[:count]:
            services.cast_ballot(voter, poll_id=poll.pk, choices=[a, b] if voter.pk % 2 else [c, b])
        return services.close_poll(chair, poll_id=poll.pk)

    def queries(poll):
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(poll.get_absolute_url()).status_code == 200
        return len(ctx)

    assert queries(closed_with(1)) == queries(closed_with(5))


def test_after_a_vote_the_poll_page_fetches_only_its_results(client, chair, community, voters):
    poll = make_poll(chair, community, method="single", options=["Green", "Blue"], secret=False, live_results=True)
    green = poll.options.get(text="Green")

    def live_queries():
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            ids, html = live_regions(client, poll.get_absolute_url())
        assert ids == ["poll-results"] and "<html" not in html and "<svg" in html
        return len(ctx)

    services.cast_ballot(voters[0], poll_id=poll.pk, choices=green.pk)
    small = live_queries()
    for voter in voters[1:]:
        services.cast_ballot(voter, poll_id=poll.pk, choices=green.pk)
    assert live_queries() == small
