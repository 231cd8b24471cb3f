from django.contrib import admin
from django.urls import include, path

from consult import views as consult_views

urlpatterns = [
    path("", include("consult.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", consult_views.set_language, name="set_language"),
    path("healthz", consult_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
