"""A vote's decision waits on the outcomes for its tasks; the chair gives it one from its page on a phone, and
another decision is marked as needing none, with the reason everyone reads."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from community.models import Community, Membership, Organisation
from ledger.services import record_decision
from tests.browser.test_issue_journey import sign_in
from tests.conftest import make_user


def test_the_chair_gives_a_votes_decision_its_task_and_says_why_another_needs_none(live, open_page):
    base = live["url"]
    community = Community.objects.create(name="Willow Lane", slug="willow-lane")
    Organisation.objects.create(community=community, name="Greenway Property Services", kind="property")
    chen = make_user("chen@test.org", "Chen Jing")
    Membership.objects.create(user=chen, community=community, role="committee")
    trees = record_decision(chen, community=community, title="Adopted by vote: plant trees", source="poll")
    record_decision(chen, community=community, title="Not adopted: close the canal path", source="poll")

    visitor = open_page(1280)
    visitor.goto(base + "/outcomes/")
    expect(visitor.locator(".decision-row", has_text="plant trees")).to_contain_text("Waiting for its tasks")

    phone = open_page(390)
    sign_in(phone, base, "chen@test.org")
    phone.goto(base + trees.get_absolute_url())
    phone.get_by_label("Task:").fill("Plant twelve trees along the canal path")
    phone.get_by_label("Organisation").select_option(label="Greenway Property Services")
    phone.get_by_label("Due").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    phone.get_by_role("button", name="Add the task").click()
    expect(phone.get_by_text("The task is added; its owner is told.")).to_be_visible()
    expect(phone.locator("#tasks-title + *")).to_contain_text("Plant twelve trees")
    phone.screenshot(path="test-artifacts/decision-task-390.png", full_page=True)

    phone.goto(base + "/outcomes/")
    phone.locator(".decision-row", has_text="close the canal path").get_by_role("link").first.click()
    phone.get_by_text("No task needed?").click()
    phone.get_by_label("Why no task is needed").fill("The vote rejected closing the path: nothing to do.")
    phone.get_by_role("button", name="Say no follow-up is needed").click()

    visitor.reload()
    expect(visitor.locator(".decision-row", has_text="plant trees")).to_contain_text("0 of 1 task done")
    expect(visitor.locator(".decision-row", has_text="close the canal path")).to_contain_text(
        "No follow-up needed: The vote rejected closing the path: nothing to do.")
    expect(visitor.locator(".decision-row", has_text="Waiting for its tasks")).to_have_count(0)
