"""Deadlines on the community's working calendar: at raising, at the reporter's answer, at take-up, and
the sweep that escalates by them. Expected moments are written by hand from the 2026 national calendar.

The clock is set by replacing Django's ``timezone.now``; nothing of ours is replaced.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from community.models import LocalDay
from issues import services
from issues.models import Issue, IssueEvent
from notifications.models import Notification

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH)


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        def set(self, moment: datetime) -> None:
            monkeypatch.setattr(timezone, "now", lambda: moment)
    return Clock()


def raise_one(resident, grid, category, title="Water in the stairwell <script>alert(1)</script>") -> Issue:
    return services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title=title, body="Since Monday.")


def test_a_new_community_answers_within_two_working_days_and_resolves_within_ten(community):
    assert (community.response_deadline, community.response_deadline_unit) == (2, "working_days")
    assert (community.resolution_deadline, community.resolution_deadline_unit) == (10, "working_days")


def test_an_issue_raised_before_the_spring_festival_is_due_after_it(clock, grid, category, resident):
    clock.set(at(2026, 2, 13, 10))  # Friday; Sat 14 Feb is worked, 15–23 Feb are the holiday
    issue = raise_one(resident, grid, category)
    assert issue.response_due_at == at(2026, 2, 24, 17, 30)
    assert issue.resolution_due_at is None  # not taken up yet


def test_a_category_deadline_in_working_hours_overrides_the_communitys(clock, grid, category, resident):
    category.response_deadline, category.response_deadline_unit = 4, "working_hours"
    category.save()
    clock.set(at(2026, 4, 30, 15))  # Thu before Labour Day: 2½ h that day, 1½ h on Wed 6 May
    assert raise_one(resident, grid, category).response_due_at == at(2026, 5, 6, 10, 30)


def test_the_community_can_keep_clock_hours(clock, grid, category, resident):
    grid.community.response_deadline, grid.community.response_deadline_unit = 48, "hours"
    grid.community.save()
    clock.set(at(2026, 9, 30, 10))
    assert raise_one(resident, grid, category).response_due_at == at(2026, 10, 2, 10)


def test_a_local_day_off_moves_the_deadline(clock, grid, category, resident):
    LocalDay.objects.create(community=grid.community, day=date(2026, 3, 10), kind="off", note="Clean-up day")
    clock.set(at(2026, 3, 9, 10))  # Mon; Tue 10 is off here → Wed 11, Thu 12
    assert raise_one(resident, grid, category).response_due_at == at(2026, 3, 12, 17, 30)


def test_an_issue_raised_on_30_september_is_not_escalated_during_national_day(clock, grid, category, resident, chair):
    clock.set(at(2026, 9, 30, 10))
    issue = raise_one(resident, grid, category)
    assert issue.response_due_at == at(2026, 10, 9, 17, 30)  # Thu 8, Fri 9 Oct
    for day in range(1, 10):
        assert services.sweep_issues(now=at(2026, 10, day, 17, 0))["escalated"] == 0
    assert services.sweep_issues(now=at(2026, 10, 9, 17, 31))["escalated"] == 1
    issue.refresh_from_db()
    assert issue.escalated_at == at(2026, 10, 9, 17, 31)
    assert Notification.objects.filter(user=chair, message__contains="escalated").exists()


def test_the_reporters_answer_restarts_the_clock_on_the_calendar(clock, grid, category, resident, grid_worker):
    clock.set(at(2026, 6, 17, 9))
    issue = raise_one(resident, grid, category)
    services.ask_for_information(grid_worker, issue_id=issue.pk, question="Which floor?")
    clock.set(at(2026, 6, 18, 20))  # Thu evening; the Dragon Boat holiday is Fri 19 – Sun 21 Jun
    services.comment_on_issue(resident, issue_id=issue.pk, text="The 7th floor.")
    issue.refresh_from_db()
    assert issue.status == Issue.Status.NEW and issue.response_due_at == at(2026, 6, 23, 17, 30)  # Mon 22, Tue 23
    assert services.sweep_issues(now=at(2026, 6, 22, 17, 31))["escalated"] == 0


def test_taking_an_issue_up_sets_its_resolution_due_by_the_category(clock, grid, category, resident, grid_worker):
    category.resolution_deadline, category.resolution_deadline_unit = 3, "working_days"
    category.save()
    clock.set(at(2026, 9, 24, 11))
    issue = raise_one(resident, grid, category)
    clock.set(at(2026, 9, 24, 15))  # Thu; Fri 25 – Sun 27 Mid-Autumn → Mon 28, Tue 29, Wed 30 Sep
    services.triage_issue(grid_worker, issue_id=issue.pk, tier="major")
    issue.refresh_from_db()
    assert issue.resolution_due_at == at(2026, 9, 30, 17, 30)
    assert issue.first_response_at == at(2026, 9, 24, 15)


def test_a_routine_take_up_uses_the_communitys_resolution_deadline(clock, grid, category, resident, grid_worker):
    clock.set(at(2026, 2, 12, 10))
    issue = raise_one(resident, grid, category)
    services.triage_issue(grid_worker, issue_id=issue.pk, tier="routine", task_title="Dry the stairs",
                          owner_user_id=grid_worker.pk, due_date=date(2026, 2, 27))
    issue.refresh_from_db()
    # 10 working days after Thu 12 Feb: Fri 13, Sat 14, Tue 24 … Fri 27, Sat 28, Mon 2, Tue 3, Wed 4 Mar
    assert issue.resolution_due_at == at(2026, 3, 4, 17, 30)


def test_the_issue_page_shows_when_the_response_and_the_resolution_are_due(client, clock, grid, category,
                                                                          resident, grid_worker):
    issue = raise_one(resident, grid, category)
    client.force_login(resident)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "Answer due from the grid workers" in page and "Resolution due" not in page
    services.triage_issue(grid_worker, issue_id=issue.pk, tier="major")
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "Resolution due" in page


def test_a_deadline_already_set_does_not_move_when_the_calendar_changes(clock, grid, category, resident):
    clock.set(at(2026, 3, 9, 10))
    issue = raise_one(resident, grid, category)
    LocalDay.objects.create(community=grid.community, day=date(2026, 3, 10), kind="off")
    issue.refresh_from_db()
    assert issue.response_due_at == at(2026, 3, 11, 17, 30)
    assert IssueEvent.objects.filter(issue=issue).count() == 1
    assert issue.response_due_at - issue.created_at > timedelta(hours=48)


def test_a_task_may_be_due_in_working_days_counted_on_the_calendar(clock, grid, category, resident, grid_worker):
    from ledger.forms import TaskFieldsForm

    clock.set(at(2026, 9, 29, 10))  # Tue; Wed 30 Sep, then Thu 8, Fri 9 Oct
    form = TaskFieldsForm({"task_title": "Fix the pump", "owner_user": grid_worker.pk, "due_in_working_days": "3"},
                          community=grid.community)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_date"] == date(2026, 10, 9)
    both = TaskFieldsForm({"due_date": "2026-10-20", "due_in_working_days": "3"}, community=grid.community)
    assert not both.is_valid() and "not both" in str(both.errors)
