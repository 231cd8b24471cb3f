from django.urls import path

from polls import owners_views, recount, views

app_name = "polls"

urlpatterns = [
    path("polls/", views.poll_list, name="poll-list"),
    path("polls/new", views.poll_new, name="poll-new"),
    path("polls/new-owners", owners_views.owners_new, name="owners-new"),
    path("polls/results.csv", recount.results_csv, name="results-csv"),
    path("polls/verify.py", recount.verifier, name="verifier"),
    path("polls/for-meeting/<int:pk>", views.meeting_poll, name="meeting-poll"),
    path("polls/for-consultation/<int:pk>", views.consultation_poll, name="consultation-poll"),
    path("polls/<int:pk>/", views.poll_detail, name="poll-detail"),
    path("polls/<int:pk>/vote", views.vote, name="poll-vote"),
    path("polls/<int:pk>/owner-vote", owners_views.owner_vote, name="owner-vote"),
    path("polls/<int:pk>/paper", owners_views.paper_ballot, name="paper-ballot"),
    path("polls/<int:pk>/paper-settle", owners_views.settle_paper, name="paper-settle"),
    path("polls/<int:pk>/proxy", owners_views.proxy, name="proxy"),
    path("polls/<int:pk>/edit", views.poll_edit, name="poll-edit"),
    path("polls/<int:pk>/observers", views.observers, name="poll-observers"),
    path("polls/<int:pk>/confirm-digest", views.confirm_digest, name="poll-confirm-digest"),
    path("polls/<int:pk>/recount/", recount.recount, name="poll-recount"),
    path("polls/<int:pk>/<str:what>.<str:fmt>", recount.download, name="poll-download"),
    path("polls/<int:pk>/<str:action>", views.poll_action, name="poll-action"),
]
