"""A grid worker's day in Chinese: on a phone she sees what is overdue and what is due soon, takes an issue up
and reads when its resolution is due; the committee sees every worker's load and hands the issue over."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from community.models import Community, Grid, Membership
from issues import services
from issues.models import Category, Issue
from notifications.models import Notification
from tests.browser.test_issue_journey import sign_in
from tests.conftest import make_user


def test_a_grid_workers_day_and_the_committee_handing_an_issue_over(live, open_page):
    base = live["url"]
    community = Community.objects.create(name="Lotus Garden", slug="lotus-garden")
    grid = Grid.objects.create(community=community, number=1, name="Lotus Court")
    water = Category.objects.create(community=community, name="Water")
    gao = make_user("gao@test.org", "Gao Min")
    Membership.objects.create(user=gao, community=community, role="committee", position="chair")
    zhou = make_user("zhou@test.org", "Zhou Yan", language="zh-hans")
    qian = make_user("qian@test.org", "Qian Li", language="zh-hans")
    for worker in (zhou, qian):
        Membership.objects.create(user=worker, community=community, role="grid_worker", grid=grid)
    sun = make_user("sun@test.org", "Sun Hua")
    Membership.objects.create(user=sun, community=community, role="resident", grid=grid)
    late = services.raise_issue(sun, grid_id=grid.pk, category_id=water.pk, title="Leak under the stairs",
                                body="Water on the floor.")
    services.triage_issue(zhou, issue_id=late.pk, tier="major")
    Issue.objects.filter(pk=late.pk).update(resolution_due_at=timezone.now() - timedelta(hours=3))
    soon = services.raise_issue(sun, grid_id=grid.pk, category_id=water.pk, title="No hot water in Building 2",
                                body="Since this morning.")
    Issue.objects.filter(pk=soon.pk).update(response_due_at=timezone.now() + timedelta(minutes=40))

    phone = open_page(390)
    sign_in(phone, base, "zhou@test.org")
    phone.goto(base + "/issues/queue/?community=lotus-garden")
    expect(phone.locator("html")).to_have_attribute("lang", "zh-Hans")
    my_day = phone.locator(".my-day")
    overdue, due_soon = my_day.locator(".issue-list").nth(0), my_day.locator(".issue-list").nth(1)
    expect(overdue.locator(".issue-row", has_text="Leak under the stairs").locator(".badge-rejected")).to_be_visible()
    expect(due_soon).to_contain_text("No hot water in Building 2")
    expect(overdue).not_to_contain_text("No hot water")
    phone.screenshot(path="test-artifacts/grid-worker-day-390.png", full_page=True)

    due_soon.get_by_role("link", name="No hot water in Building 2").click()
    phone.locator('input[name="triage-tier"][value="major"]').check()
    phone.locator('form[action$="/triage"] button[type="submit"]').click()
    expect(phone.locator(".resolution-due")).to_contain_text(str(timezone.localdate().year))
    expect(phone.locator(".in-charge")).to_contain_text("Zhou Yan")
    soon.refresh_from_db()
    assert soon.assignee == zhou and soon.resolution_due_at is not None

    desk = open_page(1280)
    sign_in(desk, base, "gao@test.org")
    desk.goto(base + "/c/lotus-garden/load/")
    zhou_row = desk.locator(".load-table tr", has_text="Zhou Yan")
    expect(zhou_row.locator("td").nth(0)).to_have_text("2")  # open
    expect(zhou_row.locator("td").nth(2)).to_have_text("1")  # overdue
    desk.get_by_text("Zhou Yan: 2 open issues").click()
    desk.get_by_role("link", name="No hot water in Building 2").click()
    desk.get_by_text("Hand over to another grid worker").click()
    desk.locator('select[name="hand_over-to"]').select_option(label="Qian Li")
    desk.locator('textarea[name="hand_over-note"]').fill("Zhou is on leave tomorrow.")
    desk.get_by_role("button", name="Hand over", exact=True).click()
    expect(desk.get_by_text("The issue was handed over.")).to_be_visible()
    expect(desk.locator(".event-handed_over")).to_contain_text("handed the issue over to Qian Li")
    expect(desk.locator(".in-charge")).to_contain_text("Qian Li")
    assert Notification.objects.filter(user=qian, url=soon.get_absolute_url()).exists()
    assert Notification.objects.filter(user=sun, url=soon.get_absolute_url(), message__contains="Qian Li").exists()

    desk.goto(base + "/c/lotus-garden/load/")
    expect(desk.locator(".load-table tr", has_text="Qian Li").locator("td").nth(0)).to_have_text("1")
