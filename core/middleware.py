"""A signed-in person's preferred language wins over the browser's; too fast is a 429, too big a 413; an
address carrying a NUL character is refused before any view reads it."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from core.limits import RateLimited


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
