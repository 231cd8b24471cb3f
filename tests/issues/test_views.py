"""Issue pages over HTTP: who sees what, forms that keep input, constant query counts."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import Membership
from issues import services as issues_services
from issues.models import Issue
from ledger import services as ledger_services
from ledger.models import Task
from tests.conftest import CANARY, live_regions, make_user

IMAGES = Path(__file__).parent / "images"
TOMORROW = timezone.localdate() + timedelta(days=1)


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def queries(client, url) -> int:
    cache.clear()
    client.get(url)  # the first look fills the caches (site, content types)
    with CaptureQueriesContext(connection) as ctx:  # so this measures the page itself
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_public_issue_page_escapes_text_and_never_shows_the_case(client, issue):
    html = page(client, issue.get_absolute_url())
    assert "Lift broken &lt;script&gt;" in html and CANARY not in html
    assert "<strong>B1</strong>" in html  # Markdown rendered
    assert "139 0000 1111" not in html and "B1-101, Willow Court" not in html and "resident@test.org" not in html
    assert "Raised by a resident" in html  # name not public


@pytest.mark.parametrize("who,sees", [("resident_of_other_grid", False), ("org_rep", False),
                                       ("grid_worker_of_other_grid", False), ("grid_worker", True), ("chair", True)])
def test_the_private_case_is_for_the_grids_workers_and_the_committee(client, request, issue, who, sees):
    client.force_login(request.getfixturevalue(who))
    assert ("139 0000 1111" in page(client, issue.get_absolute_url())) is sees


def test_lists_and_feeds_never_show_contact_details(client, issue):
    for url in ["/issues/", "/", "/c/canary/grids/1/", "/outcomes/"]:
        html = page(client, url)
        assert "139 0000 1111" not in html and "B1-101, Willow Court" not in html, url


def test_the_issue_list_filters_and_sorts(client, issue, grid, other_grid, category, resident_of_other_grid, grid_worker):
    issues_services.raise_issue(resident_of_other_grid, grid_id=other_grid.pk, category_id=category.pk, title="South lamp", body="B")
    assert "South lamp" in page(client, "/issues/") and "Lift broken" in page(client, "/issues/")
    only_north = page(client, f"/issues/?grid={grid.pk}")
    assert "Lift broken" in only_north and "South lamp" not in only_north
    issues_services.ask_for_information(grid_worker, issue_id=issue.pk, question="?")
    assert "South lamp" not in page(client, "/issues/?status=needs_info")
    assert "Lift broken" in page(client, "/issues/?status=open&sort=created_at")


def test_the_issue_list_runs_a_constant_number_of_queries(client, issue, grid, category, resident):
    small = queries(client, "/issues/")
    for i in range(12):
        issues_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title=f"More {i}", body="B")
    assert queries(client, "/issues/") == small


def test_the_issue_page_runs_a_constant_number_of_queries(client, issue, grid_worker, organisation, org_rep, resident):
    client.force_login(grid_worker)
    issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="routine", owner_organisation_id=organisation.pk,
                          due_date=TOMORROW)
    small = queries(client, issue.get_absolute_url())
    task = Task.objects.get()
    for i in range(5):
        ledger_services.post_task_update(org_rep, task_id=task.pk, text=f"Step {i}", progress=10 * i, status="in_progress")
        issues_services.comment_on_issue(resident, issue_id=issue.pk, text=f"Thanks {i}")
        issues_services.assign_task(grid_worker, issue_id=issue.pk, title=f"Extra {i}", owner_organisation_id=organisation.pk,
                             due_date=TOMORROW)
    assert queries(client, issue.get_absolute_url()) == small


def test_grid_and_community_pages_with_figures_run_constant_queries(client, issue, grid, category, resident, grid_worker, organisation):
    issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="routine", owner_organisation_id=organisation.pk,
                          due_date=TOMORROW)
    small = {url: queries(client, url) for url in ["/", "/c/canary/grids/1/", "/outcomes/"]}
    for i in range(8):
        extra = issues_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title=f"I{i}", body="B")
        issues_services.triage_issue(grid_worker, issue_id=extra.pk, tier="routine", owner_organisation_id=organisation.pk,
                              due_date=TOMORROW)
    assert {url: queries(client, url) for url in small} == small


def test_a_resident_raises_an_issue_with_a_photo(client, grid, category, resident, grid_worker):
    client.force_login(resident)
    assert "Raise an issue" in page(client, "/issues/new")
    photo = SimpleUploadedFile("with-gps.jpg", (IMAGES / "with-gps.jpg").read_bytes(), content_type="image/jpeg")
    response = client.post("/issues/new", {
        "grid": grid.pk, "category": category.pk, "title": "Dark stairwell", "body": "No light on floor 3",
        "location": "Building 1", "photos": [photo], "contact": "138", "address": "B1-301",
    })
    issue = Issue.objects.get(title="Dark stairwell")
    assert response.status_code == 302 and response["Location"] == issue.get_absolute_url()
    html = page(client, issue.get_absolute_url())
    photo_url = issue.photos.get().image.url
    assert photo_url in html
    assert client.get(photo_url).status_code == 200


def test_a_fake_photo_is_refused_and_everything_typed_is_kept(client, grid, category, resident):
    client.force_login(resident)
    fake = SimpleUploadedFile("fake.jpg", (IMAGES / "fake.jpg").read_bytes(), content_type="image/jpeg")
    response = client.post("/issues/new", {
        "grid": grid.pk, "category": category.pk, "title": "Dark stairwell", "body": "My long careful description",
        "photos": [fake],
    })
    html = response.content.decode()
    assert response.status_code == 200 and "not a photo we can read" in html
    assert "Dark stairwell" in html and "My long careful description" in html
    assert not Issue.objects.exists()


def test_someone_who_is_not_a_resident_is_sent_to_join_a_grid(client, grid, category, newcomer):
    client.force_login(newcomer)
    response = client.get("/issues/new")
    assert response.status_code == 302 and response["Location"] == "/c/canary/join/"


def test_a_grid_worker_of_another_grid_cannot_triage_over_http(client, issue, grid_worker_of_other_grid):
    client.force_login(grid_worker_of_other_grid)
    html = page(client, issue.get_absolute_url())
    assert "Triage the issue" not in html
    response = client.post(f"/issues/{issue.pk}/triage", {"triage-tier": "major"})
    assert "not allowed" in response.content.decode()
    issue.refresh_from_db()
    assert issue.status == "new"


def test_a_failed_triage_keeps_the_form_filled_and_says_why(client, issue, grid_worker, organisation):
    client.force_login(grid_worker)
    response = client.post(f"/issues/{issue.pk}/triage", {
        "triage-tier": "routine", "triage-note": "Call the lift company", "triage-task_title": "Fix the lift",
    })
    html = response.content.decode()
    assert "Give the task one owner" in html
    assert "Call the lift company" in html and 'value="Fix the lift"' in html
    issue.refresh_from_db()
    assert issue.status == "new"


def test_triage_then_progress_then_resolve_then_rate_over_http(client, issue, grid_worker, organisation, org_rep, resident):
    client.force_login(grid_worker)
    client.post(f"/issues/{issue.pk}/triage", {
        "triage-tier": "routine", "triage-task_title": "Fix the lift",
        "triage-owner_organisation": organisation.pk, "triage-due_date": TOMORROW.isoformat(),
    })
    task = Task.objects.get()
    client.force_login(org_rep)
    assert "Post progress" in page(client, issue.get_absolute_url())
    client.post(f"/tasks/{task.pk}/update", {f"task{task.pk}-text": "Done", f"task{task.pk}-progress": 100,
                                             f"task{task.pk}-status": "done"})
    client.force_login(grid_worker)
    client.post(f"/issues/{issue.pk}/resolve", {"resolve-note": "Works"})
    client.force_login(resident)
    client.post(f"/issues/{issue.pk}/rate", {"rate-score": 1, "rate-comment": "Broken again"})
    issue.refresh_from_db()
    assert issue.status == "in_progress" and issue.reopened_count == 1
    assert "The issue was reopened" in page(client, issue.get_absolute_url())


def test_an_unknown_action_is_404(client, issue, grid_worker):
    client.force_login(grid_worker)
    assert client.post(f"/issues/{issue.pk}/explode").status_code == 404


def test_following_shows_a_count_and_an_outsider_cannot_follow(client, issue, grid, outsider_chair):
    neighbour = make_user("n@test.org", "Neighbour")
    Membership.objects.create(user=neighbour, community=grid.community, role="resident", grid=grid)
    client.force_login(neighbour)
    client.post(f"/issues/{issue.pk}/follow")
    assert "2 people follow this issue" in page(client, issue.get_absolute_url())
    client.force_login(outsider_chair)
    client.post(f"/issues/{issue.pk}/follow")
    assert "2 people follow this issue" in page(client, issue.get_absolute_url())


def test_the_work_queue_puts_untriaged_first_and_marks_overdue(client, issue, grid_worker, chair, resident):
    Issue.objects.filter(pk=issue.pk).update(response_due_at=timezone.now() - timedelta(hours=1))
    client.force_login(grid_worker)
    html = page(client, "/issues/queue/")
    assert "Awaiting triage" in html and "Response overdue" in html
    client.force_login(chair)
    html = page(client, "/issues/queue/")
    assert "Escalated: no answer within the deadline" in html
    assert html.index("Lift broken") < html.index("Awaiting triage")  # escalated section first
    assert html.count(f'href="{issue.get_absolute_url()}"') == 1  # listed once, under the most pressing heading
    client.force_login(resident)
    assert client.get("/issues/queue/").status_code == 404


def test_notifications_show_an_unread_count_and_can_be_marked_read(client, issue, grid_worker):
    client.force_login(grid_worker)
    html = page(client, "/")
    assert 'id="unread-count">1' in html
    assert "New issue in your grid" in page(client, "/notifications/")
    client.post("/notifications/read")
    assert 'id="unread-count" hidden>0<' in page(client, "/")


def test_outcomes_list_decisions_with_their_tasks(client, issue, grid_worker, organisation):
    issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="routine", task_title="Fix the lift",
                          owner_organisation_id=organisation.pk, due_date=TOMORROW)
    html = page(client, "/outcomes/")
    assert "Fix the lift" in html and "0 of 1 task done" in html
    decision = issue.decisions.get()
    assert "Fix the lift" in page(client, decision.get_absolute_url())


def test_a_reporter_who_chose_not_to_be_named_stays_unnamed_on_the_timeline_and_in_notifications(client, issue, resident, grid, grid_worker):
    from notifications.models import Notification

    follower = make_user("f@test.org", "Fan")
    Membership.objects.create(user=follower, community=grid.community, role="resident", grid=grid)
    issues_services.follow_issue(follower, issue_id=issue.pk)
    issues_services.comment_on_issue(resident, issue_id=issue.pk, text="Still stuck")
    html = page(client, issue.get_absolute_url())
    assert "Rita" not in html and "The reporter" in html
    note = Notification.objects.get(user=follower)
    assert "Rita" not in note.message and note.message.startswith("The reporter commented")


def live_queries(client, url) -> int:
    cache.clear()
    client.get(url)  # the background sweep runs on the first request, then waits a minute
    with CaptureQueriesContext(connection) as ctx:
        live_regions(client, url)
    return len(ctx)


def test_after_a_live_event_the_issue_page_fetches_only_its_live_regions(client, issue, grid_worker, organisation,
                                                                         org_rep, resident):
    client.force_login(grid_worker)
    issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="routine", owner_organisation_id=organisation.pk,
                                 due_date=TOMORROW)
    ids, html = live_regions(client, issue.get_absolute_url())
    assert ids == ["issue-summary", "tasks-section", "timeline"]  # the partials the page shows them with
    assert "<html" not in html and "<nav" not in html and "Private case" not in html
    assert 'id="task-' in html and 'name="csrfmiddlewaretoken"' in html  # the worker's progress form, usable
    assert len(html) < len(page(client, issue.get_absolute_url())) / 3
    small = live_queries(client, issue.get_absolute_url())
    task = Task.objects.get()
    for i in range(5):
        ledger_services.post_task_update(org_rep, task_id=task.pk, text=f"Step {i}", progress=10 * i,
                                         status="in_progress")
        issues_services.comment_on_issue(resident, issue_id=issue.pk, text=f"Thanks {i} {CANARY}")
        issues_services.assign_task(grid_worker, issue_id=issue.pk, title=f"Extra {i}",
                                    owner_organisation_id=organisation.pk, due_date=TOMORROW)
    assert live_queries(client, issue.get_absolute_url()) == small
    html = live_regions(client, issue.get_absolute_url())[1]
    assert "Thanks 4 &lt;script&gt;" in html and CANARY not in html


def test_a_reporter_corrects_or_withdraws_an_issue_until_a_grid_worker_takes_it_up(client, resident, grid, category,
                                                                                   grid_worker, resident_of_other_grid):
    from issues import services as issue_services

    issue = issue_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="Lift", body="Stuck")
    client.force_login(resident)
    assert "Correct what you wrote" in page(client, issue.get_absolute_url())
    response = client.post(f"/issues/{issue.pk}/edit", {"edit-title": "Lift in Building 3", "edit-body": "Stuck again",
                                                         "edit-location": "B3"})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.title, issue.body) == ("Lift in Building 3", "Stuck again")
    assert issue.events.filter(kind="edited", data__earlier_title="Lift").exists()  # the earlier words are kept
    client.force_login(resident_of_other_grid)
    assert client.post(f"/issues/{issue.pk}/withdraw", {"withdraw-reason": "x"}).status_code == 200  # refused
    client.force_login(resident)
    assert client.post(f"/issues/{issue.pk}/withdraw", {"withdraw-reason": "It works now."}).status_code == 302
    issue.refresh_from_db()
    assert issue.status == "withdrawn" and grid_worker.notifications.filter(url=issue.get_absolute_url()).exists()
    second = issue_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="Bench", body="B")
    issue_services.ask_for_information(grid_worker, issue_id=second.pk, question="Which bench?")  # taken up
    assert "Correct what you wrote" not in page(client, second.get_absolute_url())
    assert client.post(f"/issues/{second.pk}/withdraw", {}).status_code == 200
    second.refresh_from_db()
    assert second.status != "withdrawn"


def test_issues_are_found_by_words_in_their_title_text_or_place(client, resident, grid, category):
    from issues import services as issue_services

    issue_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="Lift stuck",
                               body="Between floors 5 and 6", location="Building 3")
    issue_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="Bench broken", body="Park")
    html = page(client, "/issues/?q=building+lift")
    assert "Lift stuck" in html and "Bench broken" not in html
    assert "Bench broken" in page(client, "/issues/?q=park")


def test_on_a_phone_the_grid_worker_acts_first_and_the_reporter_is_asked_to_rate_at_the_top(
        client, issue, grid_worker, resident):
    from issues import services as issue_services

    client.force_login(grid_worker)
    assert 'class="two-col handles-first"' in page(client, issue.get_absolute_url())
    issue_services.ask_for_information(grid_worker, issue_id=issue.pk, question="Which floor?")
    issue.refresh_from_db()
    client.force_login(issue.reporter)
    html = page(client, issue.get_absolute_url())
    assert "handles-first" not in html and "Rate the result" not in html
