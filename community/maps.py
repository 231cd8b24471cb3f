"""A schematic map drawn on the server: grids shaded by their open issues, their buildings, links to each grid.

Pure functions (no database, no request): the pages give the grids with their counts and the buildings, and
get back compact SVG markup. Longitude and latitude are projected equirectangularly, scaled by the cosine of
the map's middle latitude (right for a few kilometres), to whole units of a viewBox 600 across;
outlines are simplified to what those units can show. No style attributes (the site's CSP forbids them):
classes, styled in static/css/site.css. Counts from 1 to 4 are never shown exactly ("fewer than 5"), so a
single household's issue cannot be singled out on the map.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from community.geo import rings

SIZE = 600  # the longer side of the viewBox, in units (about a pixel each on a desktop)
MARGIN = 8  # units around the drawing
TOLERANCE = 0.8  # units: outlines are simplified to this
SMALL = 5  # counts below this (but above 0) are shown as "fewer than 5"
STEPS = (0, 1, 5, 15)  # open issues from which each shade starts


@dataclass
class GridShape:
    number: int
    name: str
    url: str
    outline: dict | None
    open: int = 0
    overdue: int = 0


@dataclass
class BuildingShape:
    pk: int
    name: str
    grid_number: int
    outline: dict | None


def count_text(n: int) -> str:
    """A count as the map says it: exact from 5, "fewer than 5" from 1 to 4."""
    if n <= 0:
        return _("none")
    if n < SMALL:
        return _("fewer than %(n)s") % {"n": SMALL}
    return str(n)


def step(open_count: int) -> int:
    """The shade (0–3) for a number of open issues."""
    return max(i for i, start in enumerate(STEPS) if open_count >= start)


def legend() -> list[tuple[int, str]]:
    """The shades and what each means, for the legend under the map."""
    return [(0, _("No open issues")), (1, _("Fewer than %(n)s open") % {"n": SMALL}),
            (2, _("%(a)s to %(b)s open") % {"a": STEPS[2], "b": STEPS[3] - 1}),
            (3, _("%(n)s or more open") % {"n": STEPS[3]})]


def grid_label(grid: GridShape) -> str:
    """The accessible name of a grid on the map, e.g. "Grid 2 · Canal Row: 7 open, fewer than 5 overdue"."""
    return _("Grid %(number)s · %(name)s: %(open)s open, %(overdue)s overdue") % {
        "number": grid.number, "name": grid.name, "open": count_text(grid.open),
        "overdue": count_text(grid.overdue)}


def rows(grids: list[GridShape]) -> list[dict]:
    """The same facts as the map, for the table under it."""
    return [{"grid": g, "open": count_text(g.open), "overdue": count_text(g.overdue), "step": step(g.open),
             "drawn": bool(g.outline)} for g in grids]


def short_name(name: str, width: float) -> str:
    """A building's label if it fits ``width`` units: its number ("Building 3" → "3", "3号楼" → "3"), its last
    letter ("Mill Block A" → "A"), else its name or first word as far as they fit; else nothing."""
    found = re.search(r"\d+[A-Za-z]?", name)
    words = name.split()
    for label in ([found.group(0)] if found else []) + ([words[-1]] if words and len(words[-1]) <= 2 else []) + (
            [name.strip(), words[0]] if words else []):
        if sum(15 if ord(c) > 0x2E80 else 9 for c in label) + 4 <= width:
            return label
    return ""


class Projection:
    """Longitude and latitude to whole viewBox units, fitted to a box of points with a margin."""

    def __init__(self, points: list[tuple[float, float]]):
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        self.west, self.north = min(lons), max(lats)
        self.k = math.cos(math.radians((min(lats) + max(lats)) / 2))
        width, height = (max(lons) - self.west) * self.k, self.north - min(lats)
        self.scale = (SIZE - 2 * MARGIN) / max(width, height, 1e-9)
        self.width = math.ceil(width * self.scale) + 2 * MARGIN
        self.height = math.ceil(height * self.scale) + 2 * MARGIN

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (MARGIN + (lon - self.west) * self.k * self.scale, MARGIN + (self.north - lat) * self.scale)


def simplify(points: list[tuple[float, float]], tolerance: float = TOLERANCE) -> list[tuple[float, float]]:
    """Douglas–Peucker: the fewest points that stay within ``tolerance`` of the line (ends kept)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        far, index = -1.0, 0
        for i in range(first + 1, last):
            x, y = points[i]
            distance = (abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length if length
                        else math.hypot(x - x1, y - y1))
            if distance > far:
                far, index = distance, i
        if far > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep) if kept]


def _ring_path(ring: list[list[float]], project: Projection) -> str:
    """One closed ring as a relative path ("M12 30l5-2 0 7z"), or "" if it shrinks below a triangle."""
    points = simplify([project(lon, lat) for lon, lat in ring[:-1]] + [project(*ring[0])])
    whole: list[tuple[int, int]] = []
    for x, y in points[:-1]:
        point = (round(x), round(y))
        if not whole or whole[-1] != point:
            whole.append(point)
    if len(set(whole)) < 3:
        return ""
    numbers = [whole[0][0], whole[0][1]]
    for (x0, y0), (x1, y1) in zip(whole, whole[1:]):
        numbers += [x1 - x0, y1 - y0]
    text = "M" + " ".join(map(str, numbers[:2])) + "l" + " ".join(map(str, numbers[2:])) + "z"
    return text.replace(" -", "-")


def path(outline: dict | None, project: Projection) -> str:
    return "".join(_ring_path(ring, project) for ring in rings(outline))


def _anchor(outline: dict, project: Projection) -> tuple[int, int, float]:
    """Where a label goes: the centroid of the largest outer ring, and that ring's width in units."""
    best, best_area = None, -1.0
    outer = [outline["coordinates"][0]] if outline["type"] == "Polygon" else [p[0] for p in outline["coordinates"]]
    for ring in outer:
        points = [project(lon, lat) for lon, lat in ring]
        area = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if abs(area) > best_area:
            xs = [p[0] for p in points]
            centre = (cx / (3 * area), cy / (3 * area)) if area else (sum(xs) / len(xs), points[0][1])
            best, best_area = (round(centre[0]), round(centre[1]), max(xs) - min(xs)), abs(area)
    return best


def _points(shapes) -> list[tuple[float, float]]:
    return [(p[0], p[1]) for shape in shapes for ring in rings(shape.outline) for p in ring]


def render(grids: list[GridShape], buildings: list[BuildingShape], *, title: str, focus: int | None = None,
           pick: bool = False) -> SafeString:
    """The map as SVG markup ("" when no grid has an outline: buildings are drawn within their grids).

    ``focus``: a grid's number, to fit the map to that grid (the others are drawn as far as they show).
    ``pick``: for choosing a building (the issue form): buildings are separate shapes carrying their id,
    grids are not links, and the drawing is hidden from screen readers, who get the same choice as a list.
    """
    drawn = [g for g in grids if g.outline]
    if focus is not None:
        drawn_focus = [g for g in drawn if g.number == focus]
        fitted = drawn_focus or [b for b in buildings if b.grid_number == focus]
    else:
        fitted = drawn or list(buildings)  # the grids decide the frame: a stray building cannot shrink them
    points = _points(b for b in fitted if b.outline)
    if not points or not drawn:
        return mark_safe("")
    project = Projection(points)
    by_grid: dict[int, list[BuildingShape]] = {}
    for building in buildings:
        if building.outline:
            by_grid.setdefault(building.grid_number, []).append(building)
    title_id = "map-title-pick" if pick else "map-title"
    head = f'<svg class="map{" map-pick" if pick else ""}" viewBox="0 0 {project.width} {project.height}" '
    head += ('aria-hidden="true" focusable="false">' if pick else
             f'role="group" aria-labelledby="{title_id}"><title id="{title_id}">{escape(title)}</title>')
    parts = [head]
    labels = []
    for grid in drawn:
        shown = by_grid.get(grid.number, []) if pick or focus is None or grid.number == focus else []
        parts.append(_grid(grid, shown, project, pick=pick, focus=focus))
        for building in shown:
            x, y, width = _anchor(building.outline, project)
            if label := short_name(building.name, width):
                labels.append(f'<text x="{x}" y="{y}">{escape(label)}</text>')
    if labels:
        parts.append('<g class="ml">' + "".join(labels) + "</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _grid(grid: GridShape, buildings: list[BuildingShape], project: Projection, *, pick: bool,
          focus: int | None) -> str:
    d = path(grid.outline, project)
    if not d:
        return ""
    classes = f"mg s{step(grid.open)}" + (" od" if grid.overdue else "") + (
        " mf" if focus is not None and grid.number == focus else "")
    x, y, _width = _anchor(grid.outline, project)
    number = f'<text class="mn" x="{x}" y="{y}">{grid.number}</text>'
    if pick:  # each building its own shape, to be clicked
        shapes = "".join(f'<path class="mb" data-building="{b.pk}" d="{bd}"><title>{escape(b.name)}</title></path>'
                         for b in buildings if (bd := path(b.outline, project)))
        return f'<g class="{classes}"><path d="{d}"/>{number}</g>{shapes}'
    if focus is not None and grid.number != focus:  # a neighbour, drawn as far as it shows: its link is the table's
        return f'<g class="{classes}" aria-hidden="true"><path d="{d}"/>{number}</g>'
    # The grid's buildings as one thin path inside its link: a click on a building opens the grid too.
    houses = "".join(path(b.outline, project) for b in buildings)
    houses = f'<path class="mb" d="{houses}"/>' if houses else ""
    return (f'<a href="{escape(grid.url)}" class="{classes}" aria-label="{escape(grid_label(grid))}">'
            f'<path d="{d}"/>{houses}{number}</a>')
