from django.urls import path

from consult.feeds import ConsultationsFeed, DecisionsFeed
from consult.views import community, consultations, exports, issues, outcomes, stats

app_name = "consult"

urlpatterns = [
    path("issues/", issues.issue_list, name="issue-list"),
    path("issues/queue/", issues.work_queue, name="issue-queue"),
    path("issues/new", issues.issue_new, name="issue-new"),
    path("issues/<int:pk>/", issues.issue_detail, name="issue-detail"),
    path("issues/<int:pk>/follow", issues.follow, name="issue-follow"),
    path("issues/<int:pk>/<str:action>", issues.issue_action, name="issue-action"),
    path("tasks/<int:pk>/update", issues.task_update, name="task-update"),
    path("consultations/", consultations.consultation_list, name="consultation-list"),
    path("consultations/new", consultations.consultation_new, name="consultation-new"),
    path("consultations/<int:pk>/", consultations.consultation_detail, name="consultation-detail"),
    path("consultations/<int:pk>/edit", consultations.consultation_edit, name="consultation-edit"),
    path("consultations/<int:pk>/propose", consultations.proposal_new, name="proposal-new"),
    path("consultations/<int:pk>/<str:action>", consultations.consultation_action, name="consultation-action"),
    path("attachments/<int:pk>/remove", consultations.attachment_remove, name="attachment-remove"),
    path("proposals/<int:pk>/", consultations.proposal_detail, name="proposal-detail"),
    path("proposals/<int:pk>/edit", consultations.proposal_edit, name="proposal-edit"),
    path("proposals/<int:pk>/<str:action>", consultations.proposal_action, name="proposal-action"),
    path("comments/<int:pk>/", consultations.comment_fragment, name="comment-fragment"),
    path("comments/<int:pk>/<str:action>", consultations.comment_action, name="comment-action"),
    path("search/", consultations.search, name="search"),
    path("stats/", stats.scorecards, name="stats"),
    path("c/<slug:slug>/moderation/", consultations.moderation, name="moderation"),
    path("c/<slug:slug>/warnings/", stats.warnings, name="warnings"),
    path("outcomes/", outcomes.outcomes, name="outcomes"),
    path("outcomes/feed.atom", DecisionsFeed(), name="decisions-feed"),
    path("outcomes/decisions.csv", exports.decisions_csv, name="decisions-csv"),
    path("issues/issues.csv", exports.issues_csv, name="issues-csv"),
    path("consultations/feed.atom", ConsultationsFeed(), name="consultations-feed"),
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
