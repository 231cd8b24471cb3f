"""``/stats/``: how the community's issues are handled, grid by grid, over time, and who takes part."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from consult import permissions, selectors_issues, selectors_stats, selectors_warning
from consult.models import Community
from consult.views.issues import current_community


def scorecards(request):
    community = current_community(request)
    issues = community.issues.all()
    context = {
        "community": community,
        "figures": selectors_issues.figures(issues),
        "by_grid": selectors_issues.figures(issues, by="grid"),
        "by_category": selectors_issues.figures(issues, by="category"),
        "by_organisation": selectors_issues.figures(issues, by="organisation"),
        "months": selectors_stats.monthly(issues),
        "ages": selectors_stats.participation_by_age(community),
    }
    return render(request, "consult/stats.html", context)


@login_required
def warnings(request, slug: str):
    """Early warning, for the committee: spikes, repeated places, tasks at risk."""
    community = get_object_or_404(Community, slug=slug)
    if not permissions.is_committee(request.user, community):
        raise Http404
    context = {
        "community": community,
        "spikes": selectors_warning.spikes(community),
        "repeats": selectors_warning.repeats(community),
        "tasks": selectors_warning.tasks_at_risk(community),
        "method": selectors_warning,
    }
    return render(request, "consult/warnings.html", context)
