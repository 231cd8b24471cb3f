"""The community's map: outlines imported from a GeoJSON file, previewed with every wrong feature first."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from community.models import Building, Grid
from community.services import maps as map_services
from tests.conftest import CANARY

pytestmark = pytest.mark.django_db


def ring(x, y, size=0.004):
    x, y = 114.30 + x, 30.60 + y
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def feature(properties, coordinates, kind="Polygon"):
    return {"type": "Feature", "properties": properties, "geometry": {"type": kind, "coordinates": coordinates}}


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


@pytest.fixture
def building(grid):
    return Building.objects.create(community=grid.community, grid=grid, name="Building 3")


def good_file(grid, other_grid):
    return collection(
        feature({"grid": 1}, ring(0, 0)),
        feature({"网格": "2"}, [ring(0.004, 0)], kind="MultiPolygon"),
        feature({"building": "Building 3"}, ring(0.001, 0.001, 0.0005)),
        feature({"building": f"Hall {CANARY}", "grid": 2}, ring(0.005, 0.001, 0.0005)),
    )


def test_a_good_file_is_previewed_then_saved_and_audited(chair, community, grid, other_grid, building):
    text = good_file(grid, other_grid)
    preview = map_services.read_map(community, text)
    assert preview.errors == []
    assert [(c.kind, c.what) for c in preview.changes] == [
        ("grid", "outline added"), ("grid", "outline added"), ("building", "outline added"),
        ("building", "new building in grid 2")]
    assert not Grid.objects.filter(outline__isnull=False).exists()  # a preview writes nothing
    map_services.import_map(chair, community_id=community.pk, text=text)
    grid.refresh_from_db()
    building.refresh_from_db()
    assert grid.outline["type"] == "Polygon" and building.outline["coordinates"][0][0] == [114.301, 30.601]
    assert Building.objects.get(name=f"Hall {CANARY}").grid == other_grid
    entry = AuditEntry.objects.get(action="map.imported")
    assert (entry.actor, entry.details["grids"], entry.details["buildings"]) == (chair, 2, 2)
    again = map_services.read_map(community, text)
    assert [c.what for c in again.changes][:3] == ["outline replaced"] * 3


def test_a_bad_file_names_every_wrong_feature_and_saves_nothing(chair, community, grid, other_grid, building):
    text = collection(
        feature({"grid": 1}, ring(0, 0)),  # right, but the file as a whole is refused
        feature({"grid": 7}, ring(0, 0)),
        feature({"building": "Building 3", "grid": 2}, ring(0, 0)),
        feature({"building": "Nowhere House"}, ring(0, 0)),
        feature({"building": "Open Ring"}, [ring(0, 0)[0][:-1]]),
        feature({}, ring(0, 0)),
        feature({"grid": 1}, ring(0, 0)),
        {"type": "Feature", "properties": {"grid": 2}, "geometry": {"type": "Point", "coordinates": [114.3, 30.6]}},
    )
    preview = map_services.read_map(community, text)
    assert preview.errors == [
        "Feature 2 (grid 7): there is no grid 7 in this community.",
        "Feature 3 (Building 3): Building 3 is in grid 1, not 2.",
        "Feature 4 (Nowhere House): Nowhere House is not in the register yet: say its grid (\"grid\": its number).",
        "Feature 5 (Open Ring): The polygon, its outer ring is not closed: its last point must be the same as its "
        "first.",
        "Feature 6: say in its properties whether it is a grid (\"grid\": its number) or a building (\"building\": "
        "its name, \"grid\": its grid's number).",
        "Feature 7 (grid 1): it is already outlined by feature 1.",
        "Feature 8 (grid 2): An outline is a Polygon or a MultiPolygon, not Point.",
    ]
    with pytest.raises(ValidationError):
        map_services.import_map(chair, community_id=community.pk, text=text)
    assert not Grid.objects.filter(outline__isnull=False).exists()
    assert not Building.objects.filter(outline__isnull=False).exists() and Building.objects.count() == 1
    assert not AuditEntry.objects.filter(action="map.imported").exists()
    for broken, message in [("{nope", "JSON could not be read"), ("[" * 100_000, "JSON could not be read"), ('{"type": "Feature"}', "FeatureCollection"),
                            (collection(), "no features")]:
        assert message in map_services.read_map(community, broken).errors[0]


def test_only_the_committee_imports_outlines(community, grid, other_grid, resident, grid_worker, org_rep,
                                             outsider_chair, client):
    text = collection(feature({"grid": 1}, ring(0, 0)))
    for person in (resident, grid_worker, org_rep, outsider_chair):
        with pytest.raises(PermissionDenied):
            map_services.import_map(person, community_id=community.pk, text=text)
        client.force_login(person)
        assert client.get(reverse("community:map", args=[community.slug])).status_code == 404
        assert client.post(reverse("community:map", args=[community.slug]),
                           {"text": text, "confirmed": "1"}).status_code == 404
    assert not Grid.objects.filter(outline__isnull=False).exists()


def test_the_committee_page_previews_then_saves(chair, community, grid, other_grid, building, client):
    client.force_login(chair)
    url = reverse("community:map", args=[community.slug])
    page = client.get(url).content.decode()
    assert "Nothing is outlined yet." in page and "missing" in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("map.geojson", good_file(grid, other_grid).encode(),
                                content_type="application/geo+json")
    page = client.post(url, {"file": upload}).content.decode()
    assert "new building in grid 2" in page and "Save the outlines" in page and "<svg" in page
    assert CANARY not in page  # the names are escaped, on the map too
    assert not Grid.objects.filter(outline__isnull=False).exists()
    response = client.post(url, {"text": good_file(grid, other_grid), "confirmed": "1"}, follow=True)
    assert "The map is saved: 2 grids and 2 buildings outlined." in response.content.decode()
    assert Grid.objects.filter(outline__isnull=False).count() == 2
    bad = collection(feature({"grid": 9}, ring(0, 0)))
    page = client.post(url, {"text": bad, "confirmed": "1"}).content.decode()
    assert "there is no grid 9 in this community." in page


def test_the_admin_keeps_an_outline_as_geojson_and_draws_it(community, grid, client):
    from tests.conftest import make_user

    staff = make_user("staff@test.org", "Staff", is_staff=True, is_superuser=True)
    client.force_login(staff)
    url = reverse("admin:community_grid_change", args=[grid.pk])
    data = {"community": community.pk, "number": 1, "name": "North", "description": "", "households": "",
            "outline": json.dumps({"type": "Polygon", "coordinates": [ring(0, 0)[0][:-1]]})}
    page = client.post(url, data).content.decode()
    assert "is not closed" in page
    grid.refresh_from_db()
    assert grid.outline is None
    data["outline"] = json.dumps({"type": "Polygon", "coordinates": ring(0, 0)})
    assert client.post(url, data).status_code == 302
    grid.refresh_from_db()
    assert grid.outline["type"] == "Polygon"
    assert '<svg class="map map-pick"' in client.get(url).content.decode()


def test_the_demo_outlines_its_grids_by_number_and_the_buildings_already_there(community, grid, other_grid,
                                                                               building):
    from community import geo
    from community.demo import load_map

    assert load_map(community) > 2
    building.refresh_from_db()
    assert building.outline is not None and building.name == "Building 3"  # the register's building, kept
    for shape in [*Grid.objects.filter(community=community), *Building.objects.filter(community=community)]:
        assert geo.clean_outline(shape.outline) == shape.outline
    count = Building.objects.count()
    assert load_map(community) == 0 and Building.objects.count() == count  # once only
