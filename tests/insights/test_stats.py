"""The scorecards page: public, every grid, category and organisation, months, and age bands without small groups."""

from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import Grid, Membership
from insights.stats import months_back, participation_by_age
from issues import services
from tests.conftest import make_user


def test_the_scorecards_page_shows_every_breakdown(client, issue, grid_worker, organisation):
    services.triage_issue(grid_worker, issue_id=issue.pk, tier="routine", task_title="Fix",
                          owner_organisation_id=organisation.pk, due_date=timezone.localdate() + timedelta(days=2))
    html = client.get("/stats/?community=canary").content.decode()
    for text in ("Grid by grid", "By category", "By organisation owning the tasks", "Month by month",
                 "Evergreen", "<svg", "Who takes part"):
        assert text in html
    assert "<script>alert(1)</script>" not in html


def test_twelve_months_oldest_first():
    months = months_back(timezone.localdate().replace(month=3, day=15))
    assert len(months) == 12 and months[-1].month == 3 and months[0].month == 4 and months[0].day == 1


def test_age_bands_never_show_a_group_under_five(grid, community, category):
    for i in range(7):
        person = make_user(f"a{i}@test.org", f"A{i}", age_band="60-74" if i < 5 else "18-29")
        Membership.objects.create(user=person, community=community, role="resident", grid=grid)
        services.raise_issue(person, grid_id=grid.pk, category_id=category.pk, title="T", body="B")
    ages = participation_by_age(community)
    assert ages["people"] == 7 and all(n >= 5 for _label, n in ages["rows"])


def test_the_scorecards_cost_the_same_with_more_issues(client, grid, category, resident, grid_worker, organisation):
    def queries():
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/stats/?community=canary").status_code == 200
        return len(ctx)

    first = services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="First", body="B")
    services.triage_issue(grid_worker, issue_id=first.pk, tier="routine", task_title="Fix",
                          owner_organisation_id=organisation.pk, due_date=timezone.localdate() + timedelta(days=2))
    small = queries()  # one of everything, then more
    for i in range(8):
        issue = services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title=f"T{i}", body="B")
        services.triage_issue(grid_worker, issue_id=issue.pk, tier="routine", task_title="Fix",
                              owner_organisation_id=organisation.pk, due_date=timezone.localdate() + timedelta(days=2))
    assert queries() == small


def test_the_scorecards_cost_the_same_with_more_grids(client, grid, category, resident):
    def queries(cold: bool = True):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/stats/?community=canary").status_code == 200
        return len(ctx)

    services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="First", body="B")
    small = queries()
    for number in range(2, 8):  # each grid's row links to the grid's page, which names the community
        other = Grid.objects.create(community=grid.community, number=number, name=f"G{number}")
        neighbour = make_user(f"n{number}@test.org", f"N{number}")
        Membership.objects.create(user=neighbour, community=grid.community, role=Membership.Role.RESIDENT, grid=other)
        services.raise_issue(neighbour, grid_id=other.pk, category_id=category.pk, title=f"In {number}", body="B")
    assert queries() == small
    assert queries(cold=False) <= 2  # the figures are kept for a minute: the community, nothing per grid
