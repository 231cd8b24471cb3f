"""The issue list is rendered once per state of the community's issues (core/fragments.py): every write shows
at once, each filter and page is kept apart, and the cached list costs the same whatever the number of issues."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from issues import services
from issues.models import Issue


def read(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def copies(issue, n: int, **fields) -> list[Issue]:
    """``n`` more issues like ``issue``, written at once (no service, no signal)."""
    made = []
    for i in range(n):
        copy = Issue.objects.get(pk=issue.pk)
        copy.pk = None
        for name, value in fields.items():
            setattr(copy, name, value.format(i) if isinstance(value, str) else value)
        made.append(copy)
    return Issue.objects.bulk_create(made)


def test_the_list_shows_each_write_at_once(client, community, issue, resident, grid_worker):
    url = f"/issues/?community={community.slug}"
    assert "1 issue<" in read(client, url)
    services.withdraw_issue(resident, issue_id=issue.pk, reason="Fixed itself")
    assert "status-withdrawn" in read(client, url)
    services.raise_issue(resident, grid_id=issue.grid_id, category_id=issue.category_id, title="Bench broken",
                         body="Near the gate")
    page = read(client, url)
    assert "Bench broken" in page and "2 issues<" in page
    services.follow_issue(grid_worker, issue_id=issue.pk)
    assert "1 follower" in read(client, url)


def test_each_filter_and_page_is_kept_apart(client, community, issue, grid, other_grid):
    copies(issue, 25, grid=other_grid, title="Other {}")
    everything = read(client, f"/issues/?community={community.slug}")
    mine = read(client, f"/issues/?community={community.slug}&grid={grid.pk}")
    second = read(client, f"/issues/?community={community.slug}&page=2")
    assert "26 issues<" in everything and "1 issue<" in mine and "Other" not in mine
    assert second != everything and "Page 2 of 2" in second


def test_the_cached_list_costs_the_same_whatever_the_number_of_issues(client, community, issue):
    url = f"/issues/?community={community.slug}"

    def warm() -> int:
        read(client, url)
        with CaptureQueriesContext(connection) as ctx:
            read(client, url)
        return len(ctx)

    few = warm()
    copies(issue, 60, title="More {}")
    issue.save()  # any saved write shows
    assert "61 issues<" in read(client, url)
    assert warm() == few <= 3
