from django.urls import path

from ledger import views
from ledger.feeds import DecisionsFeed

app_name = "ledger"

urlpatterns = [
    path("outcomes/", views.outcomes, name="outcomes"),
    path("tasks/ours/", views.our_tasks, name="our-tasks"),
    path("outcomes/feed.atom", DecisionsFeed(), name="decisions-feed"),
    path("outcomes/<int:pk>/", views.decision_detail, name="decision-detail"),
    path("outcomes/<int:pk>/tasks", views.decision_add_task, name="decision-add-task"),
    path("outcomes/<int:pk>/no-follow-up", views.decision_no_follow_up, name="decision-no-follow-up"),
]
