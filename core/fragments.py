"""Rendered page fragments kept in their own cache ("fragments" in settings.CACHES: in memory for one process,
Redis for many), so that a big page costs a cache read instead of its queries and its template work.

A fragment's key holds everything that changes what it shows:

- its name and the ids it shows (``"consultation-body", consultation.pk``);
- versions: counters kept in the same cache, which the services that change what a fragment shows bump
  (``bump("consultation", pk)``, often through a post_save/post_delete signal), and where a page already
  reads one, the id of the object's latest event (a write anywhere, in any process, moves it on);
- the audience: who the fragment is rendered for. Only audiences that see the same thing are shared (the
  anonymous reader; a meeting's readers; its chair's team). ``None`` means "personal": rendered, never cached;
- the active language and the request's query string (page, sort, filter). A fragment kept for a query string
  expires after ``QUERY_TIMEOUT`` seconds at most: anyone may invent query strings, and each would otherwise
  hold a copy of the page in the cache for ``TIMEOUT`` seconds.

Nothing personal is stored: a CSRF token inside a fragment is stored as a placeholder and replaced, per
request, by that request's own token. Fragments also expire after ``TIMEOUT`` seconds, a bound on what a
write that bumps nothing (a resident's new display name) can leave stale.

The cache is never needed: when it cannot be reached (Redis restarting), pages are rendered without it, writes
commit all the same, and the versions they could not bump are bumped as soon as it answers again. After a
failure the process leaves it alone for ``RESTING`` seconds, so that an outage costs one timeout, not one per
request.
"""

import hashlib
import logging
import threading
import time

from django.core.cache import caches
from django.db import transaction
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.safestring import mark_safe

CACHE = "fragments"
TIMEOUT = 600
QUERY_TIMEOUT = 60
CSRF_PLACEHOLDER = "\x00csrf-token\x00"
RESTING = 5.0

logger = logging.getLogger(__name__)

try:
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis is pinned; the embedded default does not use it
    RedisError = OSError
UNREACHABLE = (OSError, RedisError)

_lock = threading.Lock()
_resting_until = 0.0
_unbumped: set[str] = set()  # version keys a write could not bump while the cache was unreachable


def store():
    return caches[CACHE]


def _attempt(operation, otherwise):
    """``operation()``'s result, or ``otherwise`` when the cache cannot be reached (or was not, a moment ago).
    Versions left unbumped by an outage are bumped first, before anything is read under them."""
    global _resting_until
    if time.monotonic() < _resting_until:
        return otherwise
    try:
        if _unbumped:
            _bump_unbumped()
        return operation()
    except UNREACHABLE as error:
        _resting_until = time.monotonic() + RESTING
        logger.warning("Fragment cache unreachable (%s); pages are rendered without it for %.0f s", error, RESTING)
        return otherwise


def _bump_unbumped() -> None:
    with _lock:
        for version_key in sorted(_unbumped):
            _bump(version_key)
            _unbumped.discard(version_key)


def _version_key(scope: tuple) -> str:
    return "v:" + ":".join(str(part) for part in scope)


def version(*scope) -> int:
    """The current version of ``scope`` (e.g. ``("consultation", 3)``). Harmless when the cache is unreachable:
    a fragment is rendered after its version is read, so it is never older than the version it is kept under."""
    value = _attempt(lambda: store().get(_version_key(scope)), None)
    return 0 if value is None else value


def versions(*scopes: tuple) -> list[int]:
    """Several versions in one cache read."""
    keys = [_version_key(scope) for scope in scopes]
    found = _attempt(lambda: store().get_many(keys), {})
    return [found.get(key, 0) for key in keys]


def bump(*scope) -> None:
    """Every fragment keyed by this scope's version is stale from now on. A missing counter starts from the
    clock, never from 0, so a counter evicted from the cache cannot come back to a version already used.
    Never fails the write it follows: a version the cache could not take is bumped when it answers again."""
    version_key = _version_key(scope)
    if not _attempt(lambda: _bump(version_key), False):
        _unbumped.add(version_key)


def _bump(version_key: str) -> bool:
    cache = store()
    cache.add(version_key, time.time_ns(), None)
    try:
        cache.incr(version_key)
    except ValueError:  # evicted between the two calls
        cache.add(version_key, time.time_ns(), None)
    return True


def bump_on_commit(*scope) -> None:
    """``bump`` now and again after the commit: a page rendered from the old rows between the two (the
    transaction not committed yet) cannot stay stored under the version that follows the write."""
    bump(*scope)
    transaction.on_commit(lambda: bump(*scope), robust=True)


def remembered(parts: tuple, compute, timeout: int = TIMEOUT):
    """``compute()``'s value (anything that pickles, never None), kept in the fragments cache under ``parts``,
    which must hold the versions of what it reads (``("poll-options", pk, version("poll", pk))``)."""
    value_key = "r:" + ":".join(str(part) for part in parts)
    value = _attempt(lambda: store().get(value_key), None)
    if value is None:
        value = compute()
        _attempt(lambda: store().set(value_key, value, timeout), None)
    return value


def anonymous(request) -> str | None:
    """The audience of a page that only anonymous readers share: everyone signed in sees their own bits."""
    user = getattr(request, "user", None)
    return "anonymous" if user is not None and not user.is_authenticated else None


def key(name: str, parts, audience: str, request=None) -> str:
    query = request.META.get("QUERY_STRING", "") if request is not None else ""
    raw = "|".join([name, *(str(p) for p in parts), audience, translation.get_language() or "", query])
    return f"f:{name}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def personalise(html: str, request) -> str:
    """A stored fragment made this request's: its own CSRF token in place of the placeholder."""
    if CSRF_PLACEHOLDER in html and request is not None:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308 - rendered by our templates, autoescaped when it was rendered


def cached(name: str, parts, audience: str | None, render, request=None, timeout: int = TIMEOUT, *,
           personal: bool = True) -> str:
    """``render()``'s HTML (rendered with ``CSRF_PLACEHOLDER`` as the CSRF token), from the cache when this
    key was rendered before. ``audience=None``: rendered every time, never stored. ``personal=False`` leaves
    the placeholder in (a fragment inside another one being rendered for the cache)."""
    if not audience or (request is not None and request.method not in ("GET", "HEAD")):
        html = str(render())
    else:
        fragment_key = key(name, parts, audience, request)
        if request is not None and request.META.get("QUERY_STRING"):
            timeout = min(timeout, QUERY_TIMEOUT)
        html = _attempt(lambda: store().get(fragment_key), None)
        if html is None:
            html = str(render())
            _attempt(lambda: store().set(fragment_key, html, timeout), None)
    return personalise(html, request) if personal else mark_safe(html)  # noqa: S308 - see personalise
