"""Open311 GeoReport v2 for issues, so civic-issue apps and city hotlines can read and raise them.

Plain JSON views over the same selectors and services as the pages: an issue category is a
service, an issue a service request. Only public fields leave: never the reporter, their contact
or the exact address kept in ``IssueCase``. Raising goes through ``raise_issue`` with a personal
API token that carries the "issues" scope. See docs/open311.md.
"""

import math
import re
from datetime import timedelta
from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.urls import path, re_path
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from community import permissions
from community import services as community_services
from community.http import current_community
from community.models import ApiToken, Community
from core.limits import RateLimited
from core.text import clean_text, max_length
from issues import services as issues_services
from issues.models import Category, Issue

DEFAULT_WINDOW = timedelta(days=90)
MAX_RESULTS = 1000


# Answers and refusals ------------------------------------------------------------------


def _json(request, data, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, safe=False)
    if request.method == "GET":
        response["Access-Control-Allow-Origin"] = "*"  # public data, for web maps of other sites
    return response


def _refusal(request, status: int, messages: list[str]) -> JsonResponse:
    """The spec's error array: one entry per reason, each carrying the HTTP status."""
    return _json(request, [{"code": status, "description": str(m)} for m in messages], status=status)


def _open311(view):
    """Turn a service's refusal (or a 404) into the spec's error array with the matching status."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ValidationError as error:
            return _refusal(request, 400, error.messages)
        except PermissionDenied as error:
            return _refusal(request, 403, [str(error) or _("You are not allowed to do this.")])
        except RateLimited as error:
            response = _refusal(request, 429, [str(error)])
            response["Retry-After"] = str(error.retry_after)
            return response
        except Http404 as error:
            return _refusal(request, 404, [str(error) or _("There is nothing here.")])

    return wrapper


# Reading the query ---------------------------------------------------------------------


def _jurisdiction(request) -> Community | None:
    """The community named by ``jurisdiction_id`` (its slug), if the client named one."""
    slug = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
    if not slug:
        return None
    community = Community.objects.filter(slug=slug).first()
    if community is None:
        raise Http404(_("There is no jurisdiction with this jurisdiction_id."))
    return community


def _community(request) -> Community:
    return _jurisdiction(request) or current_community(request)


def _is_id(text: str) -> bool:
    """ASCII digits that fit a database id (str.isdigit also takes "²", which int() refuses)."""
    return re.fullmatch(r"[0-9]{1,18}", text) is not None


def _numbers(query, name: str) -> list[int] | None:
    """A comma-separated list of ids, or None when the parameter is absent."""
    raw = query.get(name, "").strip()
    if not raw:
        return None
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    if not all(_is_id(part) for part in parts):
        raise ValidationError(_("%(field)s takes numbers separated by commas.") % {"field": name})
    return [int(part) for part in parts[:MAX_RESULTS]]


def _moment(query, name: str):
    """An ISO 8601 date or date and time; without an offset, in the community's time zone."""
    raw = query.get(name, "").strip()
    if not raw:
        return None
    raw = re.sub(r"(T[\d:.]+) (\d\d:?\d\d)$", r"\1+\2", raw)  # an unencoded "+" arrives as a space
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None or not 1900 <= value.year <= 9000:  # the far ends overflow on conversion to UTC
        raise ValidationError(
            _("%(field)s must be a date and time in ISO 8601, e.g. %(example)s.")
            % {"field": name, "example": "2025-05-01T08:00:00+08:00"}
        )
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _statuses(query) -> set[str]:
    wanted = {part.strip().lower() for part in query.get("status", "").split(",") if part.strip()}
    if wanted - {"open", "closed"}:
        raise ValidationError(_("status takes open, closed or both, separated by commas."))
    return wanted


def _filtered(issues, query):
    """The spec's filters. service_request_id overrides all others; by default the last 90 days."""
    ids = _numbers(query, "service_request_id")
    if ids is not None:
        return issues.filter(pk__in=ids)
    codes = _numbers(query, "service_code")
    if codes is not None:
        issues = issues.filter(category_id__in=codes)
    start, end = _moment(query, "start_date"), _moment(query, "end_date")
    if start and end and start > end:
        raise ValidationError(_("start_date must come before end_date."))
    issues = issues.filter(created_at__gte=start or (end or timezone.now()) - DEFAULT_WINDOW)
    if end:
        issues = issues.filter(created_at__lte=end)
    statuses = _statuses(query)
    if statuses == {"open"}:
        issues = issues.filter(status__in=Issue.OPEN_STATUSES)
    elif statuses == {"closed"}:
        issues = issues.exclude(status__in=Issue.OPEN_STATUSES)
    return issues


# Issues as service requests --------------------------------------------------------------


def _public_issues():
    """Public fields only: the case (who, contact, exact address) is never joined."""
    return Issue.objects.select_related("category", "grid").prefetch_related("photos")


def _iso(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _description(issue: Issue) -> str:
    """Title and body as one text, without repeating a title that was cut from the body's first line."""
    if issue.body.startswith(issue.title.removesuffix("…")):
        return issue.body
    return f"{issue.title}\n\n{issue.body}"


def _status_notes(issue: Issue) -> str:
    label = str(issue.get_status_display())
    return f"{label} → #{issue.merged_into_id}" if issue.merged_into_id else label


def _as_request(request, issue: Issue) -> dict:
    photo = next(iter(issue.photos.all()), None)
    return {
        "service_request_id": str(issue.pk),
        "status": "open" if issue.is_open else "closed",
        "status_notes": _status_notes(issue),
        "service_name": issue.category.local_name,
        "service_code": str(issue.category_id),
        "description": _description(issue),
        "agency_responsible": str(issue.grid),
        "service_notice": None,
        "requested_datetime": _iso(issue.created_at),
        "updated_datetime": _iso(issue.updated_at),
        "expected_datetime": None,
        "address": issue.location,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": request.build_absolute_uri(photo.image.url) if photo else None,
    }


# Raising ---------------------------------------------------------------------------------


def _token_user(request):
    """The owner of the API key (form field or bearer header), if the key may raise issues."""
    header = request.headers.get("Authorization", "")
    raw = header[7:] if header[:7].lower() == "bearer " else request.POST.get("api_key", "")
    if not raw.strip():
        raise PermissionDenied(
            _("Send your API key as api_key, or in an “Authorization: Bearer” header.")
        )
    token = community_services.authenticate_api_token(raw.strip())
    if token is None:
        raise PermissionDenied(_("This API key is not valid or was revoked."))
    if ApiToken.Scope.ISSUES not in token.scopes:
        raise PermissionDenied(  # the same words as the v1 API's refusal
            _("This token may not do this: it lacks the “%(scope)s” scope.") % {"scope": ApiToken.Scope.ISSUES}
        )
    return token.user


def _category(request) -> Category:
    code, community = request.POST.get("service_code", "").strip(), _jurisdiction(request)
    categories = Category.objects.select_related("community").filter(active=True)
    if community:
        categories = categories.filter(community=community)
    category = categories.filter(pk=int(code)).first() if _is_id(code) else None
    if category is None:
        raise ValidationError(_("Choose one of the community's categories."))
    return category


def _title(description: str) -> str:
    line, limit = description.strip().splitlines()[0].strip(), max_length(Issue, "title")
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _coordinates(post) -> str:
    """lat/long, kept in the private case for the grid workers: a phone's position may be a home."""
    lat, lng = post.get("lat", "").strip(), post.get("long", "").strip()
    if not lat and not lng:
        return ""
    try:
        lat_value, lng_value = float(lat), float(lng)
    except ValueError:
        lat_value = lng_value = math.nan
    if not (math.isfinite(lat_value) and math.isfinite(lng_value)
            and abs(lat_value) <= 90 and abs(lng_value) <= 180):
        raise ValidationError(_("lat and long are decimal degrees; send both or neither."))
    return f"{lat_value:.6f}, {lng_value:.6f}"


def _raise(request) -> JsonResponse:
    """POST requests.json: a verified resident raises an issue in their home grid."""
    user = _token_user(request)
    category = _category(request)
    grid = permissions.home_grid(user, category.community)
    permissions.require(
        grid is not None,
        _("Only verified residents of this grid can raise an issue here. Ask to join the grid first."),
    )
    description = clean_text(request.POST.get("description"), field=_("The description"),
                             limit=max_length(Issue, "body"))
    issue = issues_services.raise_issue(
        user, grid_id=grid.pk, category_id=category.pk, title=_title(description), body=description,
        location=request.POST.get("address_string", ""), contact=request.POST.get("phone", ""),
        address=_coordinates(request.POST),
    )
    notice = _("Your issue was raised. The grid workers have been told.")
    return _json(request, [
        {"service_request_id": str(issue.pk), "service_notice": notice, "account_id": None},
    ])


# Views -----------------------------------------------------------------------------------


@require_GET
@_open311
def service_list(request):
    community = _community(request)
    categories = community.categories.filter(active=True).order_by("position", "name")
    return _json(request, [
        {"service_code": str(c.pk), "service_name": c.local_name, "description": "", "metadata": False,
         "type": "realtime", "keywords": "", "group": ""}
        for c in categories
    ])


@csrf_exempt  # authenticated by its API key alone; cookies are never read
@require_http_methods(["GET", "POST"])
@_open311
def request_list(request):
    if request.method == "POST":
        return _raise(request)
    community = _community(request)
    issues = _filtered(_public_issues().filter(community=community), request.GET)
    issues = issues.order_by("-created_at", "-pk")[:MAX_RESULTS]
    return _json(request, [_as_request(request, issue) for issue in issues])


@require_GET
@_open311
def request_detail(request, service_request_id: str):
    """One request, as a one-element array; any public issue, or only the named jurisdiction's."""
    issues = _public_issues()
    community = _jurisdiction(request)
    if community:
        issues = issues.filter(community=community)
    issue = issues.filter(pk=service_request_id).first() if _is_id(service_request_id) else None
    if issue is None:
        raise Http404(_("There is no service request with this id."))
    return _json(request, [_as_request(request, issue)])


@csrf_exempt  # writes nothing: only says which format to use
@_open311
def only_json(request, resource: str):
    raise Http404(_("Only the JSON format is offered: ask for %(resource)s.json.") % {"resource": resource})


urlpatterns = [
    path("services.json", service_list, name="services"),
    path("requests.json", request_list, name="requests"),
    path("requests/<str:service_request_id>.json", request_detail, name="request"),
    re_path(r"^(?P<resource>.+)\.xml$", only_json, name="only-json"),
]
