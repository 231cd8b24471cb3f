"""``/stats/``: how the community's issues are handled, grid by grid, over time, and who takes part."""

from django.shortcuts import render

from consult import selectors_issues, selectors_stats
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
