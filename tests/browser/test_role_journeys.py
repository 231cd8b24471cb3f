"""Each role through its main journey on the demo data, in English and in Chinese, as a person on a phone or a desk.

Labels come from the shipped catalogues (``gettext`` in the language under test), never from guesses. Every step
reached leaves a full-page screenshot, on every run, in test-artifacts/journeys/<language>/<role>-<step>-<what>.png.
"""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from community.models import Community, User
from consult.models import Comment, ModerationReason, Proposal
from issues import services
from issues.models import Category, Issue
from meetings import services as meeting_services
from tests.browser.conftest import ARTIFACTS

PHONE, DESK = 390, 1280
BROWSER_LOCALE = {"en": "en-GB", "zh-hans": "zh-CN"}  # the phone's or desk's own language
HALL = "社区活动中心改造"  # the demo consultation in deliberation (the demo is written in Chinese)
LIVE_MEETING = "联席会议：早市凌晨卸货噪音"
SOLAR = "Solar panels on the roof"  # a proposal in it, by a neighbour from abroad who writes in English
COMMUNITY = {"en": "Willow Lane Community", "zh-hans": "柳巷社区"}  # its name in the reader's language
ISSUE = {  # what the resident of grid 1 writes, in their own language
    "en": ("Stairwell light out in Building 2", "The stairwell is dark from the 3rd floor up since Monday.",
           "Building 2, Unit 1"),
    "zh-hans": ("2号楼楼道灯不亮", "从周一起，三楼以上的楼道一直是黑的。", "2号楼1单元"),
}

pytestmark = pytest.mark.parametrize("language", ["en", "zh-hans"])


class Journey:
    """One person's way through the site in one language: labels from the catalogues, a screenshot per step."""

    def __init__(self, open_page, base: str, *, language: str, role: str, width: int):
        self.base, self.language, self.role, self.steps = base, language, role, 0
        self.page = open_page(width, locale=BROWSER_LOCALE[language])
        self.folder = ARTIFACTS / "journeys" / language
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob(f"{role}-*.png"):
            old.unlink()
        if language != "en":  # otherwise an uncompiled catalogue would pass for a translated page
            assert self._("Outcomes") != "Outcomes", f"no compiled translations for {language}"

    def _(self, message: str, **values) -> str:
        with translation.override(self.language):
            text = translation.gettext(message)
        return text % values if values else text

    def choice(self, choice) -> str:
        """A model choice's label, as the page shows it."""
        with translation.override(self.language):
            return str(choice.label)

    def label(self, message: str) -> re.Pattern:
        """A form label as Django renders it: the translated text and the language's colon."""
        return re.compile(rf"^{re.escape(self._(message))}\s*[:：]?$")

    def step(self, what: str) -> None:
        """The page speaks the person's language; keep a picture of what they see."""
        expect(self.page.locator("html")).to_have_attribute(
            "lang", re.compile(rf"^{re.escape(self.language)}$", re.IGNORECASE))
        self.steps += 1
        self.page.screenshot(path=self.folder / f"{self.role}-{self.steps}-{what}.png", full_page=True)

    def sign_in(self, email: str) -> None:
        User.objects.filter(email=email).update(language=self.language)
        page = self.page
        page.goto(self.base + "/accounts/login/")
        page.get_by_label(self._("Email")).fill(email)
        page.get_by_label(self._("Password")).fill("yishi-demo")
        self.step("sign-in")
        page.get_by_role("button", name=self._("Sign In")).click()
        page.wait_for_url(lambda url: "/accounts/login" not in url)

    def nav(self, message: str) -> None:
        self.page.get_by_role("navigation", name=self._("Main")).get_by_role(
            "link", name=self._(message), exact=True).click()


@pytest.fixture
def demo(live):
    call_command("seed_demo", public_passwords_ok=True)
    return live["url"]


def test_a_visitor_follows_a_decision_to_its_tasks_and_the_scorecards(demo, open_page, language):
    j = Journey(open_page, demo, language=language, role="public", width=PHONE)
    page = j.page
    page.goto(demo + "/")
    expect(page.get_by_role("heading", name=COMMUNITY[language], exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=j._("Sign up to take part"))).to_be_visible()
    j.step("home")

    page.get_by_role("link", name=j._("Decisions and follow-up")).click()
    expect(page.get_by_role("heading", name=j._("Outcomes: what was decided and what was done"))).to_be_visible()
    j.step("outcomes")

    page.get_by_role("link", name="保持消防通道畅通", exact=True).click()
    expect(page.get_by_role("heading", name=j._("Tasks"), exact=True)).to_be_visible()
    task = page.get_by_role("article", name="消防通道划黄线", exact=True)
    expect(task).to_contain_text(j._("%(p)s%% done", p=50))
    expect(task).to_contain_text("油漆已买好，1至3号楼旁的通道已划完。")
    j.step("decision")

    j.nav("Home")
    page.get_by_role("link", name=j._("Scorecards")).first.click()
    expect(page.get_by_role("heading", name=j._("Scorecards"), exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=j._("Grid by grid"))).to_be_visible()
    j.step("scorecards")


def test_a_resident_raises_an_issue_and_argues_for_a_proposal(demo, open_page, language):
    j = Journey(open_page, demo, language=language, role="resident", width=PHONE)
    page = j.page
    j.sign_in("resident@example.org")
    title, body, where = ISSUE[language]
    j.nav("Issues")
    page.get_by_role("link", name=j._("Raise an issue")).click()
    expect(page.get_by_role("heading", name=j._("Raise an issue"))).to_be_visible()
    # The category is named in both languages: each reader picks it in theirs.
    page.get_by_label(j.label("Category")).select_option(label={"en": "Lighting", "zh-hans": "照明"}[language])
    page.get_by_label(j.label("Title")).fill(title)
    page.get_by_label(j.label("What happened")).fill(body)
    page.get_by_label(j.label("Where")).fill(where)
    j.step("raise-form")
    page.get_by_role("button", name=j._("Raise the issue")).click()
    expect(page.get_by_text(j._("Your issue was raised. The grid workers have been told."))).to_be_visible()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.locator("#issue-summary")).to_contain_text(j.choice(Issue.Status.NEW))
    j.step("issue")

    j.nav("Consultations")
    page.get_by_role("link", name=HALL).first.click()
    expect(page.get_by_role("heading", name=HALL)).to_be_visible()
    j.step("consultation")
    page.get_by_role("link", name=SOLAR).first.click()
    page.get_by_label(j.label("Your comment")).first.fill("The district pays half of the panels: let us do it.")
    page.get_by_label(j.choice(Comment.Stance.FOR), exact=True).first.check()
    page.get_by_role("button", name=j._("Post the comment")).first.click()
    expect(page.get_by_text(j._("Your comment was posted."))).to_be_visible()
    expect(page.get_by_role("paragraph").filter(has_text="The district pays half of the panels")).to_be_visible()
    j.step("comment")


def test_a_grid_worker_triages_a_new_issue_from_the_work_queue(demo, open_page, language):
    community = Community.objects.get(slug="willow-lane")
    title, body, where = ISSUE[language]
    services.raise_issue(User.objects.get(email="resident@example.org"), grid_id=community.grids.get(number=1).pk,
                         category_id=Category.objects.get(community=community, name="Lighting").pk,
                         title=title, body=body, location=where)
    j = Journey(open_page, demo, language=language, role="grid-worker", width=DESK)
    page = j.page
    j.sign_in("gridworker@example.org")
    j.nav("Issues")
    page.locator("#main").get_by_role("link", name=j._("My work queue")).click()  # the menu has one too
    waiting = page.get_by_role("region", name=j._("Awaiting triage"))
    expect(waiting.get_by_role("link", name=title)).to_be_visible()
    j.step("queue")

    waiting.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    page.get_by_label(j.choice(Issue.Tier.ROUTINE), exact=True).check()
    page.get_by_role("textbox", name=j.label("Task")).fill("Replace the stairwell lamps")
    page.get_by_label(j.label("Organisation")).select_option(label="常青物业服务公司")
    page.get_by_label(j.label("Due")).fill((timezone.localdate() + timedelta(days=3)).isoformat())
    j.step("triage-form")
    page.get_by_role("button", name=j._("Triage the issue")).click()
    expect(page.get_by_text(j._("The issue was triaged."))).to_be_visible()
    expect(page.get_by_role("heading", name="Replace the stairwell lamps")).to_be_visible()
    expect(page.locator("#issue-summary")).to_contain_text(j.choice(Issue.Status.IN_PROGRESS))
    j.step("triaged")


def test_an_organisation_posts_progress_on_the_task_it_owns(demo, open_page, language):
    j = Journey(open_page, demo, language=language, role="organisation", width=PHONE)
    page = j.page
    j.sign_in("org@example.org")
    expect(page.get_by_text("常青物业服务公司").first).to_be_visible()
    j.step("account")

    j.nav("Outcomes")
    page.get_by_role("link", name="保持消防通道畅通", exact=True).click()
    task = page.get_by_role("article", name="消防通道划黄线", exact=True)
    expect(task).to_contain_text(j._("%(p)s%% done", p=50))
    j.step("task")

    task.get_by_text(j._("Post progress")).click()
    task.get_by_label(j.label("What was done")).fill("Lanes by Buildings 4–6 painted too.")
    task.get_by_label(j.label("Progress %")).fill("80")
    j.step("update-form")
    task.get_by_role("button", name=j._("Post the update")).click()
    expect(page.get_by_text(j._("Your update was posted."))).to_be_visible()
    expect(task).to_contain_text(j._("%(p)s%% done", p=80))
    expect(task).to_contain_text("Lanes by Buildings 4–6 painted too.")
    j.step("posted")


def test_the_committee_chair_answers_a_proposal_in_deliberation(demo, open_page, language):
    j = Journey(open_page, demo, language=language, role="chair", width=DESK)
    page = j.page
    j.sign_in("committee@example.org")
    j.nav("Consultations")
    page.get_by_role("link", name=HALL).first.click()
    expect(page.get_by_role("heading", name=HALL)).to_be_visible()
    j.step("consultation")

    page.get_by_role("link", name=SOLAR).first.click()
    expect(page.get_by_text(j._("Awaiting the committee's answer"))).to_be_visible()
    expect(page.get_by_text(j._("Answer this proposal"))).to_be_visible()  # open while unanswered
    page.get_by_label(j.choice(Proposal.Answer.ACCEPTED), exact=True).check()
    page.get_by_label(j.label("Why")).fill("Accepted for the vote: the roof is repaired first, in the same works.")
    j.step("answer-form")
    page.get_by_role("button", name=j._("Publish the answer")).click()
    expect(page.get_by_text(j._("Your answer was published; the author and supporters are told."))).to_be_visible()
    expect(page.get_by_role("heading", name=j._("The committee's answer"))).to_be_visible()
    summary = page.locator("#proposal-summary")
    expect(summary).to_contain_text("the roof is repaired first")
    expect(summary).to_contain_text(j.choice(Proposal.Answer.ACCEPTED))
    j.step("answered")


def test_the_secretary_completes_the_minutes_of_the_adjourned_meeting(demo, open_page, language):
    meeting = Community.objects.get(slug="willow-lane").meetings.get(title=LIVE_MEETING)
    with translation.override(language):  # the chair adjourns in the same language: it writes the draft's headings
        meeting_services.adjourn_meeting(User.objects.get(email="committee@example.org"), meeting_id=meeting.pk)
    j = Journey(open_page, demo, language=language, role="secretary", width=DESK)
    page = j.page
    j.sign_in("secretary@example.org")
    j.nav("Meetings")
    page.get_by_role("link", name=LIVE_MEETING).first.click()
    expect(page.get_by_role("heading", name=LIVE_MEETING)).to_be_visible()
    minutes = page.get_by_label(j.label("Minutes"))
    expect(minutes).to_have_value(re.compile("3号网格居民反映每天凌晨4:30起卸货噪音扰民"))
    j.step("draft")

    minutes.fill(minutes.input_value() + "\n\nThe market traders will unload at the north entrance from 6 am.")
    page.get_by_role("button", name=j._("Save the minutes")).click()
    expect(page.get_by_text(j._("The minutes are saved."))).to_be_visible()
    expect(page.locator(".minutes .markdown").first).to_contain_text("unload at the north entrance from 6 am")
    j.step("saved")


def test_a_moderator_hides_a_reported_comment_with_a_reason(demo, open_page, language):
    j = Journey(open_page, demo, language=language, role="moderator", width=DESK)
    page = j.page
    j.sign_in("moderator@example.org")
    j.nav("Consultations")
    page.get_by_role("link", name=j._("Moderation"), exact=True).click()
    expect(page.get_by_role("heading", name=j._("Waiting for a moderator"))).to_be_visible()
    item = page.locator("li.card", has_text="装修买油漆请到运河街我的店")
    expect(item).to_contain_text(j.choice(ModerationReason.SPAM))
    j.step("queue")

    item.get_by_text(j._("Moderate"), exact=True).click()
    item.get_by_label(j.label("Reason")).select_option(label=j.choice(ModerationReason.SPAM))
    item.get_by_label(j.label("Explanation for the author")).fill("No advertising in the consultation, please.")
    j.step("moderate-form")
    item.get_by_role("button", name=j._("Hide"), exact=True).click()
    expect(page.get_by_text(j._("Done. The author is told why."))).to_be_visible()
    expect(page.locator("li.card", has_text="装修买油漆请到运河街我的店")).to_have_count(0)
    expect(page.get_by_role("table")).to_contain_text("No advertising in the consultation, please.")
    j.step("hidden")


def test_staff_find_a_user_in_the_admin(demo, open_page, language):
    j = Journey(open_page, demo, language=language, role="staff", width=DESK)
    page = j.page
    j.sign_in("staff@example.org")
    j.nav("Admin")
    expect(page.get_by_role("heading", name=j._("Site administration"))).to_be_visible()
    j.step("admin")

    page.get_by_role("link", name=capfirst(j._("users")), exact=True).first.click()
    page.get_by_role("search").get_by_role("textbox").fill("resident@example.org")
    page.get_by_role("button", name=j._("Search"), exact=True).click()
    result = page.get_by_role("link", name="resident@example.org", exact=True)
    expect(result).to_have_count(1)
    j.step("search")

    result.click()
    expect(page.get_by_role("heading", name=j._("Change %s") % capfirst(j._("user")))).to_be_visible()
    expect(page.get_by_role("heading", name=User.objects.get(email="resident@example.org").public_name)).to_be_visible()
    expect(page.get_by_role("textbox", name=re.compile(re.escape(j._("email address")), re.I))).to_have_value(
        "resident@example.org")
    j.step("user")
