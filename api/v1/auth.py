"""Who is calling: a personal token (``Authorization: Bearer ...``) or the browser's session with CSRF.

Reads need neither: they show what the public sees. Writes need one of them, and a token must
carry the scope of the write; a session may do whatever its person may do on the pages.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from community import services


class TokenAuth(HttpBearer):
    """A personal API token created on the account page."""

    def authenticate(self, request, token: str):
        found = services.authenticate_api_token(token)
        if found is None:
            return None
        request.user = found.user
        request.api_token = found
        return found.user


class SessionAuth(NinjaSessionAuth):
    """The signed-in browser session (Ninja's own, which checks the CSRF token on unsafe methods), used
    only when no token is sent and someone is signed in: "who are you?" (401), not a CSRF complaint."""

    def __call__(self, request):
        if request.headers.get("Authorization", "").lower().startswith("bearer"):
            return None  # a caller that sends a token is judged by the token alone
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        return super().__call__(request)


WRITE_AUTH = [TokenAuth(), SessionAuth()]


def require_scope(request, scope: str) -> None:
    """A token may only do what its scopes say; the session is the person themselves."""
    token = getattr(request, "api_token", None)
    if token is not None and scope not in token.scopes:
        raise PermissionDenied(_("This token may not do this: it lacks the “%(scope)s” scope.") % {"scope": scope})
