"""How often one person may do something: counted in the cache, refused with ``RateLimited``.

Services call ``hit(actor, "<action>")`` first, before they write, so every way in — pages, the API,
Open311, sockets — is limited alike and a refused attempt stores nothing. Each action has one or more
windows (a count and a number of seconds). A window starts at the person's first attempt and its
counter expires with it: ``cache.add`` creates the counter with the window as its lifetime and
``cache.incr`` counts atomically, in Redis across processes or in the process's memory without it.

The numbers are far above what a person does by hand (see docs/limits.md); ``YISHI_RATE_LIMITS``
in the settings replaces an action's windows, e.g. ``{"issue": [(2, 3600)]}``.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# action: ((at most, per seconds), ...), and what the person is told when they reach it.
LIMITS: dict[str, tuple[tuple[tuple[int, int], ...], str]] = {
    "issue": (((20, 3600), (100, 86400)), gettext_lazy("You raised many issues in a short time.")),
    "proposal": (((10, 3600),), gettext_lazy("You submitted many proposals in a short time.")),
    "comment": (((10, 60), (200, 86400)), gettext_lazy("You wrote many comments in a short time.")),
    "support": (((60, 60),), gettext_lazy("You changed many supports in a short time.")),
    "upvote": (((60, 60),), gettext_lazy("You upvoted many comments in a short time.")),
    "report": (((20, 3600),), gettext_lazy("You sent many reports in a short time.")),
    "ballot": (((30, 60),), gettext_lazy("You voted many times in a short time.")),
    "token": (((20, 3600),), gettext_lazy("You created many API tokens in a short time.")),
}


class RateLimited(Exception):
    """Too many attempts: answered with HTTP 429, the API's 429 error, or a socket's error frame."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after

    def __str__(self) -> str:
        return self.message


def windows(action: str) -> tuple[tuple[int, int], ...]:
    overrides = getattr(settings, "YISHI_RATE_LIMITS", None) or {}
    return tuple(tuple(w) for w in overrides.get(action, LIMITS[action][0]))


def hit(actor, action: str) -> None:
    """Count one attempt of ``action`` by ``actor``; raise ``RateLimited`` if a window is already full."""
    who = getattr(actor, "pk", None)
    if who is None:  # the anonymous are refused by the permission check, not here
        return
    for count, seconds in windows(action):
        key = f"limit:{action}:{who}:{seconds}"
        cache.add(key, 0, timeout=seconds)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr: this attempt opens a new window
            cache.add(key, 1, timeout=seconds)
            used = 1
        if used > count:
            raise RateLimited(
                _("%(reason)s Please wait a little and try again.") % {"reason": LIMITS[action][1]},
                retry_after=seconds,
            )
