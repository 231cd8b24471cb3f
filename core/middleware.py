"""A signed-in person's preferred language wins over the browser's; too fast is a 429, too big a 413; an
address carrying a NUL character is refused before any view reads it."""

import re
import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils import translation
from django.utils.translation import gettext as _

from core.limits import RateLimited
from core.mail import request_address


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class RateLimitMiddleware:
    """A service's ``RateLimited`` becomes HTTP 429: a page, or for htmx a notice in the page's live region."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RateLimited):
            return None
        if request.headers.get("HX-Request"):
            response = render(request, "includes/rate_limited.html", {"exception": exception}, status=429)
            response["HX-Retarget"] = "#live-notice"
            response["HX-Reswap"] = "innerHTML"
        else:
            response = render(request, "429.html", {"exception": exception}, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response


class RequestSizeMiddleware:
    """Refuse a request whose body is larger than ``YISHI_MAX_REQUEST_BYTES`` before anything reads it (413).

    Each file has its own, smaller limit, checked by its content (``core/photos.py``, attachments)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0
        limit = settings.YISHI_MAX_REQUEST_BYTES
        if size <= limit:
            return self.get_response(request)
        message = _("What you sent is larger than %(size)s MB in all. Send fewer or smaller files.") % {
            "size": limit // (1024 * 1024) or 1}
        if request.path.startswith("/api/"):
            return JsonResponse({"message": message, "errors": []}, status=413)
        return render(request, "413.html", {"message": message}, status=413)


class RequestAddressMiddleware:
    """Remember the address this request came to (its host already checked against ALLOWED_HOSTS), so
    that mail sent while serving it links back to the site under the address people use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            address = f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:
            address = ""
        token = request_address.set(address)
        try:
            return self.get_response(request)
        finally:
            request_address.reset(token)


class NulCharacterMiddleware:
    """Refuse an address whose query carries a NUL character (``%00``): no text of ours holds one (forms refuse
    it), and PostgreSQL cannot even compare with it. The API answers 422 as for any invalid parameter."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" not in request.META.get("QUERY_STRING", "") and not any(
                "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            return self.get_response(request)
        message = _("The address contains a character that is not allowed.")
        if request.path.startswith("/api/"):
            return JsonResponse({"message": message, "errors": []}, status=422)
        return render(request, "400.html", {"message": message}, status=400)


ONCE_FIELD = "submit_once"
_ONCE_TOKEN = re.compile(r"[0-9a-f]{32}")
_PENDING = "pending"


class SubmitOnceMiddleware:
    """A form sent twice is done once. Forms carry a token (``{% submit_once %}``); the first post with it runs,
    and when it succeeds (a redirect to its result) the token remembers where it led. A second post with the same
    token — a double tap, "back" and send again, a browser's retry on a slow connection — runs nothing: it goes to
    the first one's result, saying so; while the first is still running, it waits for it. A post that failed (the
    form comes back with its errors) forgets its token, and the form shown again carries a new one."""

    WAIT_SECONDS = 10

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request.POST.get(ONCE_FIELD, "") if request.method == "POST" else ""
        user = getattr(request, "user", None)
        if not _ONCE_TOKEN.fullmatch(token) or not (user and user.is_authenticated):
            return self.get_response(request)
        key = f"submit-once:{user.pk}:{token}"
        if cache.add(key, _PENDING, 3600):
            response = self.get_response(request)
            if response.status_code in (301, 302, 303) and response.get("Location"):
                cache.set(key, response["Location"], 86400)
            else:
                cache.delete(key)
            return response
        deadline = time.monotonic() + self.WAIT_SECONDS
        result = cache.get(key)
        while result == _PENDING and time.monotonic() < deadline:
            time.sleep(0.1)
            result = cache.get(key)
        if result is None:  # the first one failed meanwhile: this one is a real second try
            return self.__call__(request)
        messages.info(request, _("You sent this already; here is the result. Nothing was done twice."))
        if result == _PENDING:
            back = request.headers.get("Referer", "")
            return redirect(back if url_has_allowed_host_and_scheme(back, {request.get_host()}) else "/")
        return redirect(result)
