from django.urls import path

from issues import views, views_calendar

app_name = "issues"

urlpatterns = [
    path("issues/", views.issue_list, name="issue-list"),
    path("issues/queue/", views.work_queue, name="issue-queue"),
    path("issues/new", views.issue_new, name="issue-new"),
    path("issues/<int:pk>/", views.issue_detail, name="issue-detail"),
    path("issues/<int:pk>/follow", views.follow, name="issue-follow"),
    path("issues/<int:pk>/<str:action>", views.issue_action, name="issue-action"),
    path("tasks/<int:pk>/update", views.task_update, name="task-update"),
    path("c/<slug:slug>/calendar/", views_calendar.calendar_page, name="calendar"),
    path("c/<slug:slug>/load/", views.worker_load, name="load"),
]
