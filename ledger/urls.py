from django.urls import path

from ledger import views
from ledger.feeds import DecisionsFeed

app_name = "ledger"

urlpatterns = [
    path("outcomes/", views.outcomes, name="outcomes"),
    path("outcomes/feed.atom", DecisionsFeed(), name="decisions-feed"),
    path("outcomes/<int:pk>/", views.decision_detail, name="decision-detail"),
]
