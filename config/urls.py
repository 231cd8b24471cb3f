from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from consult.views import community as consult_views

urlpatterns = [
    path("", include("consult.urls")),
    path("", include("meetings.urls")),
    path("", include("polls.urls")),
    path("", include("audit.urls")),
    path("", include("api.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", consult_views.set_language, name="set_language"),
    path("healthz", consult_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("media/<path:path>", consult_views.media, name="media"),
    path("favicon.ico", RedirectView.as_view(url=static("img/favicon.svg"), permanent=True)),
]
