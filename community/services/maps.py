"""The community's map: outlines of grids and buildings imported from a GeoJSON file, previewed first.

A file is a FeatureCollection; each feature's properties say what it outlines: ``{"grid": 2}`` a grid (by its
number), ``{"building": "Building 3", "grid": 1}`` a building (by its name; the grid is needed for a building
the community does not have yet, which the import adds). Chinese keys too: 网格, 楼栋. Nothing is written
unless every feature is right.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

import audit
from community import geo, permissions
from community.models import Building, Community, Grid, User

MAX_BYTES = 1024 * 1024
MAX_FEATURES = 2_000
GRID_KEYS = ("grid", "网格")
BUILDING_KEYS = ("building", "楼栋", "楼号")


@dataclass
class Change:
    kind: str  # "grid" or "building"
    label: str
    what: str  # what happens to it, in words
    outline: dict
    number: int | None = None  # the grid's number (a building's grid)
    name: str = ""  # a building's name
    new: bool = False


@dataclass
class Preview:
    """Errors by feature, or what the file would change."""

    errors: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # worth a look, not wrong: a building outside its grid

    @property
    def grids(self) -> list[Change]:
        return [c for c in self.changes if c.kind == "grid"]

    @property
    def buildings(self) -> list[Change]:
        return [c for c in self.changes if c.kind == "building"]


def require_drawer(actor, community: Community) -> None:
    permissions.require(permissions.can_draw_map(actor, community),
                        _("The committee draws the community's map."))


def _property(properties: dict, keys: tuple[str, ...]):
    for key in keys:
        if properties.get(key) not in (None, ""):
            return properties[key]
    return None


def _features(text: str, preview: Preview) -> list:
    if len(text.encode()) > MAX_BYTES:
        preview.errors.append(_("The file is larger than 1 MB: simplify the outlines or split the file."))
        return []
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as problem:  # RecursionError: brackets nested thousands deep
        preview.errors.append(_("The file is not GeoJSON (JSON could not be read: %(problem)s).")
                              % {"problem": str(problem)[:120]})
        return []
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
            data.get("features"), list):
        preview.errors.append(_("The file must be a GeoJSON FeatureCollection: {\"type\": \"FeatureCollection\", "
                                "\"features\": [...]}."))
        return []
    if not data["features"]:
        preview.errors.append(_("The file has no features."))
    if len(data["features"]) > MAX_FEATURES:
        preview.errors.append(_("The file has more than %(n)s features: split it.") % {"n": f"{MAX_FEATURES:,}"})
        return []
    return data["features"]


def read_map(community: Community, text: str) -> Preview:
    """Check a GeoJSON file against the community: every wrong feature, or what would change."""
    preview = Preview()
    features = _features(text, preview)
    grids = {g.number: g for g in Grid.objects.filter(community=community)}
    buildings = {b.name: b for b in Building.objects.filter(community=community).select_related("grid")}
    seen: dict[tuple[str, object], int] = {}
    for index, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        grid_value, name = _property(properties, GRID_KEYS), _property(properties, BUILDING_KEYS)
        name = str(name).strip() if name is not None else None
        what = name or (_("grid %(n)s") % {"n": grid_value} if grid_value is not None else "")
        where = (_("Feature %(n)s (%(what)s)") % {"n": index, "what": what}) if what else (
            _("Feature %(n)s") % {"n": index})
        problem = _check(feature, grid_value, name, grids, buildings, preview, seen, index)
        if isinstance(problem, str):
            preview.errors.append(f"{where}: {problem}")
    if preview.errors:
        preview.changes = []
    else:
        _note_outside(preview, grids)
    return preview


def _check(feature, grid_value, name, grids, buildings, preview, seen, index):
    """One feature: a message if it is wrong, else its change added to the preview."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return _("it is not a GeoJSON Feature.")
    number = None
    if grid_value is not None:
        number = int(grid_value) if str(grid_value).strip().isdigit() else None
        if number not in grids:
            return _("there is no grid %(grid)s in this community.") % {"grid": str(grid_value)[:20]}
    if name is None and number is None:
        return _("say in its properties whether it is a grid (\"grid\": its number) or a building (\"building\": "
                 "its name, \"grid\": its grid's number).")
    if name is not None and len(name) > 60:
        return _("a building's name is at most 60 characters.")
    try:
        outline = geo.clean_outline(feature.get("geometry"))
    except ValidationError as problem:
        return " ".join(problem.messages)
    key = ("building", name) if name is not None else ("grid", number)
    if key in seen:
        return _("it is already outlined by feature %(n)s.") % {"n": seen[key]}
    seen[key] = index
    if name is None:
        grid = grids[number]
        what = _("outline replaced") if grid.outline else _("outline added")
        preview.changes.append(Change("grid", str(grid), what, outline, number=number))
        return None
    known = buildings.get(name)
    if known is None and number is None:
        return _("%(building)s is not in the register yet: say its grid (\"grid\": its number).") % {
            "building": name}
    if known is not None and number is not None and known.grid.number != number:
        return _("%(building)s is in grid %(a)s, not %(b)s.") % {
            "building": name, "a": known.grid.number, "b": number}
    number = known.grid.number if known else number
    if known is None:
        what = _("new building in grid %(n)s") % {"n": number}
    else:
        what = _("outline replaced") if known.outline else _("outline added")
    preview.changes.append(Change("building", name, what, outline, number=number, name=name, new=known is None))
    return None


def _note_outside(preview: Preview, grids: dict) -> None:
    outlines = {g.number: g.outline for g in grids.values()}
    outlines.update({c.number: c.outline for c in preview.grids})
    for change in preview.buildings:
        grid_outline = outlines.get(change.number)
        point = geo.rings(change.outline)[0][0]
        if grid_outline and not geo.inside(tuple(point), grid_outline):
            preview.notes.append(_("%(building)s lies outside the outline of grid %(n)s.")
                                 % {"building": change.label, "n": change.number})


@transaction.atomic
def import_map(actor: User, *, community_id: int, text: str) -> Preview:
    """Save the outlines of a GeoJSON file (new buildings added). Raises ValidationError listing every wrong
    feature; then nothing is saved."""
    community = Community.objects.select_for_update().get(pk=community_id)
    require_drawer(actor, community)
    preview = read_map(community, text)
    if preview.errors:
        raise ValidationError(preview.errors)
    grids = {g.number: g for g in Grid.objects.filter(community=community)}
    for change in preview.grids:
        Grid.objects.filter(pk=grids[change.number].pk).update(outline=change.outline)
    for change in preview.buildings:
        if change.new:
            Building.objects.create(community=community, grid=grids[change.number], name=change.name,
                                    outline=change.outline)
        else:
            Building.objects.filter(community=community, name=change.name).update(outline=change.outline)
    audit.record(actor, "map.imported", community=community, grids=len(preview.grids),
                 buildings=len(preview.buildings), new_buildings=sum(c.new for c in preview.buildings))
    return preview
