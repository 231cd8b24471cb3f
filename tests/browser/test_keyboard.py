"""By keyboard alone: sign in, raise an issue, and in a live meeting room check in, raise a hand and chat.

Only Tab, Shift+Tab, Enter, Space, the arrow keys and typed text: no clicks, no programmatic focus. Every
control the keyboard lands on shows a visible focus outline. Voting by keyboard is in test_poll_journey.py,
with the same helper.
"""

from django.utils import timezone
from playwright.sync_api import expect

from community.models import Community, Grid, Membership
from issues.models import Category, Issue
from meetings import services
from tests.conftest import make_user

FOCUS_STYLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return {outline, shadow: style.boxShadow !== "none", tag: el.tagName,
          text: (el.getAttribute("aria-label") || el.innerText || el.name || el.id || "").trim().slice(0, 60)};
}"""


def focused_description(page) -> dict:
    """The focused control, after checking that it shows where the focus is."""
    focus = page.evaluate(FOCUS_STYLE)
    assert focus is not None, "the focus left the page's controls"
    assert focus["outline"] or focus["shadow"], f"no visible focus on {focus['tag']} {focus['text']!r}"
    return focus


def tab_to(page, target, *, limit: int = 60, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until ``target`` has the focus; each control passed must show its focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        focused_description(page)
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{limit} presses of {key} never reached {target}")


def sign_in_by_keyboard(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    tab_to(page, page.get_by_label("Email"))
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type("correct horse battery")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def test_a_resident_raises_an_issue_by_keyboard_alone(live, open_page):
    base = live["url"]
    community = Community.objects.create(name="Willow Lane", slug="willow-lane")
    grid = Grid.objects.create(community=community, number=1, name="Willow Court")
    Category.objects.create(community=community, name="Lifts")
    Category.objects.create(community=community, name="Rubbish")
    mei = make_user("mei@test.org", "Mei")
    Membership.objects.create(user=mei, community=community, role="resident", grid=grid)

    page = open_page(1280)
    sign_in_by_keyboard(page, base, "mei@test.org")
    tab_to(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Issues"))
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/issues/")
    tab_to(page, page.get_by_role("link", name="Raise an issue"))
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/issues/new")

    tab_to(page, page.get_by_label("Category"))
    page.keyboard.press("ArrowDown")  # from "Choose a category" to the first one
    expect(page.get_by_label("Category")).to_have_value(str(Category.objects.get(name="Lifts").pk))
    tab_to(page, page.get_by_label("Title"))
    page.keyboard.type("Lift stuck between floors")
    tab_to(page, page.get_by_label("What happened"))
    page.keyboard.type("It stopped between the 5th and 6th floor.")
    tab_to(page, page.get_by_label("Where"))
    page.keyboard.type("Building 3, Unit 2")
    tab_to(page, page.get_by_label("Show my name with this issue"))
    page.keyboard.press("Space")
    expect(page.get_by_label("Show my name with this issue")).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Raise the issue"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Lift stuck between floors")).to_be_visible()
    issue = Issue.objects.get()
    assert (issue.title, issue.category.name, issue.location) == (
        "Lift stuck between floors", "Lifts", "Building 3, Unit 2")
    assert issue.name_public


def test_in_the_live_room_a_resident_checks_in_raises_a_hand_and_chats_by_keyboard(live, open_page):
    base = live["url"]
    community = Community.objects.create(name="Willow Lane", slug="willow-lane")
    grid = Grid.objects.create(community=community, number=1, name="Willow Court")
    chen = make_user("chen@test.org", "Chen Jing")
    Membership.objects.create(user=chen, community=community, role="committee")
    mei = make_user("mei@test.org", "Mei")
    Membership.objects.create(user=mei, community=community, role="resident", grid=grid)
    meeting = services.schedule_meeting(
        chen, community_id=community.pk, kind="joint", title="Market noise", starts_at=timezone.now(),
        chair_id=chen.pk, secretary_id=chen.pk, place="Hall", audience="community", quorum=1,
    )
    services.add_agenda_item(chen, meeting_id=meeting.pk, title="Unloading before 5 am")
    services.open_meeting(chen, meeting_id=meeting.pk)

    page = open_page(390)
    sign_in_by_keyboard(page, base, "mei@test.org")
    page.goto(base + meeting.get_absolute_url())
    expect(page.locator("#presence")).to_contain_text("In the room: 1")  # the room's socket is open

    tab_to(page, page.get_by_role("button", name="Check in: I am here"))
    page.keyboard.press("Enter")  # a plain form: the page comes back with the check-in counted
    expect(page.get_by_role("button", name="Check in: I am here")).to_have_count(0)
    page.wait_for_load_state()
    expect(page.locator("#present-count")).to_have_text("1")
    expect(page.locator("#presence")).to_contain_text("In the room: 1")  # the new page's socket is open
    tab_to(page, page.get_by_role("button", name="Raise my hand"))
    page.keyboard.press("Enter")
    expect(page.locator("#speaker-queue")).to_contain_text("Mei")

    tab_to(page, page.get_by_label("Your message"))
    page.keyboard.type("The trucks woke my baby at 4:30.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Send")).to_be_focused()
    focused_description(page)
    page.keyboard.press("Enter")
    expect(page.locator("#chat")).to_contain_text("The trucks woke my baby at 4:30.")
    expect(page.get_by_label("Your message")).to_have_value("")

    assert meeting.events.filter(kind="chat.message").count() == 1
    assert meeting.speakers.filter(user=mei).exists()
