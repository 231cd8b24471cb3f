"""The schematic map: outlines checked, projected, simplified and written as compact SVG; small counts merged."""

import math
import random
import re

import pytest
from django.core.exceptions import ValidationError

from community import geo, maps

CANARY = "<script>alert(1)</script>"
LON, LAT = 114.30, 30.60


def square(x, y, size):
    """A square outline, x and y in degrees from the spot."""
    x, y = LON + x, LAT + y
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}


def blob(cx, cy, radius, points, rng):
    """A realistic outline of many points: a block that bulges along its streets, with survey noise."""
    ring, phase = [], rng.uniform(0, 6)
    for i in range(points):
        a = 2 * math.pi * i / points
        r = radius * (1 + 0.15 * math.sin(3 * a + phase) + 0.01 * rng.random())
        ring.append([round(LON + cx + r * math.cos(a), 7), round(LAT + cy + r * math.sin(a), 7)])
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def test_counts_from_1_to_4_are_never_shown_exactly():
    assert [maps.count_text(n) for n in (0, 1, 2, 3, 4, 5, 12)] == [
        "none", "fewer than 5", "fewer than 5", "fewer than 5", "fewer than 5", "5", "12"]
    grid = maps.GridShape(2, "Canal Row", "/c/x/grids/2/", square(0, 0, 0.01), open=7, overdue=1)
    assert maps.grid_label(grid) == "Grid 2 · Canal Row: 7 open, fewer than 5 overdue"
    svg = maps.render([grid, maps.GridShape(3, "Mill", "/c/x/grids/3/", square(0.01, 0, 0.01), open=3)], [],
                      title="Map")
    assert "fewer than 5 open" in svg and ": 3 open" not in svg and ": 1 open" not in svg
    assert [maps.step(n) for n in (0, 1, 4, 5, 14, 15, 99)] == [0, 1, 1, 2, 2, 3, 3]


def test_names_are_escaped_in_the_svg():
    name = f'Willow <&"> {CANARY}'
    grid = maps.GridShape(1, name, '/c/x/grids/1/?a="b"&c', square(0, 0, 0.01), open=9)
    building = maps.BuildingShape(5, f"Hall {CANARY}", 1, square(0.002, 0.002, 0.004))
    for svg in (maps.render([grid], [building], title=name), maps.render([grid], [building], title="", pick=True)):
        assert "<script" not in svg and '"b"' not in svg
        assert "&lt;script&gt;" in svg
    assert 'href="/c/x/grids/1/?a=&quot;b&quot;&amp;c"' in maps.render([grid], [], title="t")


def test_each_grid_is_a_link_with_its_name_shade_and_overdue_mark():
    grids = [maps.GridShape(1, "North", "/g/1/", square(0, 0, 0.01), open=0),
             maps.GridShape(2, "South", "/g/2/", square(0, -0.01, 0.01), open=16, overdue=6),
             maps.GridShape(3, "Undrawn", "/g/3/", None, open=3)]
    svg = maps.render(grids, [], title="Map of the grids")
    links = re.findall(r'<a href="([^"]+)" class="([^"]+)" aria-label="([^"]+)">', svg)
    assert links == [("/g/1/", "mg s0", "Grid 1 · North: none open, none overdue"),
                     ("/g/2/", "mg s3 od", "Grid 2 · South: 16 open, 6 overdue")]
    assert svg.startswith('<svg class="map" viewBox="0 0 ') and 'role="group"' in svg
    assert "style=" not in svg and "http" not in svg  # no inline style (CSP), no other site
    assert maps.render([grids[2]], [], title="x") == ""  # nothing outlined: no map


def test_projection_keeps_proportions_by_the_cosine_of_the_latitude():
    # A square on the ground at 60° north spans twice as many degrees of longitude as of latitude.
    ground_square = {"type": "Polygon", "coordinates": [[[10, 60], [10.02, 60], [10.02, 60.01], [10, 60.01],
                                                         [10, 60]]]}
    width, height = map(int, re.search(r'viewBox="0 0 (\d+) (\d+)"', maps.render(
        [maps.GridShape(1, "A", "/", ground_square)], [], title="t")).groups())
    assert abs(width - height) <= 2


def test_outlines_are_simplified_and_written_as_relative_whole_units():
    rng = random.Random(1)
    outline = blob(0, 0, 0.004, 400, rng)
    svg = maps.render([maps.GridShape(1, "A", "/", outline)], [], title="t")
    d = re.search(r'<path d="([^"]+)"', svg).group(1)
    assert re.fullmatch(r"M\d+ \d+l[-\d ]+z", d)
    assert len(re.findall(r"-?\d+", d)) < 400  # far fewer points than drawn
    line = [(0, 0), (1, 0.1), (2, -0.1), (3, 0), (4, 5)]
    assert maps.simplify(line, 0.5) == [(0, 0), (3, 0), (4, 5)]


def test_twenty_grids_and_two_hundred_buildings_stay_under_40_kb():
    rng = random.Random(19)
    grids, buildings = [], []
    for n in range(20):
        cx, cy = (n % 5) * 0.006, (n // 5) * 0.006
        grids.append(maps.GridShape(n + 1, f"Grid name number {n + 1}", f"/c/willow-lane/grids/{n + 1}/",
                                    blob(cx, cy, 0.0032, 120, rng), open=rng.randint(0, 30),
                                    overdue=rng.randint(0, 6)))
        for b in range(10):
            x, y = LON + cx - 0.002 + (b % 5) * 0.0008, LAT + cy - 0.0015 + (b // 5) * 0.002
            angle = rng.uniform(-0.3, 0.3)
            corners = [(0, 0), (0.0006, 0), (0.0006, 0.00018), (0, 0.00018)]
            ring = [[round(x + cx_ * math.cos(angle) - cy_ * math.sin(angle), 7),
                     round(y + cx_ * math.sin(angle) + cy_ * math.cos(angle), 7)] for cx_, cy_ in corners]
            buildings.append(maps.BuildingShape(n * 10 + b, f"Building {n * 10 + b + 1}", n + 1,
                                                {"type": "Polygon", "coordinates": [ring + [ring[0]]]}))
    svg = maps.render(grids, buildings, title="Map of the grids: each opens its page")
    assert svg.count("<a href=") == 20 and svg.count('class="mb"') == 20  # one path of buildings per grid
    assert len(svg.encode()) < 40_000, len(svg.encode())
    pick = maps.render(grids, buildings, title="", pick=True)
    assert pick.count("data-building=") == 200 and len(pick.encode()) < 40_000


def test_a_grid_page_map_fits_its_grid_and_draws_only_its_buildings():
    grids = [maps.GridShape(1, "A", "/1/", square(0, 0, 0.004)), maps.GridShape(2, "B", "/2/", square(0.004, 0, 0.004))]
    buildings = [maps.BuildingShape(1, "Building 3", 1, square(0.001, 0.001, 0.001)),
                 maps.BuildingShape(2, "Building 9", 2, square(0.005, 0.001, 0.001))]
    svg = maps.render(grids, buildings, title="t", focus=1)
    assert 'class="mg s0 mf"' in svg and ">3</text>" in svg and ">9</text>" not in svg


@pytest.mark.parametrize("outline, message", [
    ({"type": "Point", "coordinates": [1, 2]}, "Polygon or a MultiPolygon"),
    ({"type": "Polygon", "coordinates": [[[114.3, 30.6], [114.31, 30.6], [114.31, 30.61], [114.3, 30.61]]]},
     "not closed"),
    ({"type": "Polygon", "coordinates": [[[114.3, 30.6], [114.31, 30.6], [114.3, 30.6]]]}, "at least 3"),
    ({"type": "Polygon", "coordinates": [[[30.6, 114.3], [30.61, 114.3], [30.61, 114.31], [30.6, 114.3]]]},
     "longitude comes first"),
    ({"type": "Polygon", "coordinates": [[[114.3, 30.6], ["a", 30.6], [114.31, 30.61], [114.3, 30.6]]]},
     "are numbers"),
    ({"type": "Polygon", "coordinates": [[[110, 30], [115, 30], [115, 31], [110, 30]]]}, "spans more than"),
    ({"type": "MultiPolygon", "coordinates": []}, "has no polygons"),
    ("not a dict", "GeoJSON geometry"),
])
def test_bad_outlines_are_refused_with_a_clear_message(outline, message):
    with pytest.raises(ValidationError) as error:
        geo.clean_outline(outline)
    assert message in " ".join(error.value.messages)


def test_too_many_points_are_refused_and_good_outlines_are_rounded():
    rng = random.Random(2)
    with pytest.raises(ValidationError, match="at most 2,000 points"):
        geo.clean_outline(blob(0, 0, 0.003, 2100, rng))
    cleaned = geo.clean_outline({"type": "MultiPolygon", "coordinates": [[[[114.300000001, 30.6], [114.31, 30.6],
                                                                            [114.31, 30.61], [114.300000001, 30.6]]]]})
    assert cleaned["coordinates"][0][0][0] == [114.3, 30.6]
    assert geo.inside((114.308, 30.603), cleaned) and not geo.inside((114.302, 30.609), cleaned)
