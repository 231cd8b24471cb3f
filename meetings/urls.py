from django.urls import path

from meetings import views
from meetings.feeds import MeetingsFeed

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/new", views.meeting_new, name="meeting-new"),
    path("meetings/feed.atom", MeetingsFeed(), name="meetings-feed"),
    path("meetings/agenda-from-issue", views.issue_to_agenda, name="issue-to-agenda"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>.ics", views.meeting_ics, name="meeting-ics"),
    path("meetings/<int:pk>/minutes-view", views.minutes_view, name="minutes-view"),
    path("meetings/<int:pk>/region/<slug:region>", views.meeting_region, name="meeting-region"),
    path("meetings/<int:pk>/minutes-print", views.minutes_print, name="minutes-print"),
    path("meetings/<int:pk>/edit", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/cancel", views.meeting_cancel, name="meeting-cancel"),
    path("meetings/items/<int:item_pk>/edit", views.agenda_item_edit, name="agenda-item-edit"),
    path("meetings/<int:pk>/<str:action>", views.meeting_action, name="meeting-action"),
    path("c/<slug:slug>/meetings.ics", views.community_calendar, name="community-calendar"),
]
