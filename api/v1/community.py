"""Communities, their grids, organisations and issue categories; and who the caller is."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router
from ninja.pagination import paginate

from api.v1.auth import WRITE_AUTH
from api.v1.pagination import Pages
from api.v1.schemas import (
    CategoryOut,
    CommunityOut,
    Error,
    GridOut,
    MeOut,
    OrganisationOut,
    RatesOut,
)
from community import permissions
from community.models import ApiToken, Community, Grid, Organisation
from issues import rates as selectors_rates
from issues.models import Category

router = Router(tags=["communities"])


def in_community(queryset, community: str | None, field: str = "community__slug"):
    return queryset.filter(**{field: community}) if community else queryset


@router.get("/communities", response={200: list[CommunityOut], 422: Error}, summary="Communities")
@paginate(Pages)
def community_list(request):
    return Community.objects.order_by("pk")


@router.get("/communities/{slug}", response={200: CommunityOut, 404: Error, 422: Error}, summary="A community")
def community_detail(request, slug: str):
    return get_object_or_404(Community, slug=slug)


@router.get("/communities/{slug}/rates", response={200: RatesOut, 404: Error, 422: Error},
            summary="The three rates of a month")
def community_rates(request, slug: str, month: str | None = None):
    """Response, resolution and satisfaction rates of a month (``month=YYYY-MM``, else this month), as on
    ``/stats/rates/``: for the community, each grid, each organisation owning tasks, and — for the community's
    committee and grid workers — each grid worker. Counts come with every rate, so anyone can recompute it."""
    community = get_object_or_404(Community, slug=slug)
    staff = permissions.is_committee(request.user, community) or permissions.is_grid_worker_in(request.user, community)
    figures = selectors_rates.rates(
        community, selectors_rates.parse_month(month, timezone.localdate()), with_workers=staff)

    def group(rows, name=str):
        return [{"id": who.pk, "name": name(who), "counts": counts.as_dict()} for who, counts in rows]

    return {
        "community": community.slug, "month": f"{figures['month']:%Y-%m}", "so_far": figures["so_far"],
        "all": figures["community"].as_dict(), "grids": group(figures["grid"]),
        "workers": group(figures["worker"], lambda user: user.public_name) if staff else None,
        "organisations": group(figures["organisation"]),
    }


@router.get("/grids", response={200: list[GridOut], 422: Error}, summary="Grids")
@paginate(Pages)
def grid_list(request, community: str | None = None):
    return in_community(Grid.objects.select_related("community"), community).order_by("community_id", "number")


@router.get("/organisations", response={200: list[OrganisationOut], 422: Error}, summary="Organisations")
@paginate(Pages)
def organisation_list(request, community: str | None = None):
    organisations = Organisation.objects.select_related("community")
    return in_community(organisations, community).order_by("community_id", "name")


@router.get("/categories", response={200: list[CategoryOut], 422: Error}, summary="Issue categories")
@paginate(Pages)
def category_list(request, community: str | None = None):
    categories = Category.objects.filter(active=True).select_related("community")
    return in_community(categories, community).order_by("community_id", "position", "pk")


@router.get("/me", response={200: MeOut, 401: Error}, auth=WRITE_AUTH, tags=["account"],
            summary="Who the token or session belongs to")
def me(request):
    token = getattr(request, "api_token", None)
    return {"id": request.user.pk, "name": request.user.public_name,
            "scopes": token.scopes if token is not None else list(ApiToken.Scope.values)}
