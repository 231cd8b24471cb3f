"""``/stats/``: how the community's issues are handled, grid by grid, over time, and who takes part."""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from community import permissions
from community import services as community_services
from community.http import current_community
from community.models import Community
from core.http import csv_response
from insights import stats as selectors_stats
from insights import warnings as selectors_warning
from issues import rates as selectors_rates
from issues import selectors as selectors_issues

SCORECARD_SECONDS = 60  # the figures are at most a minute old; the page says so


def scorecards(request):
    community = current_community(request)
    figures = cache.get_or_set(f"yishi:scorecard:{community.pk}", lambda: _scorecard(community), SCORECARD_SECONDS)
    # The page is rendered once per count of the figures and language (the fragment is keyed by computed_at).
    return render(request, "insights/stats.html", {"community": community, **figures})


def _scorecard(community) -> dict:
    """Everything /stats/ shows, read in one pass (about a dozen queries whatever the data)."""
    card = selectors_issues.scorecard(community.issues.all(), ["grid", "category", "organisation"])
    return {
        "figures": card["all"],
        "by_grid": card["grid"],
        "by_category": card["category"],
        "by_organisation": card["organisation"],
        "months": selectors_stats.monthly(card["rows"]),
        "ages": selectors_stats.participation_by_age(community),
        "rates": selectors_rates.rates(community, timezone.localdate(), with_workers=False),
        "computed_at": timezone.now(),
    }


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
    return render(request, "insights/warnings.html", context)


def _rates_context(request) -> tuple[Community, dict]:
    community = current_community(request)
    today = timezone.localdate()
    month = selectors_rates.parse_month(request.GET.get("month"), today)
    # A grid worker's own figures are for the community's staff, not the public.
    staff = permissions.is_committee(request.user, community) or permissions.is_grid_worker_in(request.user, community)
    figures = cache.get_or_set(
        f"yishi:rates:{community.pk}:{month:%Y-%m}:{int(staff)}",
        lambda: selectors_rates.rates(community, month, with_workers=staff), SCORECARD_SECONDS,
    )
    return community, figures


def rates(request):
    """``/stats/rates/``: the three rates of a month, for the community, each grid, worker and organisation."""
    community, figures = _rates_context(request)
    months = list(reversed(selectors_stats.months_back(timezone.localdate())))
    return render(request, "insights/rates.html", {"community": community, "f": figures, "months": months,
                                                   "computed_at": timezone.now()})


def rates_csv(request):
    """The same figures as the page, counts and rates, one row per group."""
    community, figures = _rates_context(request)
    name = f"{community.slug}-rates-{figures['month']:%Y-%m}.csv"
    community_services.record_export(request.user, community=community, export=name)
    return csv_response(_with_header(selectors_rates.CSV_HEADER, selectors_rates.csv_rows(figures)), name)


def _with_header(header, rows):
    yield header
    yield from rows
