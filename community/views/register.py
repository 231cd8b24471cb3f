"""The register of owners: its keepers see and import it; a resident sees their own units."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from community import permissions
from community.forms import RegisterImportForm
from community.models import Community
from community.services import register

EXAMPLE = ("building,unit,area,grid,owner,owner_id,email\n"
           "Building 3,101,89.50,1,Wang Fang,,wang@example.org\n"
           "Building 3,102,76.25,1,Li Ming,,\n"
           "Building 3,102,76.25,1,Zhao Lei,,\n"
           "Building 3,104,64.00,1,,,\n")


@login_required
def register_page(request, slug: str):
    community = get_object_or_404(Community, slug=slug)
    keeper = permissions.keeps_register(request.user, community)
    units = list(register.register_of(request.user, community))
    return render(request, "community/register.html", {
        "community": community, "keeper": keeper, "units": units,
        "total_area": sum((u.area for u in units), 0), "buildings": len({u.building_id for u in units}),
    })


@login_required
def register_import(request, slug: str):
    community = get_object_or_404(Community, slug=slug)
    if not permissions.keeps_register(request.user, community):
        raise Http404
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        text, how, note = form.cleaned_data["text"], form.cleaned_data["how"], form.cleaned_data["note"]
        if request.POST.get("confirmed") == "1":
            try:
                done = register.import_register(request.user, community_id=community.pk, text=text, how=how,
                                                note=note)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("The register is saved: %(units)s units from the file.")
                                 % {"units": len(done.units)})
                return redirect("community:register", slug=community.slug)
        preview = register.read_register(community, text)
        form = RegisterImportForm(initial={"text": "" if preview.errors else text, "how": how, "note": note})
        if not preview.errors:
            del form.fields["file"]  # confirming saves the file just checked, kept in the form
    return render(request, "community/register_import.html", {
        "community": community, "form": form, "preview": preview, "example": EXAMPLE,
    })
