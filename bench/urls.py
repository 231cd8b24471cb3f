"""The app's URLs plus ``/bench/trivial/``: the baseline that page latencies are divided by."""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    """No database, no template: what Daphne and Django cost for any page."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("", include("config.urls")),
]
