from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read", views.notifications_read, name="notifications-read"),
    path("notifications/<int:pk>/open", views.notification_open, name="notification-open"),
]
