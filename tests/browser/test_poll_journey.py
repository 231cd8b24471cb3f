"""Voting in the browser: by keyboard only, with a receipt; results appear live in a second browser."""

from playwright.sync_api import expect

from community.models import Community, Grid, Membership
from polls import services
from tests.browser.test_issue_journey import sign_in
from tests.browser.test_keyboard import tab_to
from tests.conftest import make_user


def test_vote_by_keyboard_see_the_receipt_and_watch_results_live(live, open_page):
    base = live["url"]
    community = Community.objects.create(name="Willow Lane", slug="willow-lane")
    grid = Grid.objects.create(community=community, number=1, name="Willow Court")
    chen = make_user("chen@test.org", "Chen Jing")
    Membership.objects.create(user=chen, community=community, role="committee")
    mei = make_user("mei@test.org", "Mei")
    Membership.objects.create(user=mei, community=community, role="resident", grid=grid)
    secret = services.open_poll(chen, poll_id=services.create_poll(
        chen, community_id=community.pk, title="Paint the hall green?", options=[]).pk)
    live_poll = services.open_poll(chen, poll_id=services.create_poll(
        chen, community_id=community.pk, title="Which day for the repair café?", method="single",
        options=["Saturday", "Sunday"], secret=False, live_results=True).pk)

    # Someone follows both polls in another browser, without signing in.
    watcher = open_page(1280)
    watcher.goto(base + live_poll.get_absolute_url())
    expect(watcher.get_by_text("0 of 1 eligible voted.")).to_be_visible()

    # Mei votes with the keyboard only.
    phone = open_page(390)
    sign_in(phone, base, "mei@test.org")
    phone.goto(base + secret.get_absolute_url())
    tab_to(phone, phone.get_by_role("radio", name="Yes"))  # Tab, Tab…: each control shows its focus
    phone.keyboard.press("Space")
    phone.keyboard.press("Tab")
    expect(phone.get_by_role("button", name="Cast my vote")).to_be_focused()
    phone.keyboard.press("Enter")
    expect(phone.get_by_text("Your vote is counted.")).to_be_visible()
    expect(phone.get_by_role("heading", name="Your receipt")).to_be_visible()
    code = phone.locator(".receipt-code strong").inner_text()
    assert len(code) == 27

    phone.goto(base + live_poll.get_absolute_url())
    tab_to(phone, phone.get_by_role("radio", name="Saturday"))
    phone.keyboard.press("ArrowDown")  # moves to Sunday and chooses it
    expect(phone.get_by_role("radio", name="Sunday")).to_be_checked()
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")
    expect(phone.get_by_text("Your vote is counted.")).to_be_visible()
    expect(watcher.get_by_text("1 of 1 eligible voted.")).to_be_visible()  # live, no reload
    expect(watcher.locator("#poll-results table")).to_contain_text("Sunday")

    # The secret poll closes; the watcher's page shows the result by itself, and the receipt checks out.
    watcher.goto(base + secret.get_absolute_url())
    expect(watcher.get_by_text("A secret ballot shows no counts until it closes.")).to_be_visible()
    desk = open_page(1280)
    sign_in(desk, base, "chen@test.org")
    desk.goto(base + secret.get_absolute_url())
    desk.get_by_role("button", name="Close and count…").click()
    desk.get_by_role("button", name="Yes, close and count").click()
    expect(watcher.get_by_text("1 of 1 eligible voted.")).to_be_visible()  # the watcher's page, by itself
    expect(watcher.get_by_text("Adopted")).to_be_visible()
    watcher.goto(base + f"/polls/{secret.pk}/recount/")
    watcher.get_by_label("Your receipt code").fill(code)
    watcher.get_by_label("Your receipt code").press("Enter")
    expect(watcher.get_by_text("Yes: a ballot with this receipt is among those counted.")).to_be_visible()
