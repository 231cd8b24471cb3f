"""Pages that read across the apps: the home page, a community, a grid."""

from datetime import timedelta

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from community import maps, permissions, selectors
from community.models import Community, Grid
from issues import selectors as issue_selectors


def home(request):
    communities = list(Community.objects.all()[:2])
    if len(communities) == 1:
        return community_detail(request, slug=communities[0].slug, template="insights/home.html")
    return render(request, "insights/community_list.html", {"communities": Community.objects.all()})


def community_detail(request, slug: str, template: str = "insights/community_detail.html"):
    community = get_object_or_404(Community, slug=slug)
    context = {
        "community": community,
        "grids": selectors.grids_with_counts(community),
        "organisations": selectors.organisations_with_reps(community),
        "committee": selectors.committee_of(community),
        "counts": selectors.community_counts(community),
        "home_grid": permissions.home_grid(request.user, community),
        "can_view_queue": permissions.can_view_membership_queue(request.user, community),
        "can_view_audit": permissions.can_view_audit_log(request.user, community),
        "can_view_calendar": permissions.can_view_calendar(request.user, community),
        "keeps_register": permissions.keeps_register(request.user, community),
        "can_draw_map": permissions.can_draw_map(request.user, community),
        "owns_units": request.user.is_authenticated and community.owners.filter(user=request.user).exists(),
        "figures": issue_selectors.figures(community.issues.all()),
        "by_grid": issue_selectors.figures(community.issues.all(), by="grid"),
        "recent_issues": issue_selectors.with_followers(issue_selectors.issue_list(community)[:5]),
        "open_consultations": community.consultations.filter(
            phase__in=["collecting", "deliberation", "voting"]
        ).order_by("-phase_changed_at")[:3],
        **_now_and_next(community),
        **_map(community),
    }
    if context["can_view_queue"]:
        context["queue_count"] = selectors.membership_queue(request.user, community).count()
    return render(request, template, context)


def grid_detail(request, slug: str, number: int):
    grid = get_object_or_404(Grid.objects.select_related("community"), community__slug=slug, number=number)
    looks_after = permissions.looks_after(request.user, grid)
    context = {
        "grid": grid,
        "community": grid.community,
        "workers": selectors.workers_of(grid),
        "resident_count": selectors.residents_of(grid).count(),
        "organisations": selectors.organisations_with_reps(grid.community),
        "is_resident": permissions.is_resident_of(request.user, grid),
        "can_request": permissions.can_request_membership(request.user, grid),
        "residents": selectors.residents_of(grid) if looks_after else None,
        "figures": issue_selectors.figures(grid.issues.all()),
        "by_category": issue_selectors.figures(grid.issues.all(), by="category"),
        "by_organisation": issue_selectors.figures(grid.issues.all(), by="organisation"),
        "recent_issues": issue_selectors.with_followers(issue_selectors.issue_list(grid.community, grid=grid)[:5]),
        **_map(grid.community, focus=grid.number),
    }
    return render(request, "insights/grid_detail.html", context)


def _map(community, focus: int | None = None) -> dict:
    """The schematic map (grids shaded by open issues, buildings) and the same facts as a table: 2 queries."""
    grids, buildings = selectors.map_shapes(community, issue_selectors.grids_on_map(community))
    title = (_("Map of grid %(n)s and its buildings") % {"n": focus} if focus is not None
             else _("Map of the grids: each opens its page"))
    rows = maps.rows(grids)
    return {"map_svg": maps.render(grids, buildings, title=title, focus=focus), "map_legend": maps.legend(),
            "map_rows": [r for r in rows if focus is None or r["grid"].number == focus],
            "map_buildings": [b for b in buildings if b.grid_number == focus] if focus is not None else None}


ANNOUNCEMENT_DAYS_MAX = 60  # an owners' decision sets its own, up to this


def _now_and_next(community) -> dict:
    """What anyone can join now or soon: live and coming public meetings, open votes (not a closed meeting's)."""
    from meetings.models import Meeting
    from polls.models import Poll

    meetings = list(community.meetings.filter(is_public=True, status__in=["live", "scheduled"])
                    .order_by("starts_at", "pk")[:12])
    return {
        "live_meetings": [m for m in meetings if m.status == "live"],
        "coming_meetings": [m for m in meetings if m.status == Meeting.Status.SCHEDULED and not m.is_past_due][:3],
        "open_polls": list(Poll.objects.filter(community=community, status=Poll.Status.OPEN)
                           .exclude(meeting__is_public=False).order_by("closes_at", "-pk")[:3]),
        # Owners' decisions stay announced on the community's page for their announcement days (7 unless set).
        "announced": [p for p in Poll.objects.filter(
            community=community, kind=Poll.Kind.OWNERS, status=Poll.Status.CLOSED, result__isnull=False,
            closed_at__gte=timezone.now() - timedelta(days=ANNOUNCEMENT_DAYS_MAX)).order_by("-closed_at")[:20]
            if p.closed_at >= timezone.now() - timedelta(days=p.announce_days)][:5],
    }
