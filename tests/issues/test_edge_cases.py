"""Edge cases of the issue loop: unknown ids, merges across grids, restarting clocks, joint handling, who is told."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community import services as community_services
from community.models import Membership
from issues import services as issues_services
from issues.models import Issue, IssueEvent
from ledger import services as ledger_services
from ledger.models import Task
from notifications.models import Notification
from tests.conftest import make_user

S, K = Issue.Status, IssueEvent.Kind
TOMORROW = timezone.localdate() + timedelta(days=1)


def raise_in(grid, category, user, title="Other"):
    return issues_services.raise_issue(user, grid_id=grid.pk, category_id=category.pk, title=title, body="B")


def told(user, text: str) -> bool:
    return Notification.objects.filter(user=user, message__contains=text).exists()


# Unknown ids and merges ---------------------------------------------------------------------


def test_merging_into_an_unknown_issue_is_a_message_and_changes_nothing(issue, grid_worker):
    with pytest.raises(ValidationError, match="no issue #999"):
        issues_services.merge_issue(grid_worker, issue_id=issue.pk, into_id=999)
    issue.refresh_from_db()
    assert issue.status == S.NEW


def test_merging_into_an_unknown_issue_over_http_shows_the_message(client, issue, grid_worker):
    client.force_login(grid_worker)
    response = client.post(f"/issues/{issue.pk}/merge", {"merge-into": 999})
    assert response.status_code == 200 and "There is no issue #999." in response.content.decode()


def test_following_an_unknown_issue_is_not_found(client, resident):
    client.force_login(resident)
    assert client.post("/issues/999/follow").status_code == 404
    assert client.post("/issues/999/follow", {"follow": "0"}).status_code == 404


def test_a_grid_worker_cannot_merge_into_an_issue_of_a_grid_they_do_not_look_after(
    issue, other_grid, category, resident_of_other_grid, grid_worker, chair
):
    elsewhere = raise_in(other_grid, category, resident_of_other_grid)
    with pytest.raises(PermissionDenied):
        issues_services.merge_issue(grid_worker, issue_id=issue.pk, into_id=elsewhere.pk)
    issue.refresh_from_db()
    assert issue.status == S.NEW
    issues_services.merge_issue(chair, issue_id=issue.pk, into_id=elsewhere.pk)  # the committee looks after both
    issue.refresh_from_db()
    assert issue.merged_into == elsewhere


def test_merging_into_a_closed_or_foreign_issue_is_refused(issue, grid, category, resident, grid_worker, outsider_chair):
    closed = raise_in(grid, category, resident)
    issues_services.decline_issue(grid_worker, issue_id=closed.pk, reason="Not ours")
    with pytest.raises(ValidationError, match="open issue of the same community"):
        issues_services.merge_issue(grid_worker, issue_id=issue.pk, into_id=closed.pk)


# The response clock --------------------------------------------------------------------------


def test_the_reporters_answer_restarts_the_response_deadline(issue, grid_worker, resident, chair):
    issues_services.ask_for_information(grid_worker, issue_id=issue.pk, question="Which floor?")
    answered_at = timezone.now()
    issues_services.comment_on_issue(resident, issue_id=issue.pk, text="The 7th floor.")
    issue.refresh_from_db()
    assert issue.status == S.NEW and issue.response_due_at > answered_at + timedelta(hours=8)
    assert issue.first_response_at is not None  # the first answer still counts for the figures
    assert issues_services.sweep_issues(now=issue.response_due_at - timedelta(minutes=1))["escalated"] == 0
    assert issues_services.sweep_issues(now=issue.response_due_at + timedelta(minutes=1))["escalated"] == 1
    assert told(chair, "escalated") and told(resident, "got no answer in time")


def test_a_list_page_past_the_deadline_shows_the_issue_overdue_and_leaves_escalating_to_the_sweep(client, issue):
    Issue.objects.filter(pk=issue.pk).update(response_due_at=timezone.now() - timedelta(hours=1))
    assert "Response overdue" in client.get("/issues/").content.decode()
    issue.refresh_from_db()
    assert issue.escalated_at is None  # pages only read
    assert issues_services.sweep_issues()["escalated"] == 1


# Raising as a worker who is also a resident --------------------------------------------------


def test_a_grid_worker_who_lives_in_the_grid_raises_an_issue_as_themselves(client, grid, category, grid_worker):
    Membership.objects.create(user=grid_worker, community=grid.community, role="resident", grid=grid, unit="B1")
    client.force_login(grid_worker)
    response = client.post("/issues/new", {"grid": grid.pk, "category": category.pk, "title": "My own lift",
                                           "body": "Broken", "name_public": "on"})
    issue = Issue.objects.get(title="My own lift")
    assert response.status_code == 302
    assert (issue.reporter, issue.entered_by, issue.channel, issue.name_public) == (grid_worker, None, "online", True)


def test_an_issue_entered_for_a_resident_never_names_them(grid, category, grid_worker):
    issue = issues_services.raise_issue(grid_worker, grid_id=grid.pk, category_id=category.pk, title="Leak", body="B",
                                 on_behalf_of="Old Mrs Wang", channel="door_visit", name_public=True)
    assert not issue.name_public and issue.case.reporter_name == "Old Mrs Wang"


def test_raising_in_an_unknown_grid_is_a_message(resident, category):
    with pytest.raises(ValidationError, match="grids"):
        issues_services.raise_issue(resident, grid_id=999, category_id=category.pk, title="T", body="B")


# Joint handling and emergencies --------------------------------------------------------------


def test_a_major_issue_gets_its_tasks_and_resolution_from_the_committee(client, issue, grid_worker, chair, organisation):
    issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="major")
    client.force_login(chair)
    waiting = client.get("/issues/queue/").content.decode()
    assert f'id="issue-{issue.pk}"' in waiting.split('id="major-title"')[1].split("</section>")[0]
    with pytest.raises(PermissionDenied, match="only the committee"):
        issues_services.assign_task(grid_worker, issue_id=issue.pk, title="Replace the lift",
                             owner_organisation_id=organisation.pk, due_date=TOMORROW)
    task = issues_services.assign_task(chair, issue_id=issue.pk, title="Replace the lift",
                                owner_organisation_id=organisation.pk, due_date=TOMORROW)
    waiting = client.get("/issues/queue/").content.decode()
    assert f'id="issue-{issue.pk}"' not in waiting.split('id="major-title"')[1].split("</section>")[0]
    Task.objects.filter(pk=task.pk).update(status="done")
    with pytest.raises(PermissionDenied):
        issues_services.resolve_issue(grid_worker, issue_id=issue.pk)
    issues_services.resolve_issue(chair, issue_id=issue.pk)
    issue.refresh_from_db()
    assert issue.status == S.RESOLVED


def test_an_emergency_is_resolved_only_after_an_on_site_report(issue, grid_worker):
    issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="emergency")
    with pytest.raises(ValidationError, match="on-site report"):
        issues_services.resolve_issue(grid_worker, issue_id=issue.pk)
    issues_services.report_on_site(grid_worker, issue_id=issue.pk, text="Water shut off, pipe replaced.")
    issues_services.resolve_issue(grid_worker, issue_id=issue.pk)
    issue.refresh_from_db()
    assert issue.status == S.RESOLVED


# Followers hear of every change --------------------------------------------------------------


def test_followers_hear_of_new_tasks_reopening_and_closing(issue, grid, grid_worker, resident, organisation, org_rep):
    follower = make_user("f@test.org", "Follower")
    Membership.objects.create(user=follower, community=grid.community, role="resident", grid=grid)
    issues_services.follow_issue(follower, issue_id=issue.pk)
    issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="routine", task_title="Repair",
                          owner_organisation_id=organisation.pk, due_date=TOMORROW)
    issues_services.assign_task(grid_worker, issue_id=issue.pk, title="Paint the door", owner_user_id=grid_worker.pk,
                         due_date=TOMORROW)
    assert told(follower, "A task was added") and told(resident, "Paint the door")
    for task in Task.objects.all():
        ledger_services.post_task_update(grid_worker, task_id=task.pk, text="Done", progress=100, status="done")
    issues_services.resolve_issue(grid_worker, issue_id=issue.pk)
    issues_services.rate_issue(resident, issue_id=issue.pk, score=1)
    assert told(follower, "was reopened")
    for task in Task.objects.exclude(status="done"):
        ledger_services.post_task_update(grid_worker, task_id=task.pk, text="Done", progress=100, status="done")
    issues_services.resolve_issue(grid_worker, issue_id=issue.pk)
    issue.refresh_from_db()
    issues_services.sweep_issues(now=issue.resolved_at + timedelta(days=15))
    assert told(follower, "is closed") and told(resident, "is closed")


# Constant queries for every kind of reader ---------------------------------------------------


def _count(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("who", [None, "resident", "chair", "org_rep", "grid_worker"])
def test_issue_and_decision_pages_cost_the_same_with_many_tasks(request, client, issue, grid_worker, organisation, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="routine", task_title="First",
                          owner_organisation_id=organisation.pk, due_date=TOMORROW)
    decision = issue.decisions.get()
    small = (_count(client, issue.get_absolute_url()), _count(client, decision.get_absolute_url()))
    for i in range(6):
        task = issues_services.assign_task(grid_worker, issue_id=issue.pk, title=f"Task {i}",
                                    owner_organisation_id=organisation.pk, due_date=TOMORROW)
        ledger_services.post_task_update(grid_worker, task_id=task.pk, text="Going", progress=10, status="in_progress")
    assert (_count(client, issue.get_absolute_url()), _count(client, decision.get_absolute_url())) == small


def test_a_control_character_in_a_task_update_or_a_display_name_is_refused_and_nothing_changes(
    issue, grid_worker, organisation, resident
):
    """Like every other text: XML (the feeds) cannot carry one, and it is never meant."""
    issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="routine", task_title="First",
                          owner_organisation_id=organisation.pk, due_date=TOMORROW)
    task = issue.decisions.get().tasks.get()
    with pytest.raises(ValidationError, match="The update contains a character that is not allowed"):
        ledger_services.post_task_update(grid_worker, task_id=task.pk, text="Done\x01", progress=50, status="in_progress")
    assert not task.updates.exists()
    before = resident.display_name
    with pytest.raises(ValidationError, match="The display name contains a character that is not allowed"):
        community_services.update_profile(resident, display_name="Zhang\x07Wei", language="", age_band="")
    resident.refresh_from_db()
    assert resident.display_name == before
