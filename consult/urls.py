from django.urls import path

from consult.views import community, issues, outcomes

app_name = "consult"

urlpatterns = [
    path("issues/", issues.issue_list, name="issue-list"),
    path("issues/queue/", issues.work_queue, name="issue-queue"),
    path("issues/new", issues.issue_new, name="issue-new"),
    path("issues/<int:pk>/", issues.issue_detail, name="issue-detail"),
    path("issues/<int:pk>/follow", issues.follow, name="issue-follow"),
    path("issues/<int:pk>/<str:action>", issues.issue_action, name="issue-action"),
    path("tasks/<int:pk>/update", issues.task_update, name="task-update"),
    path("outcomes/", outcomes.outcomes, name="outcomes"),
    path("outcomes/<int:pk>/", outcomes.decision_detail, name="decision-detail"),
    path("notifications/", outcomes.notifications, name="notifications"),
    path("notifications/read", outcomes.notifications_read, name="notifications-read"),
    path("", community.home, name="home"),
    path("account/", community.account, name="account"),
    path("account/requests/<int:pk>/withdraw", community.withdraw_request, name="request-withdraw"),
    path("c/<slug:slug>/", community.community_detail, name="community-detail"),
    path("c/<slug:slug>/grids/<int:number>/", community.grid_detail, name="grid-detail"),
    path("c/<slug:slug>/join/", community.join, name="join"),
    path("c/<slug:slug>/requests/", community.membership_queue, name="membership-queue"),
    path(
        "c/<slug:slug>/requests/<int:pk>/approve",
        community.decide_request,
        {"decision": "approve"},
        name="request-approve",
    ),
    path(
        "c/<slug:slug>/requests/<int:pk>/reject",
        community.decide_request,
        {"decision": "reject"},
        name="request-reject",
    ),
]
