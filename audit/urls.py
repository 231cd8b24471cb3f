from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("c/<slug:slug>/audit/", views.audit_log, name="log"),
]
