"""Issues: public fields only; residents raise them and rate how they were handled."""

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, F, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from api.v1.auth import WRITE_AUTH, require_scope
from api.v1.community import in_community
from api.v1.pagination import Pages
from api.v1.schemas import Day, Error, Id, IssueIn, IssueOut, RatingIn, RatingOut
from community import permissions
from community.models import ApiToken, Community, Grid
from issues import services
from issues.models import Issue, IssuePhoto
from issues.services.outcomes import REOPEN_AT_OR_BELOW

router = Router(tags=["issues"])
WRITE_ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}  # 429: too many, too fast


def issues_for_reading():
    current = Q(ratings__round=F("resolution_round"))
    return (
        Issue.objects.select_related("community", "grid", "category", "reporter")
        .prefetch_related(Prefetch("photos", queryset=IssuePhoto.objects.order_by("created_at", "pk")))
        .annotate(rating_count=Count("ratings", filter=current), rating_average=Avg("ratings__score", filter=current))
    )


@router.get("/issues", response={200: list[IssueOut], 422: Error}, summary="Issues")
@paginate(Pages)
def issue_list(request, community: str | None = None, grid: Id | None = None, category: Id | None = None,
               status: Issue.Status | None = None, open: bool | None = None, since: Day | None = None,
               until: Day | None = None):
    """Newest first. `since`/`until` filter the day raised (inclusive); `open=true` keeps the unfinished."""
    issues = in_community(issues_for_reading(), community)
    if grid is not None:
        issues = issues.filter(grid_id=grid)
    if category is not None:
        issues = issues.filter(category_id=category)
    if status:
        issues = issues.filter(status=status)
    if open is not None:
        issues = issues.filter(status__in=Issue.OPEN_STATUSES) if open else issues.exclude(
            status__in=Issue.OPEN_STATUSES)
    if since:
        issues = issues.filter(created_at__date__gte=since)
    if until:
        issues = issues.filter(created_at__date__lte=until)
    return issues.order_by("-created_at", "-pk")


@router.get("/issues/{issue_id}", response={200: IssueOut, 404: Error, 422: Error}, summary="An issue")
def issue_detail(request, issue_id: Id):
    return get_object_or_404(issues_for_reading(), pk=issue_id)


@router.post("/issues", response={201: IssueOut, **WRITE_ERRORS}, auth=WRITE_AUTH,
             summary="Raise an issue (scope: issues)")
def raise_issue(request, payload: IssueIn):
    """A verified resident raises an issue in their own grid, as on the “Raise an issue” page."""
    require_scope(request, ApiToken.Scope.ISSUES)
    if payload.grid is not None:
        grid = Grid.objects.filter(pk=payload.grid).first()
    else:
        communities = in_community(Community.objects.all(), payload.community, "slug")
        grid = next((g for c in communities if (g := permissions.home_grid(request.user, c))), None)
    if grid is None:
        raise ValidationError(_("Only verified residents of a grid can raise an issue. Ask to join your grid first."))
    issue = services.raise_issue(
        request.user, grid_id=grid.pk, category_id=payload.category, title=payload.title, body=payload.body,
        location=payload.location, name_public=payload.name_public,
    )
    return Status(201, get_object_or_404(issues_for_reading(), pk=issue.pk))


@router.post("/issues/{issue_id}/ratings", response={201: RatingOut, **WRITE_ERRORS}, auth=WRITE_AUTH,
             summary="Rate how a resolved issue was handled (scope: issues)")
def rate_issue(request, issue_id: Id, payload: RatingIn):
    """The reporter and the issue's followers rate the result 1–5; the reporter's 1 or 2 reopens it."""
    require_scope(request, ApiToken.Scope.ISSUES)
    get_object_or_404(Issue, pk=issue_id)
    rating = services.rate_issue(request.user, issue_id=issue_id, score=payload.score, comment=payload.comment)
    reopened = rating.by_reporter and rating.score <= REOPEN_AT_OR_BELOW
    return Status(201, {"issue": issue_id, "score": rating.score, "comment": rating.comment,
                        "by_reporter": rating.by_reporter, "reopened": reopened})
