"""Voting in the browser: by keyboard only, with a receipt; results appear live in a second browser; a ballot sent
again from another tab is refused, saying why."""

from playwright.sync_api import expect

from community.models import Community, Grid, Membership
from polls import services
from tests.browser.conftest import ARTIFACTS
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


def test_a_ballot_sent_again_from_a_second_tab_is_not_counted_twice_and_says_so(live, open_page):
    """Mei opened the poll in two tabs (or kept an old one): the second ballot is refused on a page that says her
    first one counts, in her language, with her receipt and the way back."""
    base = live["url"]
    community = Community.objects.create(name="Willow Lane", slug="willow-lane")
    grid = Grid.objects.create(community=community, number=1, name="Willow Court")
    chen = make_user("chen@test.org", "Chen Jing")
    Membership.objects.create(user=chen, community=community, role="committee")
    mei = make_user("mei@test.org", "Mei")
    Membership.objects.create(user=mei, community=community, role="resident", grid=grid)
    poll = services.open_poll(chen, poll_id=services.create_poll(
        chen, community_id=community.pk, title="Which day for the market?", method="single",
        options=["Saturday", "Sunday"]).pk)
    phone = open_page(390)
    sign_in(phone, base, "mei@test.org")
    old_tab = phone.context.new_page()
    old_tab.goto(base + poll.get_absolute_url())
    phone.goto(base + poll.get_absolute_url())
    phone.get_by_role("radio", name="Saturday").check()
    phone.get_by_role("button", name="Cast my vote").click()
    expect(phone.get_by_text("Your vote is counted.")).to_be_visible()
    code = phone.locator(".receipt-code strong").inner_text()

    old_tab.get_by_role("radio", name="Sunday").check()
    old_tab.get_by_role("button", name="Cast my vote").click()
    expect(old_tab.get_by_role("heading", name="You have already voted")).to_be_visible()
    expect(old_tab.get_by_text("it was not counted again")).to_be_visible()
    expect(old_tab.locator(".receipt-code")).to_have_text(code)
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (390, 1280):
        old_tab.set_viewport_size({"width": width, "height": 900})
        old_tab.screenshot(path=str(ARTIFACTS / f"already-voted-{width}.png"), full_page=True)
    old_tab.get_by_role("link", name="Back to the poll").click()
    expect(old_tab.get_by_text("You voted. Thank you.")).to_be_visible()
    saturday = poll.options.get(text="Saturday").pk
    assert services.ballot_box().dump(poll.box_key)["ballots"] == [f"{saturday}"]
