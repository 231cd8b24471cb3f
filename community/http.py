"""Which community a request is about."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from community import permissions
from community.models import Community


def current_community(request) -> Community:
    """The community a page is about: ?community=, else the person's own, else the only one."""
    slug = request.GET.get("community")
    if slug:
        return get_object_or_404(Community, slug=slug)
    own = next(iter(permissions.memberships(request.user)), None)
    community = own.community if own else Community.objects.order_by("pk").first()
    if community is None:
        raise Http404
    return community
