"""GET pages and API reads only read: deadlines, digests, early warnings and poll closing are the
worker's tasks. Every table is compared before and after, past every deadline there is."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from community.models.accounts import EmailFrequency
from issues import services as issues_services
from issues.models import Issue
from notifications.models import Notification
from polls.models import Poll
from tests.conftest import make_user
from tests.polls.conftest import make_poll, voters  # noqa: F401 - a fixture


def every_row() -> dict[str, list[dict]]:
    return {model._meta.label: list(model._default_manager.order_by("pk").values()) for model in apps.get_models()}


@pytest.fixture
def everything_overdue(issue, grid, category, resident, chair, community, voters):  # noqa: F811
    """An issue past its response deadline, one past its rating window, a digest due and a poll past its time."""
    long_ago = timezone.now() - timedelta(days=30)
    Issue.objects.filter(pk=issue.pk).update(response_due_at=long_ago)
    rated = issues_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="Fixed long ago",
                                        body="B")
    Issue.objects.filter(pk=rated.pk).update(status=Issue.Status.RESOLVED, tier="routine", resolved_at=long_ago,
                                             first_response_at=long_ago)
    daily = make_user("daily@test.org", "Dai", email_frequency=EmailFrequency.DAILY)
    Notification.objects.create(user=daily, message="Waiting for the digest", in_digest=True)
    poll = make_poll(chair, community, closes_at=timezone.now() + timedelta(hours=1))
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=5))
    return {"issue": issue, "rated": rated, "poll": poll}


PUBLIC_READS = [
    "/", "/issues/", "/issues/?status=new", "/polls/", "/api/v1/issues", "/api/v1/issues?open=true", "/api/v1/polls",
    "/api/v1/polls?status=open", "/open311/v2/requests.json", "/open311/v2/requests.json?jurisdiction_id=canary",
    "/stats/", "/outcomes/",
]


def test_reading_pages_and_the_api_past_every_deadline_changes_no_row(client, everything_overdue, chair):
    issue, rated, poll = everything_overdue["issue"], everything_overdue["rated"], everything_overdue["poll"]
    reads = [*PUBLIC_READS, issue.get_absolute_url(), rated.get_absolute_url(), poll.get_absolute_url(),
             f"/api/v1/issues/{issue.pk}", f"/api/v1/polls/{poll.pk}", f"/open311/v2/requests/{issue.pk}.json"]
    client.force_login(chair)  # the committee's work queue lists escalations
    before = every_row()
    for url in [*reads, "/issues/queue/"]:
        assert client.get(url).status_code == 200, url
    client.logout()
    before_anonymous = every_row()
    for url in reads:
        assert client.get(url).status_code == 200, url
    assert every_row() == before_anonymous
    before.pop("sessions.Session"), before_anonymous.pop("sessions.Session")
    assert before == before_anonymous  # signed in or not, nothing was written


def test_the_committee_sees_an_overdue_issue_as_escalated_before_the_sweep_marks_it(client, everything_overdue,
                                                                                     chair):
    issue = everything_overdue["issue"]
    client.force_login(chair)
    html = client.get("/issues/queue/").content.decode()
    escalated = html.split('id="escalated-title"')[1].split("</section>")[0]
    assert f'id="issue-{issue.pk}"' in escalated and "Response overdue" in escalated
    assert Issue.objects.get(pk=issue.pk).escalated_at is None


def test_a_poll_past_its_closing_time_reads_voting_ended_everywhere(client, everything_overdue):
    poll = everything_overdue["poll"]
    assert "Voting ended" in client.get("/polls/").content.decode()
    assert client.get(f"/api/v1/polls/{poll.pk}").json()["voting_open"] is False
