"""The JSON API, version 1: what the public reads, and what a resident does, through the pages' services.

The OpenAPI 3 document is generated from the code at ``/api/v1/openapi.json``; ``/api/v1/docs`` is
its interactive page. Errors always answer ``{"message": ..., "errors": [...]}``.
"""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as InputError
from ninja.renderers import JSONRenderer

from api.v1 import community, consultations, decisions, issues, meetings, polls
from core.http import error_messages
from core.limits import RateLimited


class Renderer(JSONRenderer):
    """UTF-8 JSON: Chinese text as itself, not as escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Yishi API",
    version="1",
    description=(
        "Read everything the public may see: communities, issues, consultations, meetings, polls, "
        "decisions and their follow-up. Residents write with their session (and the CSRF token) or a "
        "personal token from their account page, sent as `Authorization: Bearer …`. "
        "Lists are paginated (`page`, `page_size` up to 100) and newest first."
    ),
    urls_namespace="api-v1",
    renderer=Renderer(),
)


def _error(request, status: int, message: str, errors: list | None = None):
    return api.create_response(request, {"message": message, "errors": errors or []}, status=status)


@api.exception_handler(ValidationError)
def _invalid(request, error):
    return _error(request, 400, " ".join(error_messages(error)))


@api.exception_handler(RateLimited)
def _too_many(request, error):
    response = _error(request, 429, str(error))
    response["Retry-After"] = str(error.retry_after)
    return response


@api.exception_handler(PermissionDenied)
def _forbidden(request, error):
    return _error(request, 403, str(error) or _("You are not allowed to do this."))


@api.exception_handler(Http404)
def _not_found(request, error):
    return _error(request, 404, _("Not found."))


@api.exception_handler(ObjectDoesNotExist)
def _missing(request, error):
    return _error(request, 404, _("Not found."))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, error):
    return _error(request, 401, _("Sign in, or send a personal API token: Authorization: Bearer …"))


@api.exception_handler(InputError)
def _bad_input(request, error):
    fields = [{"field": ".".join(str(part) for part in e.get("loc", [])), "message": e.get("msg", "")}
              for e in error.errors]
    return _error(request, 422, _("Some fields are missing or not valid."), fields)


@api.exception_handler(HttpError)
def _http_error(request, error):
    if error.status_code == 403 and "CSRF" in str(error):  # the session writes without the page's token
        return _error(request, 403, _("The CSRF check failed: send the page's CSRF token as the X-CSRFToken "
                                      "header, or use a personal API token instead of the session."))
    return _error(request, error.status_code, str(error))


api.add_router("", community.router)
api.add_router("", issues.router)
api.add_router("", consultations.router)
api.add_router("", meetings.router)
api.add_router("", polls.router)
api.add_router("", decisions.router)
