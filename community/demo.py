"""The demo's map: outlines for its four grids and a handful of buildings each, around one fictional spot.

Run by ``seed_demo`` through ``YISHI_DEMO_LOADERS``, after the register of owners (whose buildings it outlines
too). Grids are found by number, buildings already there by their grid; schematic, not a real place.
"""

import math

from community.models import Building, Community

ORIGIN = (114.2871, 30.5962)  # longitude, latitude of the south-west corner: a fictional spot
# Outlines in metres east and north of the origin.
GRIDS = {
    1: [(0, 220), (120, 226), (262, 232), (272, 450), (22, 442), (6, 330)],
    2: [(0, 60), (210, 44), (430, 30), (652, 22), (650, 200), (470, 240), (262, 232), (120, 226), (0, 220)],
    3: [(470, 240), (650, 200), (664, 440), (560, 446), (482, 452)],
    4: [(262, 232), (470, 240), (482, 452), (272, 450)],
}
# Each grid's buildings: (x, y, width, depth, turn in degrees); names for those the register does not have.
SLOTS = {
    1: [(40, 260, 70, 16, 2), (40, 310, 70, 16, 2), (40, 360, 70, 16, 2), (150, 270, 80, 16, 2),
        (150, 330, 80, 16, 2), (150, 390, 60, 30, 0)],
    2: [(40, 110, 90, 16, -4), (170, 100, 90, 16, -4), (300, 90, 90, 16, -4), (430, 80, 90, 16, -3),
        (560, 70, 60, 30, -3)],
    3: [(500, 270, 50, 18, 12), (570, 260, 50, 18, 12), (510, 330, 50, 18, 12), (580, 320, 50, 18, 12),
        (540, 390, 60, 22, 0)],
    4: [(300, 270, 30, 30, 0), (380, 270, 30, 30, 0), (300, 370, 30, 30, 0), (390, 360, 60, 40, 0)],
}
# The register's buildings (3 and 5) come last: used only where the register has none, whatever it calls them.
NAMES = {
    1: ["1号楼", "2号楼", "4号楼", "6号楼", "柳苑幼儿园", "3号楼"],
    2: ["7号楼", "8号楼", "9号楼", "运河菜市场", "5号楼"],
    3: ["老厂宿舍A栋", "老厂宿舍B栋", "老厂宿舍C栋", "老厂宿舍D栋", "纺织厂旧址"],
    4: ["10号楼", "11号楼", "12号楼", "社区活动中心"],
}
METRES_PER_DEGREE = 111_320


def _lonlat(x: float, y: float) -> list[float]:
    lon0, lat0 = ORIGIN
    return [round(lon0 + x / (METRES_PER_DEGREE * math.cos(math.radians(lat0))), 7),
            round(lat0 + y / METRES_PER_DEGREE, 7)]


def _polygon(points) -> dict:
    ring = [_lonlat(x, y) for x, y in points]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def _block(x, y, width, depth, turn) -> dict:
    a = math.radians(turn)
    corners = [(0, 0), (width, 0), (width, depth), (0, depth)]
    return _polygon([(x + cx * math.cos(a) - cy * math.sin(a), y + cx * math.sin(a) + cy * math.cos(a))
                     for cx, cy in corners])


def load_map(community: Community) -> int:
    """Outlines for the demo's grids and buildings; nothing if a grid is outlined already."""
    grids = {g.number: g for g in community.grids.all()}
    if any(g.outline for g in grids.values()):
        return 0
    made = 0
    for number, points in GRIDS.items():
        grid = grids.get(number)
        if grid is None:
            continue
        grid.outline = _polygon(points)
        grid.save(update_fields=["outline"])
        made += 1
        existing = list(Building.objects.filter(community=community, grid=grid, outline__isnull=True)
                        .order_by("name"))
        taken = set(Building.objects.filter(community=community).values_list("name", flat=True))
        names = iter(n for n in NAMES[number] if n not in taken)
        for slot in SLOTS[number]:
            building = existing.pop(0) if existing else None
            if building is None:
                name = next(names, None)
                if name is None:
                    break
                building = Building(community=community, grid=grid, name=name)
            building.outline = _block(*slot)
            building.save()
            made += 1
    return made
