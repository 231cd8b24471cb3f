"""The three rates: counted as the page defines them, the same in the page, the CSV and the API, and cheap."""

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import Membership
from issues import services
from issues.models import Issue, Rating
from issues.rates import rates
from tests.conftest import make_user


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(2026, month, day, hour, minute))


@pytest.fixture
def october(grid, other_grid, category, grid_worker, grid_worker_of_other_grid, organisation):
    """Issues whose deadlines fall in and around October 2026, with their answers, and the month's ratings."""

    def issue(title, where, worker=None, owner=None, **when):
        person = make_user(f"{title.lower()}@test.org", title)
        Membership.objects.create(user=person, community=where.community, role="resident", grid=where)
        made = services.raise_issue(person, grid_id=where.pk, category_id=category.pk, title=title, body="B")
        if worker is not None:
            task = {"task_title": "Fix", "owner_organisation_id": owner.pk,
                    "due_date": timezone.localdate() + timedelta(days=3)} if owner else {}
            services.triage_issue(worker, issue_id=made.pk, tier="routine" if owner else "major", **task)
        Issue.objects.filter(pk=made.pk).update(**when)
        return made

    made = {
        # answered in time, resolved in time
        "one": issue("One", grid, grid_worker, organisation, response_due_at=at(10, 10), first_response_at=at(10, 9),
                     resolution_due_at=at(10, 20), resolved_at=at(10, 19), status="resolved"),
        # answered late, resolved late
        "two": issue("Two", grid, grid_worker, response_due_at=at(10, 12), first_response_at=at(10, 13),
                     resolution_due_at=at(10, 25), resolved_at=at(10, 28), status="resolved"),
        # never answered, the deadline passed: a miss
        "three": issue("Three", grid, response_due_at=at(10, 15)),
        # due at 23:30 on the 31st (local time): October's; answered on 1 November: late
        "four": issue("Four", grid, response_due_at=at(10, 31, 23, 30), first_response_at=at(11, 1, 9)),
        # due at midnight starting November: not October's
        "five": issue("Five", grid, response_due_at=at(11, 1, 0, 0), first_response_at=at(10, 30)),
        # withdrawn before anyone answered: not counted
        "six": issue("Six", grid, response_due_at=at(10, 5), status="withdrawn"),
        # response due in September; resolution due in October and never resolved: a miss
        "seven": issue("Seven", grid, grid_worker, response_due_at=at(9, 30), first_response_at=at(9, 29),
                       resolution_due_at=at(10, 3), resolved_at=None, status="in_progress"),
        # the other grid, answered in time by its own worker
        "eight": issue("Eight", other_grid, grid_worker_of_other_grid, response_due_at=at(10, 2),
                       first_response_at=at(10, 1)),
    }
    for n, (key, score, when) in enumerate([("one", 5, at(10, 21)), ("one", 4, at(10, 22)), ("two", 3, at(10, 29)),
                                            ("two", 2, at(10, 30)), ("one", 1, at(11, 2)), ("two", 5, at(9, 30))]):
        Rating.objects.create(issue=made[key], user=make_user(f"rater{n}@test.org", f"R{n}"), round=1, score=score,
                              created_at=when)
    return made


def test_the_rates_are_counted_as_the_page_defines_them(october, grid, other_grid, grid_worker, organisation,
                                                        community):
    f = rates(community, at(10, 1).date(), with_workers=True)
    c = f["community"]
    assert (c.response_due, c.responded_in_time) == (5, 2)  # one, two, three, four, eight; one and eight in time
    assert (c.resolution_due, c.resolved_in_time) == (3, 1)  # one, two, seven; one in time
    assert (c.ratings, c.ratings_4_5, c.ratings_3) == (4, 2, 1)
    assert (c.response_rate, c.resolution_rate, c.satisfaction_rate, c.basically_satisfied_rate) == (
        Decimal("40.0"), Decimal("33.3"), Decimal("50.0"), Decimal("25.0"))
    grids = {g.number: counts for g, counts in f["grid"]}
    assert (grids[1].response_due, grids[1].responded_in_time) == (4, 1)
    assert (grids[2].response_due, grids[2].responded_in_time, grids[2].response_rate) == (1, 1, Decimal("100.0"))
    workers = {w.email: counts for w, counts in f["worker"]}
    mine = workers[grid_worker.email]  # one, two (answered) and seven (resolution only)
    assert (mine.response_due, mine.responded_in_time, mine.resolution_due, mine.resolved_in_time) == (2, 1, 3, 1)
    assert (mine.ratings, mine.ratings_4_5) == (4, 2)
    (org, counts), = f["organisation"]
    assert org == organisation and (counts.response_due, counts.responded_in_time, counts.ratings) == (1, 1, 2)
    november = rates(community, at(11, 1).date(), with_workers=False)["community"]
    assert november.response_due == 1 and november.ratings == 1  # "five" and the 2 November rating


def test_the_page_states_the_definitions_and_hides_workers_from_the_public(client, october, chair):
    html = client.get("/stats/rates/?community=canary&month=2026-10").content.decode()
    assert "40.0%" in html and "2 of 5" in html and "33.3%" in html and "50.0%" in html and "25.0%" in html
    assert "share first answered by the deadline" in html and "scored 4 or 5" in html
    assert "Grid worker by grid worker" not in html and "Wang" not in html
    client.force_login(chair)
    html = client.get("/stats/rates/?community=canary&month=2026-10").content.decode()
    assert "Grid worker by grid worker" in html and "Wang" in html


def test_a_month_that_makes_no_sense_shows_this_month(client, october):
    for month in ("2026-13", "x", "1900-01", "2026-10-01"):
        response = client.get(f"/stats/rates/?community=canary&month={month}")
        assert response.status_code == 200
        assert timezone.localdate().strftime("%Y-%m") in response.content.decode()


def test_the_csv_recomputes_to_the_page_and_the_api_agrees(client, october, chair):
    client.force_login(chair)
    body = b"".join(client.get("/stats/rates.csv?community=canary&month=2026-10").streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["group"] for r in rows][:1] == ["community"] and {"grid", "worker", "organisation"} <= {
        r["group"] for r in rows}
    for row in rows:  # every rate is exactly its two counts
        for rate, part, whole in [("response_rate", "responded_in_time", "response_due"),
                                  ("resolution_rate", "resolved_in_time", "resolution_due"),
                                  ("satisfaction_rate", "ratings_4_5", "ratings"),
                                  ("basically_satisfied_rate", "ratings_3", "ratings")]:
            if int(row[whole]) == 0:
                assert row[rate] == ""
            else:
                expected = (Decimal(100 * int(row[part])) / int(row[whole])).quantize(Decimal("0.1"), "ROUND_HALF_UP")
                assert Decimal(row[rate]) == expected
    api = client.get("/api/v1/communities/canary/rates?month=2026-10").json()
    community_row = rows[0]
    assert api["month"] == "2026-10" and not api["so_far"]
    for key in ("response_due", "responded_in_time", "resolution_due", "resolved_in_time", "ratings"):
        assert str(api["all"][key]) == community_row[key]
    assert api["all"]["response_rate"] == float(community_row["response_rate"]) == 40.0
    assert len(api["grids"]) == 2 and api["workers"]
    client.logout()
    assert client.get("/api/v1/communities/canary/rates?month=2026-10").json()["workers"] is None
    public = b"".join(client.get("/stats/rates.csv?community=canary&month=2026-10").streaming_content).decode()
    assert ",worker," not in public


def test_the_rates_page_costs_the_same_with_more_issues(client, october, grid, category, resident, chair):
    client.force_login(chair)

    def queries():
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/stats/rates/?community=canary&month=2026-10").status_code == 200
        return len(ctx)

    small = queries()
    for i in range(6):
        made = services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title=f"More {i}", body="B")
        Issue.objects.filter(pk=made.pk).update(response_due_at=at(10, 8 + i), first_response_at=at(10, 8))
    assert queries() == small
