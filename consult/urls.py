from django.urls import path

from consult import views

app_name = "consult"

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
    path("account/requests/<int:pk>/withdraw", views.withdraw_request, name="request-withdraw"),
    path("c/<slug:slug>/", views.community_detail, name="community-detail"),
    path("c/<slug:slug>/grids/<int:number>/", views.grid_detail, name="grid-detail"),
    path("c/<slug:slug>/join/", views.join, name="join"),
    path("c/<slug:slug>/requests/", views.membership_queue, name="membership-queue"),
    path(
        "c/<slug:slug>/requests/<int:pk>/approve",
        views.decide_request,
        {"decision": "approve"},
        name="request-approve",
    ),
    path(
        "c/<slug:slug>/requests/<int:pk>/reject",
        views.decide_request,
        {"decision": "reject"},
        name="request-reject",
    ),
]
