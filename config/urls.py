from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from community.views import account as account_views
from core import views as core_views

urlpatterns = [
    path("", include("insights.urls")),
    path("", include("community.urls")),
    path("", include("notifications.urls")),
    path("", include("ledger.urls")),
    path("", include("issues.urls")),
    path("", include("consult.urls")),
    path("", include("meetings.urls")),
    path("", include("polls.urls")),
    path("", include("api.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("media/<path:path>", core_views.media, name="media"),
    path("favicon.ico", RedirectView.as_view(url=static("img/favicon.svg"), permanent=True)),
]
