"""The community's map for the committee: what is drawn, and outlines imported from a GeoJSON file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from community import maps, permissions, selectors
from community.forms import MapImportForm
from community.models import Community
from community.services import maps as map_services

EXAMPLE = """{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"grid": 1},
   "geometry": {"type": "Polygon", "coordinates": [[[116.3900, 39.9100], [116.3940, 39.9100],
     [116.3940, 39.9130], [116.3900, 39.9130], [116.3900, 39.9100]]]}},
  {"type": "Feature", "properties": {"building": "Building 3", "grid": 1},
   "geometry": {"type": "Polygon", "coordinates": [[[116.3910, 39.9110], [116.3915, 39.9110],
     [116.3915, 39.9113], [116.3910, 39.9113], [116.3910, 39.9110]]]}}
]}"""


@login_required
def map_page(request, slug: str):
    community = get_object_or_404(Community, slug=slug)
    if not permissions.can_draw_map(request.user, community):
        raise Http404
    form = MapImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        if request.POST.get("confirmed") == "1":
            try:
                done = map_services.import_map(request.user, community_id=community.pk, text=text)
            except ValidationError as error:
                for message in error.messages[:50]:
                    messages.error(request, message)
            else:
                messages.success(request, _("The map is saved: %(grids)s grids and %(buildings)s buildings outlined.")
                                 % {"grids": len(done.grids), "buildings": len(done.buildings)})
                return redirect("community:map", slug=community.slug)
        preview = map_services.read_map(community, text)
        form = MapImportForm(initial={"text": "" if preview.errors else text})
        if not preview.errors:
            del form.fields["file"]  # confirming saves the file just checked, kept in the form
    return render(request, "community/map.html", {
        "community": community, "form": form, "preview": preview, "example": EXAMPLE,
        **_drawing(community, preview)})


def _drawing(community: Community, preview) -> dict:
    """The map as it is, or as the file would make it."""
    grids = list(community.grids.all())
    grid_shapes, buildings = selectors.map_shapes(community, grids)
    if preview and not preview.errors:
        outlines = {c.number: c.outline for c in preview.grids}
        for shape in grid_shapes:
            shape.outline = outlines.get(shape.number, shape.outline)
        named = {c.name: c for c in preview.buildings}
        for shape in buildings:
            if shape.name in named:
                shape.outline = named.pop(shape.name).outline
        buildings += [maps.BuildingShape(0, c.name, c.number, c.outline) for c in named.values()]
    return {
        "svg": maps.render(grid_shapes, buildings,
                           title=_("Map of %(community)s") % {"community": community.local_name}),
        "grid_rows": [(g, sum(1 for b in buildings if b.grid_number == g.number),
                       sum(1 for b in buildings if b.grid_number == g.number and b.outline)) for g in grid_shapes],
    }
