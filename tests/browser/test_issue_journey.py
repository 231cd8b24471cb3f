"""The loop in a browser: raise with a photo → triage → the property manager reports → a poor rating reopens."""

import re
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from community.models import Community, Grid, Membership, Organisation
from issues.models import Category, Issue
from tests.conftest import make_user

PHOTO = Path(__file__).resolve().parents[1] / "issues" / "images" / "with-gps.jpg"


def sign_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def test_raise_triage_report_rate_and_reopen(live, open_page):
    base = live["url"]
    community = Community.objects.create(name="Willow Lane", slug="willow-lane")
    grid = Grid.objects.create(community=community, number=1, name="Willow Court")
    Category.objects.create(community=community, name="Lifts")
    manager = Organisation.objects.create(community=community, name="Evergreen Property", kind="property")
    resident = make_user("mei@test.org", "Mei")
    Membership.objects.create(user=resident, community=community, role="resident", grid=grid)
    worker = make_user("li@test.org", "Li Na")
    Membership.objects.create(user=worker, community=community, role="grid_worker", grid=grid)
    rep = make_user("deng@test.org", "Deng Wei")
    Membership.objects.create(user=rep, community=community, role="org_rep", organisation=manager)

    # Li Na keeps the grid's issue list open on her desk.
    desk = open_page(1280)
    sign_in(desk, base, "li@test.org")
    desk.goto(base + "/issues/")
    expect(desk.get_by_text("No issue matches")).to_be_visible()

    # Mei raises an issue with a photo, on her phone; it appears on Li Na's list by itself.
    phone = open_page(390)
    sign_in(phone, base, "mei@test.org")
    phone.goto(base + "/issues/new")
    phone.get_by_label("Category").select_option(label="Lifts")
    phone.get_by_label("Title").fill("Lift stuck between floors")
    phone.get_by_label("What happened").fill("It stopped between the **5th and 6th** floor.")
    phone.get_by_label("Where").fill("Building 3, Unit 2")
    phone.get_by_label("Photos").set_input_files(str(PHOTO))
    phone.get_by_label("Contact").fill("139 0000 1111")
    phone.get_by_role("button", name="Raise the issue").click()
    expect(phone.get_by_role("heading", name="Lift stuck between floors")).to_be_visible()
    expect(phone.get_by_text("Awaiting triage").first).to_be_visible()
    expect(phone.get_by_role("img", name="Photo 1 of the issue")).to_be_visible()
    issue = Issue.objects.get()
    expect(desk.get_by_role("link", name="Lift stuck between floors")).to_be_visible()

    # Li Na triages it as routine for the property manager; Mei's open page updates by itself.
    desk.goto(base + issue.get_absolute_url())
    expect(desk.get_by_text("139 0000 1111")).to_be_visible()
    desk.get_by_label("Routine").check()
    desk.get_by_role("textbox", name=re.compile(r"^Task")).fill("Repair the lift")
    desk.get_by_label("Organisation").select_option(label="Evergreen Property")
    desk.get_by_label("Due").fill((timezone.localdate() + timedelta(days=3)).isoformat())
    desk.get_by_role("button", name="Triage the issue").click()
    expect(desk.get_by_text("The issue was triaged.")).to_be_visible()
    expect(phone.locator("#timeline")).to_contain_text("assigned a task to Evergreen Property")
    expect(phone.get_by_role("heading", name="Repair the lift")).to_be_visible()  # the new task card, live

    # Deng Wei, for the property manager, posts progress and then done.
    manager_page = open_page(390)
    sign_in(manager_page, base, "deng@test.org")
    manager_page.goto(base + issue.get_absolute_url())
    manager_page.get_by_text("Post progress").click()
    manager_page.get_by_label("What was done").fill("Technician inspected; parts ordered.")
    manager_page.get_by_label("Progress %").fill("40")
    manager_page.get_by_role("button", name="Post the update").click()
    expect(manager_page.get_by_text("Your update was posted.")).to_be_visible()
    manager_page.get_by_text("Post progress").click()
    manager_page.get_by_label("What was done").fill("Repaired and tested.")
    manager_page.get_by_label("Progress %").fill("100")
    manager_page.get_by_label("Status").select_option(label="Done")
    manager_page.get_by_role("button", name="Post the update").click()
    expect(manager_page.get_by_text("100% done")).to_be_visible()

    # Li Na marks it resolved.
    desk.goto(base + issue.get_absolute_url())
    desk.get_by_text("Mark resolved").first.click()
    desk.get_by_role("button", name="Mark resolved").click()
    expect(desk.get_by_text("Resolved, awaiting ratings").first).to_be_visible()

    # Mei rates it 2: the issue is reopened, visibly.
    phone.goto(base + issue.get_absolute_url())
    phone.get_by_label("2 — badly").check()
    phone.get_by_label("Comment", exact=False).last.fill("Stuck again the next morning.")
    phone.get_by_role("button", name="Send my rating").click()
    expect(phone.get_by_text("The issue was reopened: the reporter rated it 2 of 5.")).to_be_visible()
    expect(phone.get_by_text("Reopened once")).to_be_visible()
    expect(phone.get_by_text(re.compile("In progress")).first).to_be_visible()
    issue.refresh_from_db()
    assert (issue.status, issue.reopened_count) == ("in_progress", 1)
