"""WebSocket routes of every app, in one list."""

from django.urls import path

from consult.consumers import ConsultationConsumer
from issues.consumers import IssueConsumer, IssueListConsumer
from meetings.consumers import MeetingConsumer
from notifications.consumers import AccountConsumer
from polls.consumers import PollConsumer

websocket_urlpatterns = [
    path("ws/me/", AccountConsumer.as_asgi()),
    path("ws/issues/<int:issue_id>/", IssueConsumer.as_asgi()),
    path("ws/issue-lists/", IssueListConsumer.as_asgi()),
    path("ws/consultations/<int:consultation_id>/", ConsultationConsumer.as_asgi()),
    path("ws/meetings/<int:meeting_id>/", MeetingConsumer.as_asgi()),
    path("ws/polls/<int:poll_id>/", PollConsumer.as_asgi()),
]
