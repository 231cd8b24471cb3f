"""A resident who reads Tibetan goes through the whole loop in Tibetan: chooses བོད་ཡིག, signs in, asks to join
her grid, raises an issue, follows a neighbour's, rates a resolved one, proposes, supports and comments in a
consultation, votes and reads the result, takes part in a live meeting room and reads her notifications.

The test data are in Tibetan too, so any Latin letters left on a page's controls are untranslated English.
Screenshots at 390 and 1280 px go to test-artifacts/tibetan/ to look at (tofu boxes, clipped stacks, wrapping).
"""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from community.models import Community, Grid, Membership, User
from community.services import approve_membership_request
from consult import services as consult
from issues import services as issues
from issues.models import Category, Issue
from ledger import services as ledger
from meetings import services as meetings
from polls import services as polls
from tests.browser.conftest import ARTIFACTS
from tests.conftest import make_user

# What stays in Latin letters in every language: e-mail addresses, formats and names of standards.
ALLOWED = re.compile(r"\S+@\S+|\b(CSV|JSON|API|Atom|SHA-256|PDF|JPEG|PNG|WebP|MB|KB)\b")
CONTROLS = """() => [...document.querySelectorAll(
  '.main-nav a, .main-nav button, main button, main a.button, main label, main legend, main summary, main h1, main h2,'
  + ' main th, main .help, main .lede, main .empty, .translation-note, .messages p')]
  .filter(el => el.checkVisibility()).map(el => el.innerText.trim()).filter(Boolean)"""


def english_left(page) -> list[str]:
    """The page's visible controls, headings and messages that still hold a word in Latin letters."""
    return [text for text in page.evaluate(CONTROLS) if re.search(r"[A-Za-z]{2,}", ALLOWED.sub("", text))]


PROBLEMS: list[str] = []


def look(page, name: str) -> None:
    """In Tibetan throughout, with the page's language set for screen readers and fonts; a screenshot to look at.

    What is wrong is collected and asserted at the end of the journey, so one run names every page's leftovers.
    """
    if page.locator("html").get_attribute("lang") != "bo":
        PROBLEMS.append(f"{name}: the page's language is not bo")
    PROBLEMS.extend(f"{name} at {page.viewport_size['width']} px: {text!r}" for text in english_left(page))
    folder = ARTIFACTS / "tibetan"
    folder.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)


def sign_in_in_tibetan(page, base, email) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_role("button", name="བོད་ཡིག").click()  # the footer's language switcher
    expect(page.get_by_role("heading", name="ནང་འཛུལ།")).to_be_visible()
    look(page, "sign-in")
    page.get_by_label("གློག་འཕྲིན།").fill(email)
    page.get_by_label("གསང་ཨང་།").fill("correct horse battery")
    page.locator("form.form-card").get_by_role("button", name="ནང་འཛུལ།").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def the_neighbourhood():
    community = Community.objects.create(name="ནང་ཆེན་སྡེ་ཁུལ།", slug="nangchen")
    grid = Grid.objects.create(community=community, number=1, name="ཤར་ཕྱོགས་ཁང་ཁྱིམ།", households=120)
    category = Category.objects.create(community=community, name="འཕར་འདེགས།")
    people = {}
    for email, name, role in [("tsering@test.org", "ཚེ་རིང་", "committee"),
                              ("pasang@test.org", "པ་སངས།", "grid_worker"),
                              ("yangzom@test.org", "དབྱངས་འཛོམས།", "resident")]:
        people[email] = make_user(email, name)
        Membership.objects.create(user=people[email], community=community, role=role,
                                  grid=None if role == "committee" else grid)
    return community, grid, category, people


def test_a_resident_goes_through_the_loop_in_tibetan(live, open_page):
    base = live["url"]
    community, grid, category, people = the_neighbourhood()
    chair, worker, neighbour = people["tsering@test.org"], people["pasang@test.org"], people["yangzom@test.org"]
    dolma = make_user("dolma@test.org", "སྒྲོལ་མ།")

    # Dolma chooses Tibetan on the sign-in page and signs in on her phone; on her account page she keeps it.
    phone = open_page(390)
    sign_in_in_tibetan(phone, base, "dolma@test.org")
    phone.goto(base + "/account/")
    phone.get_by_role("button", name="བོད་ཡིག").click()
    expect(phone.locator("#translation-note")).to_contain_text("བོད་ཡིག་གི་ཡིག་སྒྱུར་འདི་གསར་པ་ཡིན།")
    dolma.refresh_from_db()
    assert dolma.language == "bo"
    look(phone, "account")

    # She asks to join her grid; the grid worker verifies her.
    phone.goto(base + f"/c/{community.slug}/grids/{grid.number}/")
    look(phone, "grid")
    phone.get_by_role("link", name="དྲ་མིག་འདིར་འཛུལ་བར་ཞུ་བ།").click()
    phone.locator("[name=unit]").fill("ཁང་ཁྱིམ་ 3 ཁང་མིག་ 401")
    look(phone, "join")
    phone.get_by_role("button", name="ངའི་ཞུ་བ་སྐུར།").click()
    expect(phone.get_by_text("ཁྱེད་ཀྱི་ཞུ་བ་བཏང་ཟིན།")).to_be_visible()
    approve_membership_request(worker, request_id=dolma.membership_requests.get().pk)

    # She raises an issue.
    phone.goto(base + "/issues/new")
    look(phone, "raise")
    phone.get_by_label("རིགས།").select_option(label="འཕར་འདེགས།")
    phone.get_by_label("ཁ་བྱང་།").fill("འཕར་འདེགས་འཁེལ་འདུག")
    phone.get_by_label("ཅི་ཞིག་བྱུང་།").fill("ཐོག་ 5 དང་ 6 བར་དུ་འཁེལ་འདུག")
    phone.get_by_role("button", name="གནད་དོན་འདོན།").click()
    expect(phone.get_by_role("heading", name="འཕར་འདེགས་འཁེལ་འདུག")).to_be_visible()
    expect(phone.get_by_text("དབྱེ་འབྱེད་ལ་སྒུག་བཞིན།").first).to_be_visible()
    look(phone, "issue")

    # She follows a neighbour's issue.
    lamp = issues.raise_issue(neighbour, grid_id=grid.pk, category_id=category.pk, title="ལམ་སྒྲོན་ཉམས་འདུག",
                              body="ནུབ་མོ་མུན་ནག་རེད།", location="")
    phone.goto(base + lamp.get_absolute_url())
    phone.get_by_role("button", name="ང་ཡང་དེ་བཞིན། · རྗེས་འདེད།").click()
    expect(phone.get_by_role("button", name="རྗེས་འདེད་མཚམས་འཇོག")).to_be_visible()
    look(phone, "follow")

    # Her own issue is handled and resolved; she rates the result.
    mine = Issue.objects.get(reporter=dolma)
    issues.triage_issue(worker, issue_id=mine.pk, tier="routine", task_title="འཕར་འདེགས་བཟོ་བཅོས།",
                        owner_user_id=worker.pk, due_date=timezone.localdate() + timedelta(days=3))
    ledger.post_task_update(worker, task_id=mine.tasks.get().pk, text="བཟོ་བཅོས་ཚར།", progress=100, status="done")
    issues.resolve_issue(worker, issue_id=mine.pk)
    phone.goto(base + mine.get_absolute_url())
    expect(phone.get_by_text("དྲ་མིག་ལས་བྱེད་པས་འདི་གྲུབ་སོང་ཟེར། ལེགས་པར་གྲུབ་བམ།")).to_be_visible()
    look(phone, "rate")
    phone.get_by_label("4 — ལེགས།").check()
    phone.get_by_role("button", name="ངའི་ཚིམ་ཚད་སྐུར།").click()
    expect(phone.get_by_text("ཚིམ་ཚད་སྤྲད་པར་ཐུགས་རྗེ་ཆེ།")).to_be_visible()

    # A consultation: she proposes, supports her neighbour's proposal and comments on it.
    today = timezone.localdate()
    hall = consult.create_consultation(
        chair, community_id=community.pk, grid_id=None, title="ཚོགས་ཁང་བེད་སྤྱོད།", body="ཚོགས་ཁང་ཅི་ལ་བེད་སྤྱོད་དམ།",
        collecting_from=today, deliberation_from=today + timedelta(days=7), voting_from=today + timedelta(days=14),
        concludes_on=today + timedelta(days=21), support_threshold=2)
    consult.advance_phase(chair, consultation_id=hall.pk, to="collecting")
    canteen = consult.submit_proposal(neighbour, consultation_id=hall.pk, title="རྒན་པའི་ཟ་ཁང་།",
                                      body="ཉིན་རེར་ཁ་ལག་དྲོན་མོ།")
    phone.goto(base + hall.get_absolute_url())
    look(phone, "consultation")
    phone.get_by_role("link", name="གྲོས་འཆར་འདོན།").click()
    phone.get_by_label("ཁ་བྱང་།").fill("བྱིས་པའི་རྩེད་ས།")
    phone.get_by_label("ཁྱེད་ཀྱི་གྲོས་འཆར།").fill("གཟའ་མཇུག་ལ་བྱིས་པ་རྩེད་མོ་རྩེ་ས།")
    look(phone, "propose")
    phone.get_by_role("button", name="གྲོས་འཆར་འབུལ།").click()
    expect(phone.get_by_text("ཁྱེད་ཀྱི་གྲོས་འཆར་ཕུལ་ཟིན།")).to_be_visible()
    phone.goto(base + canteen.get_absolute_url())
    phone.get_by_role("button", name="རྒྱབ་སྐྱོར།", exact=True).click()
    expect(phone.get_by_role("button", name="ཁྱེད་ཀྱིས་འདིར་རྒྱབ་སྐྱོར་བྱས། · ཕྱིར་འཐེན།")).to_be_visible()
    phone.locator(".comment-form textarea").first.fill("ལེགས་པོ་འདུག")
    phone.get_by_label("མོས་མཐུན།").check()
    phone.get_by_role("button", name="བསམ་འཆར་སྤེལ།").click()
    expect(phone.get_by_text("ཁྱེད་ཀྱི་བསམ་འཆར་སྤེལ་ཟིན།")).to_be_visible()
    look(phone, "proposal")

    # A poll: she votes and reads the live result.
    day = polls.open_poll(chair, poll_id=polls.create_poll(
        chair, community_id=community.pk, title="ཞིག་གསོ་ཉིན་གང་ལ་བྱེད།", method="single",
        options=["གཟའ་སྤེན་པ།", "གཟའ་ཉི་མ།"], secret=False, live_results=True).pk)
    phone.goto(base + day.get_absolute_url())
    look(phone, "poll")
    phone.get_by_label("གཟའ་ཉི་མ།").check()
    phone.get_by_role("button", name="ངའི་འོས་ཤོག་འཕེན།").click()
    expect(phone.get_by_text("ཁྱེད་ཀྱི་འོས་ཤོག་བརྩིས་ཟིན།")).to_be_visible()
    expect(phone.get_by_text("འོས་ཐོབ་ཅན་ 2 ཡི་ནང་ནས་ 1 ཡིས་འོས་ཤོག་ཕུལ།")).to_be_visible()
    look(phone, "poll-voted")

    # The meeting room, as a participant: she raises her hand and writes in the chat.
    meeting = meetings.schedule_meeting(
        chair, community_id=community.pk, kind="joint", title="ཁྱིམ་མཚེས་ཚོགས་འདུ།",
        starts_at=timezone.now() + timedelta(minutes=30), chair_id=chair.pk, secretary_id=chair.pk, place="ཚོགས་ཁང་།",
        audience="community", quorum=1)
    meetings.open_meeting(chair, meeting_id=meeting.pk)
    phone.goto(base + meeting.get_absolute_url())
    expect(phone.locator("#presence")).to_contain_text("ཚོགས་ཁང་ནང་།")
    phone.get_by_role("button", name="ལག་པ་འདེགས།").click()
    expect(phone.get_by_role("button", name="ལག་པ་འཇོག")).to_be_visible()
    phone.locator("#chat-form textarea, #chat-form input[type=text]").first.fill("བཀྲ་ཤིས་བདེ་ལེགས།")
    phone.locator("#chat-form").get_by_role("button", name="སྐུར།").click()
    expect(phone.locator("#chat")).to_contain_text("བཀྲ་ཤིས་བདེ་ལེགས།")
    look(phone, "meeting-room")

    # Her notifications, written by the system, read in Tibetan.
    phone.goto(base + "/notifications/")
    expect(phone.locator(".notification").first).to_contain_text("ཁྱེད་ལ་གདན་ཞུ་ཞུས། “ཁྱིམ་མཚེས་ཚོགས་འདུ།”")
    # The grid's name too is in Tibetan ("དྲ་མིག 1 · …", not "Grid 1 · …"), though the worker decided in English.
    verified = "ཁྱེད་ད་ནི་ དྲ་མིག་ 1 · ཤར་ཕྱོགས་ཁང་ཁྱིམ། ཡི་ར་སྤྲོད་བྱས་པའི་སྡོད་དམངས་ཡིན།"
    expect(phone.get_by_text(verified)).to_be_visible()
    look(phone, "notifications")

    # The same pages on a desktop.
    desk = open_page(1280)
    sign_in_in_tibetan(desk, base, "dolma@test.org")
    for name, path in [("home", "/"), ("issue", mine.get_absolute_url()), ("proposal", canteen.get_absolute_url()),
                       ("poll-voted", day.get_absolute_url()), ("meeting-room", meeting.get_absolute_url()),
                       ("notifications", "/notifications/"), ("issues", "/issues/")]:
        desk.goto(base + path)
        look(desk, name)
    assert User.objects.get(pk=dolma.pk).language == "bo"
    assert not PROBLEMS, "English left or language wrong:\n" + "\n".join(PROBLEMS)
