from django.urls import path

from consult import views
from consult.feeds import ConsultationsFeed

app_name = "consult"

urlpatterns = [
    path("consultations/", views.consultation_list, name="consultation-list"),
    path("consultations/new", views.consultation_new, name="consultation-new"),
    path("consultations/feed.atom", ConsultationsFeed(), name="consultations-feed"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation-detail"),
    path("consultations/<int:pk>/edit", views.consultation_edit, name="consultation-edit"),
    path("consultations/<int:pk>/propose", views.proposal_new, name="proposal-new"),
    path("consultations/<int:pk>/<str:action>", views.consultation_action, name="consultation-action"),
    path("attachments/<int:pk>/remove", views.attachment_remove, name="attachment-remove"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("proposals/<int:pk>/edit", views.proposal_edit, name="proposal-edit"),
    path("proposals/<int:pk>/<str:action>", views.proposal_action, name="proposal-action"),
    path("comments/<int:pk>/", views.comment_fragment, name="comment-fragment"),
    path("comments/<int:pk>/<str:action>", views.comment_action, name="comment-action"),
    path("search/", views.search, name="search"),
    path("c/<slug:slug>/moderation/", views.moderation, name="moderation"),
]
