"""Grid workers' load: who is in charge of an issue, handing it over, the worker's day, the committee's page."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from community.models import Membership
from issues import services
from issues.models import Issue, IssueEvent
from notifications.models import Notification
from tests.conftest import _member

Role = Membership.Role


@pytest.fixture
def second_worker(grid):
    return _member("second-worker@example.org", "Second Worker <script>alert(1)</script>", grid.community,
                   Role.GRID_WORKER, grid=grid)


@pytest.fixture
def taken_up(issue, grid_worker):
    services.triage_issue(grid_worker, issue_id=issue.pk, tier="major")
    issue.refresh_from_db()
    return issue


def test_the_worker_who_takes_an_issue_up_is_in_charge(taken_up, grid_worker, client, resident):
    assert taken_up.assignee == grid_worker
    client.force_login(resident)
    assert "Grid worker in charge" in client.get(taken_up.get_absolute_url()).content.decode()


def test_the_committee_taking_an_issue_up_leaves_no_worker_in_charge(issue, chair):
    services.triage_issue(chair, issue_id=issue.pk, tier="major")
    issue.refresh_from_db()
    assert issue.assignee is None


def test_the_committee_hands_an_issue_over_and_the_worker_and_reporter_are_told(
        taken_up, chair, grid_worker, second_worker, resident):
    services.hand_over_issue(chair, issue_id=taken_up.pk, to_user_id=second_worker.pk, note="On leave next week")
    taken_up.refresh_from_db()
    assert taken_up.assignee == second_worker
    event = taken_up.events.get(kind=IssueEvent.Kind.HANDED_OVER)
    assert event.text == "On leave next week" and event.data["to"] == second_worker.public_name
    entry = AuditEntry.objects.get(action="issue.handed_over")
    assert (entry.details["before"], entry.details["after"]) == (grid_worker.public_name, second_worker.public_name)
    assert Notification.objects.filter(user=second_worker, message__contains="handed").exists()
    assert Notification.objects.filter(user=resident, message__contains="is now the grid worker in charge").exists()
    assert Notification.objects.filter(user=grid_worker, message__contains="was handed over to").exists()


def test_the_reporters_notice_is_kept_as_a_message_to_show_in_their_language(taken_up, chair, second_worker,
                                                                             resident):
    services.hand_over_issue(chair, issue_id=taken_up.pk, to_user_id=second_worker.pk)
    told = Notification.objects.filter(user=resident).latest("pk")
    assert told.key["m"] == "%(worker)s is now the grid worker in charge of “%(title)s”."
    assert told.key["p"]["worker"] == second_worker.public_name


def test_the_worker_in_charge_may_hand_over_but_not_another_worker(taken_up, grid_worker, second_worker):
    with pytest.raises(PermissionDenied):
        services.hand_over_issue(second_worker, issue_id=taken_up.pk, to_user_id=second_worker.pk)
    services.hand_over_issue(grid_worker, issue_id=taken_up.pk, to_user_id=second_worker.pk)
    taken_up.refresh_from_db()
    assert taken_up.assignee == second_worker
    with pytest.raises(PermissionDenied):  # no longer in charge
        services.hand_over_issue(grid_worker, issue_id=taken_up.pk, to_user_id=grid_worker.pk)


def test_an_issue_goes_only_to_a_worker_of_its_own_grid(taken_up, chair, grid_worker_of_other_grid, resident):
    for person in (grid_worker_of_other_grid, resident, chair):
        with pytest.raises(ValidationError, match="grid worker of"):
            services.hand_over_issue(chair, issue_id=taken_up.pk, to_user_id=person.pk)
    taken_up.refresh_from_db()
    assert taken_up.assignee_id != grid_worker_of_other_grid.pk
    assert not AuditEntry.objects.filter(action="issue.handed_over").exists()


@pytest.mark.parametrize("who", ["resident", "org_rep", "outsider_chair", "grid_worker_of_other_grid", "moderator"])
def test_others_cannot_hand_an_issue_over(taken_up, second_worker, who, request):
    with pytest.raises(PermissionDenied):
        services.hand_over_issue(request.getfixturevalue(who), issue_id=taken_up.pk, to_user_id=second_worker.pk)
    taken_up.refresh_from_db()
    assert taken_up.assignee_id != second_worker.pk


def test_a_closed_issue_is_not_handed_over(issue, chair, grid_worker, second_worker):
    services.decline_issue(grid_worker, issue_id=issue.pk, reason="Not ours")
    with pytest.raises(ValidationError, match="Only an open issue"):
        services.hand_over_issue(chair, issue_id=issue.pk, to_user_id=second_worker.pk)


def test_hand_over_on_the_issue_page_refuses_a_worker_of_another_grid(client, taken_up, chair,
                                                                      grid_worker_of_other_grid, second_worker):
    client.force_login(chair)
    url = reverse("issues:issue-action", args=[taken_up.pk, "hand_over"])
    page = client.get(taken_up.get_absolute_url()).content.decode()
    assert "Hand over to another grid worker" in page and "Second Worker &lt;script&gt;" in page
    response = client.post(url, {"hand_over-to": grid_worker_of_other_grid.pk})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    response = client.post(url, {"hand_over-to": second_worker.pk, "hand_over-note": "Closer to B5"})
    assert response.status_code == 302
    taken_up.refresh_from_db()
    assert taken_up.assignee == second_worker


def _overdue(issue):
    Issue.objects.filter(pk=issue.pk).update(resolution_due_at=timezone.now() - timedelta(hours=2))


def test_a_grid_worker_sees_what_is_overdue_and_due_soon_on_their_queue(client, grid, category, resident, grid_worker,
                                                                        second_worker):
    late = services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="Late one", body="B")
    services.triage_issue(grid_worker, issue_id=late.pk, tier="major")
    _overdue(late)
    soon = services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="Soon one", body="B")
    Issue.objects.filter(pk=soon.pk).update(response_due_at=timezone.now() + timedelta(minutes=30))
    theirs = services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="Theirs", body="B")
    services.triage_issue(second_worker, issue_id=theirs.pk, tier="major")
    _overdue(theirs)
    client.force_login(grid_worker)
    page = client.get(reverse("issues:issue-queue")).content.decode()
    my_day = page[page.index('id="my-day-title"'):page.index('id="untriaged-title"')]
    overdue, due_soon = my_day.split('<h3>Due soon</h3>')
    assert "Late one" in overdue and "Resolution overdue" in overdue and "Soon one" not in overdue
    assert "Soon one" in due_soon and "answer due" in due_soon
    assert "Theirs" not in my_day  # in another worker's charge


def test_the_committee_sees_every_workers_load(client, chair, grid, category, resident, grid_worker, second_worker,
                                               grid_worker_of_other_grid):
    for n in range(3):
        issue = services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title=f"Issue {n}", body="B")
        services.triage_issue(grid_worker, issue_id=issue.pk, tier="major")
    _overdue(issue)
    services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="Untaken", body="B")
    client.force_login(chair)
    response = client.get(reverse("issues:load", args=[grid.community.slug]))
    grids = response.context["grids"]
    rows = {w["user"].pk: w for g in grids for w in g["workers"]}
    assert (rows[grid_worker.pk]["open"], rows[grid_worker.pk]["overdue"]) == (3, 1)
    assert rows[second_worker.pk]["open"] == 0 and grid_worker_of_other_grid.pk in rows
    assert grids[0]["shared"]["open"] == 1
    assert "Second Worker &lt;script&gt;" in response.content.decode()


def test_resolved_this_month_counts_the_workers_resolutions(client, chair, taken_up, grid_worker):
    services.resolve_issue(chair, issue_id=taken_up.pk)
    client.force_login(chair)
    rows = {w["user"].pk: w for g in client.get(reverse("issues:load", args=[taken_up.community.slug])).context["grids"]
            for w in g["workers"]}
    assert (rows[grid_worker.pk]["resolved"], rows[grid_worker.pk]["open"]) == (1, 0)


@pytest.mark.parametrize("who", ["grid_worker", "resident", "outsider_chair"])
def test_only_the_committee_sees_the_load_page(client, community, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("issues:load", args=[community.slug])).status_code == 404


def test_the_load_page_and_the_queue_run_a_fixed_number_of_queries(client, chair, grid, category, resident, grid_worker,
                                                                  second_worker, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            issue = services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title=f"T{n}-{i}", body="B")
            services.triage_issue(grid_worker if i % 2 else second_worker, issue_id=issue.pk, tier="major")
            _overdue(issue)
    add(2)
    client.force_login(chair)
    load = reverse("issues:load", args=[grid.community.slug])
    client.get(load)
    with django_assert_max_num_queries(14):
        client.get(load)
    client.force_login(grid_worker)
    client.get(reverse("issues:issue-queue"))
    add(8)
    with django_assert_max_num_queries(14):
        assert len(client.get(reverse("issues:issue-queue")).context["my_overdue"]) == 5
    client.force_login(chair)
    with django_assert_max_num_queries(14):
        client.get(load)
