"""The issue loop through its services: every transition allowed and refused, and who is told."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from issues import services as issues_services
from issues.models import Issue, IssueEvent, IssueFollow, Rating
from ledger import services as ledger_services
from ledger.models import Decision, Task
from notifications.models import Notification
from tests.conftest import make_user

IMAGES = Path(__file__).parent / "images"
S, K = Issue.Status, IssueEvent.Kind
TOMORROW = timezone.localdate() + timedelta(days=1)


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else (IMAGES / name).read_bytes())


def kinds(issue) -> list[str]:
    return list(issue.events.values_list("kind", flat=True))


def routine(issue, worker, organisation, **extra):
    return issues_services.triage_issue(
        worker, issue_id=issue.pk, tier="routine", task_title="Repair the lift",
        owner_organisation_id=organisation.pk, due_date=TOMORROW, **extra,
    )


# Raising ---------------------------------------------------------------------------------------


def test_a_resident_raises_an_issue_that_awaits_triage_and_the_grid_workers_hear(issue, resident, grid_worker, mailoutbox):
    assert (issue.status, issue.reporter, issue.channel) == (S.NEW, resident, "online")
    assert issue.response_due_at > issue.created_at  # on the working calendar: tests/issues/test_deadlines.py
    assert issue.case.contact == "+86 139 0000 1111"
    assert kinds(issue) == [K.RAISED]
    assert IssueFollow.objects.filter(issue=issue, user=resident).exists()
    assert Notification.objects.filter(user=grid_worker, url=issue.get_absolute_url()).exists()


def test_the_response_deadline_follows_the_community_setting(grid, category, resident):
    grid.community.response_deadline, grid.community.response_deadline_unit = 24, "hours"
    grid.community.save()
    issue = issues_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="T", body="B")
    assert issue.response_due_at - issue.created_at == timedelta(hours=24)


@pytest.mark.parametrize("who", ["newcomer", "resident_of_other_grid", "org_rep", "outsider_chair"])
def test_only_verified_residents_of_the_grid_raise_issues_there(request, grid, category, who):
    with pytest.raises(PermissionDenied):
        issues_services.raise_issue(request.getfixturevalue(who), grid_id=grid.pk, category_id=category.pk, title="T", body="B")
    assert not Issue.objects.exists()


def test_a_grid_worker_enters_an_issue_for_a_resident_met_on_a_door_visit(grid, category, grid_worker):
    issue = issues_services.raise_issue(
        grid_worker, grid_id=grid.pk, category_id=category.pk, title="Leaking roof", body="Top floor",
        on_behalf_of="Mrs Sun", channel="door_visit", contact="138 0000 0000",
    )
    assert (issue.reporter, issue.entered_by, issue.channel) == (None, grid_worker, "door_visit")
    assert issue.case.reporter_name == "Mrs Sun"


def test_entering_on_behalf_is_for_those_who_look_after_the_grid(grid, category, grid_worker_of_other_grid, grid_worker):
    with pytest.raises(PermissionDenied):
        issues_services.raise_issue(grid_worker_of_other_grid, grid_id=grid.pk, category_id=category.pk, title="T",
                             body="B", on_behalf_of="Mr Li", channel="phone")
    with pytest.raises(ValidationError, match="how you met"):
        issues_services.raise_issue(grid_worker, grid_id=grid.pk, category_id=category.pk, title="T", body="B",
                             on_behalf_of="Mr Li", channel="online")


@pytest.mark.parametrize("field,value,message", [
    ("title", "   ", "title cannot be empty"),
    ("body", "", "description cannot be empty"),
    ("title", "x" * 141, "at most 140"),
])
def test_bad_text_is_refused_and_nothing_is_saved(grid, category, resident, field, value, message):
    kwargs = {"title": "T", "body": "B", field: value}
    with pytest.raises(ValidationError, match=message):
        issues_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, **kwargs)
    assert not Issue.objects.exists()


def test_a_category_of_another_community_is_refused(grid, resident, other_community):
    from issues.models import Category

    foreign = Category.objects.create(community=other_community, name="Foreign")
    with pytest.raises(ValidationError, match="categories"):
        issues_services.raise_issue(resident, grid_id=grid.pk, category_id=foreign.pk, title="T", body="B")


# Photos ---------------------------------------------------------------------------------------


def test_photos_are_kept_and_their_metadata_stripped(grid, category, resident):
    issue = issues_services.raise_issue(
        resident, grid_id=grid.pk, category_id=category.pk, title="T", body="B",
        photos=[upload("with-gps.jpg"), upload("small.png"), upload("small.webp")],
    )
    photos = list(issue.photos.all())
    assert [p.extension for p in photos] == ["jpg", "png", "webp"]
    with Image.open(photos[0].image.path) as saved:
        assert saved.size == (64, 48)
        assert not saved.getexif()  # no camera, no GPS
        assert "exif" not in saved.info


@pytest.mark.parametrize("name,content,message", [
    ("fake.jpg", None, "not a photo we can read"),
    ("small.gif", None, "not a JPEG, PNG or WebP"),
    ("huge.jpg", b"\xff\xd8" + b"0" * (25 * 1024 * 1024), "larger than 25 MB"),
])
def test_a_fake_or_oversize_photo_is_refused_and_nothing_is_saved(grid, category, resident, name, content, message):
    with pytest.raises(ValidationError, match=message):
        issues_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="T", body="B",
                             photos=[upload("small.png"), upload(name, content)])
    assert not Issue.objects.exists()


def test_at_most_four_photos(grid, category, resident):
    with pytest.raises(ValidationError, match="at most 4"):
        issues_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="T", body="B",
                             photos=[upload("small.png") for _ in range(5)])


# Triage ---------------------------------------------------------------------------------------


def test_routine_triage_creates_a_decision_and_a_task_for_the_organisation(issue, grid_worker, organisation, org_rep):
    routine(issue, grid_worker, organisation)
    issue.refresh_from_db()
    assert (issue.status, issue.tier) == (S.IN_PROGRESS, "routine")
    assert issue.first_response_at is not None
    task = Task.objects.get()
    assert (task.owner_organisation, task.issue, task.decision.source) == (organisation, issue, Decision.Source.TRIAGE)
    assert kinds(issue) == [K.RAISED, K.TRIAGED, K.TASK_ASSIGNED]
    assert Notification.objects.filter(user=org_rep).exists()


def test_routine_triage_needs_an_owner_and_a_due_date_and_saves_nothing_without(issue, grid_worker, organisation):
    with pytest.raises(ValidationError, match="one owner"):
        issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="routine", due_date=TOMORROW)
    with pytest.raises(ValidationError, match="due date"):
        issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="routine", owner_organisation_id=organisation.pk)
    issue.refresh_from_db()
    assert issue.status == S.NEW and not Task.objects.exists() and not Decision.objects.exists()
    assert kinds(issue) == [K.RAISED]


def test_emergency_alerts_the_committee_at_once_by_mail(issue, grid_worker, chair, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="emergency", note="Person trapped")
    assert Notification.objects.filter(user=chair, message__startswith="Emergency").exists()
    assert any(m.to == ["chair@test.org"] and "Emergency" in m.subject for m in mailoutbox)
    issues_services.report_on_site(grid_worker, issue_id=issue.pk, text="Fire brigade freed her.")
    assert kinds(issue)[-1] == K.ON_SITE_REPORT


def test_major_issues_wait_for_the_committee(issue, chair):
    issues_services.triage_issue(chair, issue_id=issue.pk, tier="major")
    issue.refresh_from_db()
    assert (issue.status, issue.tier) == (S.IN_PROGRESS, "major")
    assert not Task.objects.exists()


@pytest.mark.parametrize("who", ["grid_worker_of_other_grid", "resident", "org_rep", "outsider_chair", "moderator"])
def test_only_those_who_look_after_the_grid_triage(request, issue, organisation, who):
    with pytest.raises(PermissionDenied):
        routine(issue, request.getfixturevalue(who), organisation)
    issue.refresh_from_db()
    assert issue.status == S.NEW


def test_an_issue_is_triaged_once(issue, grid_worker, chair, organisation):
    routine(issue, grid_worker, organisation)
    with pytest.raises(ValidationError, match="already triaged"):
        issues_services.triage_issue(chair, issue_id=issue.pk, tier="major")


def test_asking_for_more_waits_for_the_reporters_answer(issue, grid_worker, resident):
    issues_services.ask_for_information(grid_worker, issue_id=issue.pk, question="Which floor?")
    issue.refresh_from_db()
    assert issue.status == S.NEEDS_INFO
    assert Notification.objects.filter(user=resident, message__contains="asks for more").exists()
    issues_services.comment_on_issue(resident, issue_id=issue.pk, text="The 7th floor.")
    issue.refresh_from_db()
    assert issue.status == S.NEW


def test_declining_needs_a_reason_the_reporter_reads(issue, grid_worker, resident):
    with pytest.raises(ValidationError):
        issues_services.decline_issue(grid_worker, issue_id=issue.pk, reason=" ")
    issues_services.decline_issue(grid_worker, issue_id=issue.pk, reason="Private property: call the owner.")
    issue.refresh_from_db()
    assert issue.status == S.DECLINED and issue.closed_at
    assert issue.events.last().text == "Private property: call the owner."
    assert Notification.objects.filter(user=resident, message__contains="declined").exists()


def test_a_duplicate_is_merged_and_its_followers_move(issue, grid, category, resident_of_other_grid, grid_worker, chair):
    neighbour = make_user("n@test.org", "Neighbour")
    from community.models import Membership

    Membership.objects.create(user=neighbour, community=grid.community, role="resident", grid=grid)
    duplicate = issues_services.raise_issue(neighbour, grid_id=grid.pk, category_id=category.pk, title="Lift again", body="B")
    issues_services.merge_issue(grid_worker, issue_id=duplicate.pk, into_id=issue.pk)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (S.MERGED, issue)
    assert IssueFollow.objects.filter(issue=issue, user=neighbour).exists()
    with pytest.raises(ValidationError):
        issues_services.merge_issue(grid_worker, issue_id=issue.pk, into_id=issue.pk)


# Handling, resolution, ratings ---------------------------------------------------------------


def handled_and_resolved(issue, grid_worker, organisation, org_rep):
    routine(issue, grid_worker, organisation)
    task = Task.objects.get()
    ledger_services.post_task_update(org_rep, task_id=task.pk, text="Parts ordered", progress=40, status="in_progress")
    ledger_services.post_task_update(org_rep, task_id=task.pk, text="Repaired", progress=90, status="done")
    issues_services.resolve_issue(grid_worker, issue_id=issue.pk, note="Lift works again.")
    issue.refresh_from_db()
    return task


def test_the_owner_reports_progress_and_done_on_the_timeline(issue, grid_worker, organisation, org_rep, resident):
    task = handled_and_resolved(issue, grid_worker, organisation, org_rep)
    task.refresh_from_db()
    assert (task.status, task.progress) == ("done", 100)  # done means 100%
    assert kinds(issue)[-3:] == [K.TASK_UPDATED, K.TASK_UPDATED, K.RESOLVED]
    assert issue.status == S.RESOLVED and issue.resolution_round == 1
    assert Notification.objects.filter(user=resident, message__contains="Rate it").exists()


@pytest.mark.parametrize("who", ["resident", "grid_worker_of_other_grid", "outsider_chair"])
def test_others_cannot_update_a_task(request, issue, grid_worker, organisation, who):
    routine(issue, grid_worker, organisation)
    with pytest.raises(PermissionDenied):
        ledger_services.post_task_update(request.getfixturevalue(who), task_id=Task.objects.get().pk, text="x", progress=5,
                                  status="in_progress")


def test_an_issue_with_unfinished_tasks_cannot_be_resolved(issue, grid_worker, organisation):
    routine(issue, grid_worker, organisation)
    with pytest.raises(ValidationError, match="not done"):
        issues_services.resolve_issue(grid_worker, issue_id=issue.pk)


def test_a_reporters_low_rating_reopens_the_issue_visibly(issue, resident, grid_worker, organisation, org_rep):
    handled_and_resolved(issue, grid_worker, organisation, org_rep)
    issues_services.rate_issue(resident, issue_id=issue.pk, score=2, comment="Stuck again the next day")
    issue.refresh_from_db()
    assert issue.status == S.IN_PROGRESS and issue.reopened_count == 1
    assert kinds(issue)[-2:] == [K.RATED, K.REOPENED]
    assert Notification.objects.filter(user=grid_worker, message__contains="reopened").exists()


def test_a_good_rating_or_a_followers_low_one_does_not_reopen(issue, resident, grid_worker, organisation, org_rep, grid):
    follower = make_user("f@test.org", "Fan")
    from community.models import Membership

    Membership.objects.create(user=follower, community=grid.community, role="resident", grid=grid)
    issues_services.follow_issue(follower, issue_id=issue.pk)
    handled_and_resolved(issue, grid_worker, organisation, org_rep)
    issues_services.rate_issue(follower, issue_id=issue.pk, score=1)
    issues_services.rate_issue(resident, issue_id=issue.pk, score=4)
    issue.refresh_from_db()
    assert issue.status == S.RESOLVED
    assert sorted(Rating.objects.values_list("score", "by_reporter")) == [(1, False), (4, True)]


def test_rating_is_once_per_person_and_only_for_the_reporter_and_followers(issue, resident, grid_worker, organisation, org_rep):
    handled_and_resolved(issue, grid_worker, organisation, org_rep)
    with pytest.raises(PermissionDenied):
        issues_services.rate_issue(org_rep, issue_id=issue.pk, score=5)
    issues_services.rate_issue(resident, issue_id=issue.pk, score=5)
    with pytest.raises(ValidationError, match="already rated"):
        issues_services.rate_issue(resident, issue_id=issue.pk, score=1)
    with pytest.raises(ValidationError, match="1 to 5"):
        issues_services.rate_issue(resident, issue_id=issue.pk, score=9)
    assert Rating.objects.count() == 1


def test_an_unresolved_issue_cannot_be_rated(issue, resident):
    with pytest.raises(ValidationError, match="not waiting for ratings"):
        issues_services.rate_issue(resident, issue_id=issue.pk, score=5)


# Deadlines ------------------------------------------------------------------------------------


def test_a_missed_response_deadline_escalates_to_the_committee_once(issue, chair):
    assert issues_services.sweep_issues(now=issue.response_due_at - timedelta(minutes=1)) == {"escalated": 0, "closed": 0}
    later = issue.response_due_at + timedelta(minutes=1)
    assert issues_services.sweep_issues(now=later)["escalated"] == 1
    assert issues_services.sweep_issues(now=later)["escalated"] == 0
    issue.refresh_from_db()
    assert issue.escalated_at == later and kinds(issue)[-1] == K.ESCALATED
    assert Notification.objects.filter(user=chair, message__contains="escalated").exists()


def test_an_answered_issue_never_escalates(issue, grid_worker):
    issues_services.ask_for_information(grid_worker, issue_id=issue.pk, question="Which floor?")
    assert issues_services.sweep_issues(now=issue.response_due_at + timedelta(days=3))["escalated"] == 0


def test_unrated_issues_close_after_the_fourteen_day_window(issue, grid_worker, organisation, org_rep, resident):
    handled_and_resolved(issue, grid_worker, organisation, org_rep)
    assert issues_services.sweep_issues(now=issue.resolved_at + timedelta(days=13))["closed"] == 0
    assert issues_services.sweep_issues(now=issue.resolved_at + timedelta(days=15))["closed"] == 1
    issue.refresh_from_db()
    assert issue.status == S.CLOSED
    with pytest.raises(ValidationError):
        issues_services.rate_issue(resident, issue_id=issue.pk, score=5)


def test_the_sweep_command_reports_what_it_did(issue, capsys):
    from django.core.management import call_command

    Issue.objects.filter(pk=issue.pk).update(response_due_at=timezone.now() - timedelta(hours=1))
    call_command("sweep_issues")
    assert "1 escalated, 0 closed" in capsys.readouterr().out


def test_a_task_update_may_carry_a_cleaned_photo_and_a_fake_one_saves_nothing(issue, grid_worker, organisation, org_rep):
    routine(issue, grid_worker, organisation)
    task = Task.objects.get()
    with pytest.raises(ValidationError, match="not a photo"):
        ledger_services.post_task_update(org_rep, task_id=task.pk, text="See photo", progress=50, status="in_progress",
                                  photo=upload("fake.jpg"))
    task.refresh_from_db()
    assert task.progress == 0 and not task.updates.exists()
    update = ledger_services.post_task_update(org_rep, task_id=task.pk, text="See photo", progress=50, status="in_progress",
                                       photo=upload("with-gps.jpg"))
    with Image.open(update.photo.path) as saved:
        assert not saved.getexif()


def test_a_finished_task_takes_no_more_updates(issue, grid_worker, organisation, org_rep):
    routine(issue, grid_worker, organisation)
    task = Task.objects.get()
    ledger_services.post_task_update(org_rep, task_id=task.pk, text="Done", progress=100, status="done")
    with pytest.raises(ValidationError, match="finished"):
        ledger_services.post_task_update(org_rep, task_id=task.pk, text="More", progress=100, status="in_progress")
