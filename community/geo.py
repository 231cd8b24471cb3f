"""Outlines of grids and buildings: GeoJSON geometries (Polygon or MultiPolygon, longitude then latitude).

A grid or a building keeps its outline as the GeoJSON ``geometry`` object, in a JSONField. ``clean_outline``
checks one and returns it tidied (coordinates rounded to 7 decimals, about a centimetre); every problem is a
sentence a person can act on. Pure functions: no database.
"""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_POINTS = 2_000  # in one outline: a block drawn by hand has tens
MAX_POLYGONS = 50
MAX_RINGS = 10  # the outer ring and up to nine holes (a courtyard)
MAX_SPAN = 0.5  # degrees, about 50 km: a community is a few hundred metres across
DECIMALS = 7


def _position(value, where: str) -> tuple[float, float]:
    if not isinstance(value, (list, tuple)) or len(value) < 2:
        raise ValidationError(_("%(where)s: a point is [longitude, latitude].") % {"where": where})
    lon, lat = value[0], value[1]
    if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in (lon, lat)):
        raise ValidationError(_("%(where)s: a point's longitude and latitude are numbers.") % {"where": where})
    if not (math.isfinite(lon) and math.isfinite(lat)) or not (-180 <= lon <= 180 and -85 <= lat <= 85):
        raise ValidationError(
            _("%(where)s: [%(lon)s, %(lat)s] is not a place on the map: longitude comes first (-180 to 180), then "
              "latitude (-85 to 85).") % {"where": where, "lon": lon, "lat": lat})
    return round(float(lon), DECIMALS), round(float(lat), DECIMALS)


def _ring(value, where: str) -> list[list[float]]:
    if not isinstance(value, (list, tuple)):
        raise ValidationError(_("%(where)s is not a list of points.") % {"where": where})
    points = [_position(p, where) for p in value]
    if len(points) < 4 or len(set(points)) < 3:
        raise ValidationError(_("%(where)s needs at least 3 different points (and the first again at the end).")
                              % {"where": where})
    if points[0] != points[-1]:
        raise ValidationError(_("%(where)s is not closed: its last point must be the same as its first.")
                              % {"where": where})
    return [list(p) for p in points]


def _polygon(value, where: str) -> list[list[list[float]]]:
    if not isinstance(value, (list, tuple)) or not value:
        raise ValidationError(_("%(where)s has no rings.") % {"where": where})
    if len(value) > MAX_RINGS:
        raise ValidationError(_("%(where)s has more than %(n)s rings.") % {"where": where, "n": MAX_RINGS})
    return [_ring(ring, _("%(where)s, ring %(n)s") % {"where": where, "n": i}) if i > 1 else
            _ring(ring, _("%(where)s, its outer ring") % {"where": where})
            for i, ring in enumerate(value, start=1)]


def clean_outline(value) -> dict:
    """The outline, checked and rounded; raises ValidationError saying what is wrong."""
    if not isinstance(value, dict):
        raise ValidationError(_("An outline is a GeoJSON geometry: {\"type\": \"Polygon\", \"coordinates\": …}."))
    kind, coordinates = value.get("type"), value.get("coordinates")
    if kind == "Polygon":
        polygons = [_polygon(coordinates, _("The polygon"))]
    elif kind == "MultiPolygon":
        if not isinstance(coordinates, (list, tuple)) or not coordinates:
            raise ValidationError(_("The MultiPolygon has no polygons."))
        if len(coordinates) > MAX_POLYGONS:
            raise ValidationError(_("An outline has at most %(n)s polygons.") % {"n": MAX_POLYGONS})
        polygons = [_polygon(p, _("Polygon %(n)s") % {"n": i}) for i, p in enumerate(coordinates, start=1)]
    else:
        raise ValidationError(_("An outline is a Polygon or a MultiPolygon, not %(type)s.")
                              % {"type": str(kind)[:40] if kind else _("nothing")})
    points = [p for polygon in polygons for ring in polygon for p in ring]
    if len(points) > MAX_POINTS:
        raise ValidationError(_("An outline has at most %(n)s points; this one has %(count)s: simplify it.")
                              % {"n": f"{MAX_POINTS:,}", "count": f"{len(points):,}"})
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    if max(lons) - min(lons) > MAX_SPAN or max(lats) - min(lats) > MAX_SPAN:
        raise ValidationError(_("The outline spans more than %(n)s degrees: a grid or a building is much smaller. "
                                "Are longitude and latitude the right way round?") % {"n": MAX_SPAN})
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def validate_outline(value) -> None:
    """A model field validator (the admin's forms run it)."""
    if value is not None:
        clean_outline(value)


def rings(outline: dict | None) -> list[list[list[float]]]:
    """Every ring of an outline (outer rings and holes), as lists of [lon, lat]."""
    if not outline:
        return []
    if outline.get("type") == "Polygon":
        return list(outline["coordinates"])
    return [ring for polygon in outline.get("coordinates", []) for ring in polygon]


def inside(point: tuple[float, float], outline: dict | None) -> bool:
    """Whether a point lies within the outline (even-odd rule, so holes are outside)."""
    x, y = point
    crossings = 0
    for ring in rings(outline):
        for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                crossings += 1
    return crossings % 2 == 1
