"""Where an issue is: the building of the grid, picked on the map or from the list (without a script too)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import Building, Grid
from issues import services
from issues.models import Issue
from tests.conftest import CANARY

pytestmark = pytest.mark.django_db


def square(x, y, size):
    x, y = 114.30 + x, 30.60 + y
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}


@pytest.fixture
def drawn(grid, other_grid):
    """Both grids outlined; a building in each."""
    grid.outline, other_grid.outline = square(0, 0, 0.004), square(0.004, 0, 0.004)
    grid.save()
    other_grid.save()
    return (Building.objects.create(community=grid.community, grid=grid, name=f"Hall {CANARY}",
                                    outline=square(0.001, 0.001, 0.001)),
            Building.objects.create(community=grid.community, grid=other_grid, name="Building 9",
                                    outline=square(0.005, 0.001, 0.001)))


def test_a_resident_raises_an_issue_about_a_building_of_their_grid(resident, grid, category, drawn, client):
    hall, _far = drawn
    client.force_login(resident)
    page = client.get("/issues/new").content.decode()
    # Without a script: the buildings of the resident's grid as radio buttons, under a map to click.
    assert re.search(rf'type="radio" name="building" value="{hall.pk}"', page)
    assert 'name="building" value=""' in page and "None of them, or not sure" in page
    assert f'data-building="{hall.pk}"' in page and "Building 9" not in page
    assert CANARY not in page
    response = client.post("/issues/new", {"grid": grid.pk, "category": category.pk, "title": "Lift stuck",
                                           "body": "Since Monday.", "building": hall.pk}, follow=True)
    issue = Issue.objects.get(title="Lift stuck")
    assert issue.building == hall
    assert "Building:" in response.content.decode() and "Hall &lt;script&gt;" in response.content.decode()


def test_a_building_of_another_grid_is_refused(resident, grid, category, drawn, client):
    _hall, far = drawn
    with pytest.raises(ValidationError, match="That building is not in"):
        services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="Lift", body="Stuck",
                             building_id=far.pk)
    client.force_login(resident)
    response = client.post("/issues/new", {"grid": grid.pk, "category": category.pk, "title": "Lift",
                                           "body": "Stuck", "building": far.pk})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Issue.objects.exists()


def test_the_committee_entering_an_issue_about_a_building_of_another_grid_is_refused(
        chair, grid, other_grid, category, drawn, client):
    _hall, far = drawn
    client.force_login(chair)
    response = client.post("/issues/new", {"grid": grid.pk, "category": category.pk, "title": "Lift",
                                           "body": "Stuck", "building": far.pk, "on_behalf_of": "Mrs Sun",
                                           "channel": "phone"})
    assert "That building is not in Grid 1" in response.content.decode()
    assert not Issue.objects.exists()


def test_without_buildings_the_form_asks_only_where(resident, grid, category, client):
    client.force_login(resident)
    page = client.get("/issues/new").content.decode()
    assert 'name="building"' not in page and 'name="location"' in page


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response.content.decode()


@pytest.mark.parametrize("url", ["/c/canary/", "/c/canary/grids/1/"])
def test_the_map_pages_run_a_constant_number_of_queries_and_merge_small_counts(
        client, resident, grid, other_grid, category, drawn, url):
    for n in range(3):
        services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title=f"Issue {n}", body="x")
    small, page = _queries(client, url)
    assert "fewer than 5" in page and 'class="map"' in page
    assert re.search(r'aria-label="Grid 1 · North &lt;script&gt;alert\(1\)&lt;/script&gt;: fewer than 5 open', page)
    for number in range(3, 9):
        extra = Grid.objects.create(community=grid.community, number=number, name=f"G{number}",
                                    outline=square(0.004 * number, 0, 0.004))
        for b in range(5):
            Building.objects.create(community=grid.community, grid=extra, name=f"B{number}-{b}",
                                    outline=square(0.004 * number + 0.0005 * b, 0.001, 0.0004))
    for n in range(3, 9):
        services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title=f"Issue {n}", body="x")
    large, page = _queries(client, url)
    assert large == small
    assert ": 9 open" in page or url.endswith("/grids/1/")
    assert "http://" not in page and "https://" not in page  # the map asks no other site for anything
