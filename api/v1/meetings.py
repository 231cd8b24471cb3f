"""Public meetings with their agenda and, once approved, their minutes."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import paginate

from api.v1.community import in_community
from api.v1.pagination import Pages
from api.v1.schemas import Day, Error, Id, MeetingOut
from meetings.models import AgendaItem, Meeting

router = Router(tags=["meetings"])


def public_meetings():
    """Closed meetings belong to those invited, as on the pages; the API reads as the public."""
    return (Meeting.objects.filter(is_public=True).select_related("community", "grid", "minutes")
            .prefetch_related(Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position", "pk"))))


@router.get("/meetings", response={200: list[MeetingOut], 422: Error}, summary="Public meetings")
@paginate(Pages)
def meeting_list(request, community: str | None = None, grid: Id | None = None,
                 status: Meeting.Status | None = None, since: Day | None = None, until: Day | None = None):
    """Latest start first; `since`/`until` filter the day it starts (inclusive)."""
    meetings = in_community(public_meetings(), community)
    if grid is not None:
        meetings = meetings.filter(grid_id=grid)
    if status:
        meetings = meetings.filter(status=status)
    if since:
        meetings = meetings.filter(starts_at__date__gte=since)
    if until:
        meetings = meetings.filter(starts_at__date__lte=until)
    return meetings.order_by("-starts_at", "-pk")


@router.get("/meetings/{meeting_id}", response={200: MeetingOut, 404: Error, 422: Error}, summary="A public meeting")
def meeting_detail(request, meeting_id: Id):
    return get_object_or_404(public_meetings(), pk=meeting_id)
