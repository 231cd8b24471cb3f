"""The register of owners: read a CSV of units and owners, show what it would change, then apply it at once.

One line per unit and owner: ``building, unit, area, grid, owner, owner_id, email`` (Chinese headers too).
Co-owners are several lines for the same unit; a unit not yet sold or handed over has one line with no
owner. ``owner_id`` tells apart two owners of the same name; ``email`` links the owner to their account.
A file names whole units: for each unit in it, its area and its owners become what the file says; units not
in the file are left as they are. Nothing is written unless every line is right.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from community import permissions
from community.models import Building, Community, Grid, Owner, Ownership, Unit, User

MAX_BYTES = 2 * 1024 * 1024
MAX_LINES = 20_000
COLUMNS = ("building", "unit", "area", "grid", "owner", "owner_id", "email")
# The headers a register may use, in English or Chinese.
HEADERS = {
    "building": "building", "楼栋": "building", "楼号": "building",
    "unit": "unit", "房号": "unit", "单元": "unit", "户号": "unit",
    "area": "area", "面积": "area", "专有部分面积": "area", "建筑面积": "area",
    "grid": "grid", "网格": "grid",
    "owner": "owner", "业主": "owner", "业主姓名": "owner",
    "owner_id": "owner_id", "业主标识": "owner_id", "身份标识": "owner_id",
    "email": "email", "邮箱": "email", "电子邮箱": "email",
}


@dataclass
class UnitPlan:
    building: str
    number: str
    area: Decimal
    grid: int | None
    owners: list[tuple[str, str, str]] = field(default_factory=list)  # (name, identifier, email)
    first_line: int = 0
    ownerless_line: int = 0  # the line that says the unit has no owner yet


@dataclass
class Preview:
    """What a file would do: errors by line, or the units it sets and how they differ from the register."""

    errors: list[str] = field(default_factory=list)
    units: list[UnitPlan] = field(default_factory=list)
    new_units: int = 0
    changed_areas: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)
    changed_owners: int = 0
    new_buildings: list[str] = field(default_factory=list)

    @property
    def total_area(self) -> Decimal:
        return sum((u.area for u in self.units), Decimal(0))


def require_keeper(actor, community: Community) -> None:
    permissions.require(permissions.keeps_register(actor, community),
                        _("The register of owners is kept by the committee and the property manager."))


def _area(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        raise ValueError(_("“%(text)s” is not a floor area: write square metres, e.g. 89.5") % {"text": text})
    if not value.is_finite() or value <= 0:
        raise ValueError(_("a floor area is more than 0 m²"))
    if value != value.quantize(Decimal("0.01")) or value >= Decimal("10000000"):
        raise ValueError(_("a floor area has at most two decimals and is under 10,000,000 m²"))
    return value.quantize(Decimal("0.01"))


def _rows(text: str) -> tuple[list[str], list[tuple[int, dict]]]:
    """The file's lines as dicts of our column names, and errors about the header."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        return [_("The file is empty: it needs a header line and one line per unit and owner.")], []
    names = [HEADERS.get(h.strip().lower(), HEADERS.get(h.strip())) for h in header]
    missing = [c for c in ("building", "unit", "area") if c not in names]
    if missing:
        return [_("The header line must name the columns building, unit and area (and may add grid, owner, "
                  "owner_id, email); missing: %(missing)s.") % {"missing": ", ".join(missing)}], []
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        rows.append((number, {name: values[i].strip() if i < len(values) else ""
                              for i, name in enumerate(names) if name}))
    return [], rows


def read_register(community: Community, text: str) -> Preview:
    """Check a register file against the community's register: every error by line, or what would change."""
    preview = Preview()
    if len(text.encode()) > MAX_BYTES:
        preview.errors.append(_("The file is larger than 2 MB: split it by building."))
        return preview
    header_errors, rows = _rows(text)
    if header_errors:
        preview.errors += header_errors
        return preview
    if not rows:
        preview.errors.append(_("The file has a header but no units."))
        return preview
    if len(rows) > MAX_LINES:
        preview.errors.append(_("The file has more than %(n)s lines: split it by building.") % {"n": f"{MAX_LINES:,}"})
        return preview
    grids = {g.number: g for g in Grid.objects.filter(community=community)}
    buildings = {b.name: b for b in Building.objects.filter(community=community).select_related("grid")}
    emails = {row.get("email", "").lower() for _n, row in rows if row.get("email")}
    accounts = {u.email.lower(): u for u in User.objects.filter(email__in=emails, is_active=True)} if emails else {}
    plans: dict[tuple[str, str], UnitPlan] = {}
    building_grid: dict[str, tuple[int, int]] = {}  # building name -> (grid number, line)
    owner_email: dict[tuple[str, str], tuple[str, int]] = {}
    email_owner: dict[str, tuple[tuple[str, str], int]] = {}
    error = lambda line, message: preview.errors.append(  # noqa: E731
        _("Line %(line)s: %(message)s") % {"line": line, "message": message})
    for line, row in rows:
        building, number = row.get("building", ""), row.get("unit", "")
        if not building or not number:
            error(line, _("the building and the unit are both needed."))
            continue
        if len(building) > 60 or len(number) > 30:
            error(line, _("a building's name is at most 60 characters, a unit's at most 30."))
            continue
        try:
            area = _area(row.get("area", "")) if row.get("area") else None
        except ValueError as problem:
            error(line, str(problem))
            continue
        if area is None:
            error(line, _("the floor area of %(unit)s is missing.") % {"unit": f"{building} {number}"})
            continue
        grid = None
        if row.get("grid"):
            grid = int(row["grid"]) if row["grid"].isdigit() and int(row["grid"]) in grids else None
            if grid is None:
                error(line, _("there is no grid %(grid)s in this community.") % {"grid": row["grid"]})
                continue
        known = buildings.get(building)
        if grid is None and known is None and building not in building_grid:
            error(line, _("say which grid (its number) %(building)s is in.") % {"building": building})
            continue
        if grid is not None:
            earlier = building_grid.get(building) or ((known.grid.number, 0) if known else None)
            if earlier and earlier[0] != grid:
                where = _("on line %(line)s") % {"line": earlier[1]} if earlier[1] else _("in the register")
                error(line, _("%(building)s is in grid %(a)s here and in grid %(b)s %(where)s.")
                      % {"building": building, "a": grid, "b": earlier[0], "where": where})
                continue
            building_grid.setdefault(building, (grid, line))
        plan = plans.get((building, number))
        if plan is None:
            plan = plans[(building, number)] = UnitPlan(building, number, area, grid, first_line=line)
        elif plan.area != area:
            error(line, _("%(unit)s has %(a)s m² here and %(b)s m² on line %(line)s.")
                  % {"unit": f"{building} {number}", "a": area, "b": plan.area, "line": plan.first_line})
            continue
        name, identifier, email = row.get("owner", ""), row.get("owner_id", ""), row.get("email", "").lower()
        if not name:
            if identifier or email:
                error(line, _("an owner's ID or e-mail is given without their name."))
            elif plan.first_line != line:
                error(line, _("%(unit)s is already on line %(line)s: a unit without an owner has one line.")
                      % {"unit": f"{building} {number}", "line": plan.first_line})
            else:
                plan.ownerless_line = line
            continue
        if plan.ownerless_line:
            error(line, _("%(unit)s has no owner on line %(line)s and an owner here: leave out the line without an "
                          "owner.") % {"unit": f"{building} {number}", "line": plan.ownerless_line})
            continue
        if len(name) > 100 or len(identifier) > 40:
            error(line, _("an owner's name is at most 100 characters, their ID at most 40."))
            continue
        if email and email not in accounts:
            error(line, _("no account has the e-mail %(email)s: leave it empty, the owner can be linked later.")
                  % {"email": email})
            continue
        seen = owner_email.get((name, identifier))
        if seen and email and seen[0] and seen[0] != email:
            error(line, _("%(owner)s has the e-mail %(a)s here and %(b)s on line %(line)s: two owners of the same "
                          "name need an owner_id each.") % {"owner": name, "a": email, "b": seen[0], "line": seen[1]})
            continue
        other = email and email_owner.get(email)
        if other and other[0] != (name, identifier):
            error(line, _("the e-mail %(email)s is also given for %(owner)s on line %(line)s: one account is one "
                          "owner.") % {"email": email, "owner": other[0][0], "line": other[1]})
            continue
        owner_email.setdefault((name, identifier), (email, line))
        if email:
            email_owner.setdefault(email, ((name, identifier), line))
        if any((n, i) == (name, identifier) for n, i, _e in plan.owners):
            error(line, _("%(owner)s is listed twice as an owner of %(unit)s.")
                  % {"owner": name, "unit": f"{building} {number}"})
            continue
        plan.owners.append((name, identifier, email))
    if preview.errors:
        return preview
    preview.units = list(plans.values())
    _compare(community, preview, buildings)
    return preview


def _compare(community: Community, preview: Preview, buildings: dict) -> None:
    existing = {(u.building.name, u.number): u for u in Unit.objects.filter(building__community=community)
                .select_related("building").prefetch_related("owners")}
    preview.new_buildings = sorted({p.building for p in preview.units} - set(buildings))
    for plan in preview.units:
        unit = existing.get((plan.building, plan.number))
        if unit is None:
            preview.new_units += 1
            continue
        if unit.area != plan.area:
            preview.changed_areas.append((f"{plan.building} {plan.number}", unit.area, plan.area))
        if sorted((o.name, o.identifier) for o in unit.owners.all()) != sorted((n, i) for n, i, _e in plan.owners):
            preview.changed_owners += 1


@transaction.atomic
def import_register(actor: User, *, community_id: int, text: str, how: str, note: str = "") -> Preview:
    """Apply a register file: every unit it names gets its area and owners; owners it names are checked by
    ``actor`` in the way ``how`` says. Raises ValidationError with every error if any line is wrong."""
    community = Community.objects.select_for_update().get(pk=community_id)
    require_keeper(actor, community)
    if how not in Owner.How.values:
        raise ValidationError(_("Say how the owners were checked."))
    if how == Owner.How.OTHER and not note.strip():
        raise ValidationError(_("Say in the note how the owners were checked."))
    preview = read_register(community, text)
    if preview.errors:
        raise ValidationError(preview.errors)
    now = timezone.now()
    grids = {g.number: g for g in Grid.objects.filter(community=community)}
    buildings = {b.name: b for b in Building.objects.filter(community=community)}
    emails = {e for plan in preview.units for _n, _i, e in plan.owners if e}
    accounts = {u.email.lower(): u for u in User.objects.filter(email__in=emails)} if emails else {}
    owners: dict[tuple[str, str], Owner] = {}
    for plan in preview.units:
        building = buildings.get(plan.building)
        if building is None:
            building = buildings[plan.building] = Building.objects.create(
                community=community, name=plan.building, grid=grids[plan.grid])
        elif plan.grid is not None and building.grid_id != grids[plan.grid].pk:
            building.grid = grids[plan.grid]
            building.save(update_fields=["grid"])
        unit, _created = Unit.objects.update_or_create(building=building, number=plan.number,
                                                       defaults={"area": plan.area})
        Ownership.objects.filter(unit=unit).delete()
        for name, identifier, email in plan.owners:
            owner = owners.get((name, identifier))
            if owner is None:
                owner, _new = Owner.objects.update_or_create(
                    community=community, name=name, identifier=identifier,
                    defaults={"verified_by": actor, "verified_how": how, "verified_note": note.strip()[:200],
                              "verified_at": now})
                if email and owner.user_id != accounts[email].pk:
                    Owner.objects.filter(community=community, user=accounts[email]).exclude(pk=owner.pk).update(
                        user=None)
                    owner.user = accounts[email]
                    owner.save(update_fields=["user"])
                owners[(name, identifier)] = owner
            Ownership.objects.create(unit=unit, owner=owner)
    Owner.objects.filter(community=community, ownerships__isnull=True).delete()  # owners of nothing any more
    audit.record(actor, "register.imported", community=community, units=len(preview.units),
                 new_units=preview.new_units, changed_areas=len(preview.changed_areas),
                 changed_owners=preview.changed_owners, how=how)
    return preview


def register_of(actor: User, community: Community):
    """The whole register for its keepers; a resident's own units for anyone else (empty if none)."""
    units = Unit.objects.filter(building__community=community).select_related("building", "building__grid")
    if not permissions.keeps_register(actor, community):
        if not actor.is_authenticated:
            raise PermissionDenied
        units = units.filter(owners__user=actor)
    return units.prefetch_related("owners", "owners__user", "owners__verified_by").order_by(
        "building__name", "number").distinct()
