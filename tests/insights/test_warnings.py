"""Early warning: spikes above the usual range, repeated places, tasks at risk — and the committee told once."""

from datetime import timedelta

from django.utils import timezone

from insights.services import send_early_warnings
from insights.warnings import repeats, spikes, tasks_at_risk
from issues import services as issues_services
from issues.models import Issue
from ledger import services as ledger_services
from notifications.models import Notification


def raised(resident, grid, category, days_ago: float, location="Canal market"):
    issue = issues_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="Noise", body="B",
                                 location=location)
    Issue.objects.filter(pk=issue.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return issue


def test_a_week_far_above_the_usual_is_a_spike_and_an_ordinary_one_is_not(grid, category, resident):
    for week in range(1, 9):  # one issue a week for eight weeks
        raised(resident, grid, category, 7 * week + 1, location=f"Place {week}")
    raised(resident, grid, category, 1, location="A")
    raised(resident, grid, category, 2, location="B")
    assert spikes(grid.community) == []  # 2 this week: under the minimum
    for day in (3, 4):
        raised(resident, grid, category, day, location="C")
    found = spikes(grid.community)
    assert len(found) == 1 and found[0]["latest"] == 4 and found[0]["usual"] == 1.0


def test_the_same_place_three_times_in_a_month(grid, category, resident):
    for days in (1, 5, 20):
        raised(resident, grid, category, days, location="  East gate ")
    raised(resident, grid, category, 45, location="East gate")  # too old
    found = repeats(grid.community)
    assert len(found) == 1 and len(found[0]["issues"]) == 3


def test_tasks_overdue_or_soon_due_and_barely_started(issue, grid_worker, organisation):
    issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="routine", task_title="Fix",
                          owner_organisation_id=organisation.pk, due_date=timezone.localdate() + timedelta(days=3))
    assert [t.title for t in tasks_at_risk(issue.community)] == ["Fix"]
    task = issue.tasks.get()
    ledger_services.post_task_update(grid_worker, task_id=task.pk, text="Mostly done", progress=80, status="in_progress")
    assert tasks_at_risk(issue.community) == []


def test_the_committee_is_told_once_and_only_the_committee_sees_the_page(client, grid, category, resident, chair):
    for day in (1, 2, 3):
        raised(resident, grid, category, day)
    assert send_early_warnings() == 1 and send_early_warnings() == 0
    assert Notification.objects.filter(user=chair, message__startswith="Early warning").count() == 1
    client.force_login(resident)
    assert client.get("/c/canary/warnings/").status_code == 404
    client.force_login(chair)
    html = client.get("/c/canary/warnings/").content.decode()
    assert "Rising this week" in html and "Canal market" in html
