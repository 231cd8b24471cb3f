"""Text resized to 200 % loses nothing: on a phone and a desktop, the main pages, signed out and in.

The root font size of the open page is set to 200 % (text-only zoom: sizes in rem and em double, the
viewport and the layout's breakpoints stay as they were). Then: the page does
not scroll sideways, no text is cut off by a box that hides its overflow, and every control that was on
screen is still shown and within the page's width (or in a region that scrolls sideways by itself, such
as a wide table). Screenshots go to test-artifacts/text-200/ to look at.
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS

CONTROLS = """[...document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])')]"""

SHOWN = "() => " + CONTROLS + """.map((el, i) => {
  const r = el.getBoundingClientRect();
  const shown = r.width > 0 && r.height > 0 && el.checkVisibility({visibilityProperty: true})
    && !el.closest(".skip-link, .visually-hidden") && r.bottom + scrollY > 0;
  return shown ? i : -1;
}).filter(i => i >= 0)"""

MEASURE = """(shownBefore) => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  const pageWidth = document.scrollingElement.scrollWidth;
  const scrollsSideways = el => {
    for (let a = el.parentElement; a; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if ((o === "auto" || o === "scroll") && a.scrollWidth > a.clientWidth) return true;
    }
    return false;
  };
  const describe = el => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${
    el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : ""
  } "${(el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 40)}"`;
  if (pageWidth > width + 1) {
    // Name the widest boxes that stick out of a parent that fits: the ones to fix.
    const wide = [...document.querySelectorAll("body *")].filter(
      el => Math.max(el.getBoundingClientRect().right, el.getBoundingClientRect().left + el.scrollWidth) > width + 1
        && !scrollsSideways(el));
    const culprits = (wide.filter(el => !wide.includes(el.parentElement)).length
      ? wide.filter(el => !wide.includes(el.parentElement)) : wide).slice(0, 3).map(el => describe(el));
    problems.push(`the page scrolls sideways: ${pageWidth} px in ${width} px, past it: ${culprits.join(", ")}`);
  }
  for (const el of document.querySelectorAll("body *")) {
    const style = getComputedStyle(el);
    const hides = ["hidden", "clip"];
    if (!hides.includes(style.overflowX) && !hides.includes(style.overflowY)
        && style.textOverflow !== "ellipsis") continue;
    if (el.closest(".visually-hidden, .skip-link") || el.clientWidth <= 1 || !(el.innerText || "").trim()) continue;
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
      problems.push(`text cut off in ${describe(el)}: ${el.scrollWidth}×${el.scrollHeight} px shown in `
                    + `${el.clientWidth}×${el.clientHeight}`);
  }
  const controls = CONTROLS_LIST;
  for (const i of shownBefore) {
    const el = controls[i], r = el.getBoundingClientRect();
    if (!(r.width > 0 && r.height > 0) || !el.checkVisibility({visibilityProperty: true}))
      problems.push(`control no longer shown: ${describe(el)}`);
    else if ((r.left < -1 || r.right > width + 1) && !scrollsSideways(el))
      problems.push(`control outside the page's width: ${describe(el)} at ${Math.round(r.left)}–`
                    + `${Math.round(r.right)} px of ${width}`);
  }
  return problems;
}""".replace("CONTROLS_LIST", CONTROLS)


def pages() -> dict:
    """The main pages for each kind of visitor (None: the public), on the demo data."""
    from consult.models import Consultation
    from issues.models import Issue
    from ledger.models import Decision
    from meetings.models import Meeting
    from polls.models import Poll

    deliberating = Consultation.objects.get(phase="deliberation")
    live_now = Meeting.objects.get(status="live").get_absolute_url()
    open_poll = Poll.objects.get(status="open", kind="general").get_absolute_url()
    return {
        None: [
            "/", "/issues/", Issue.objects.filter(status="resolved").first().get_absolute_url(), "/consultations/",
            deliberating.get_absolute_url(), deliberating.proposals.first().get_absolute_url(), "/outcomes/",
            Decision.objects.first().get_absolute_url(), "/meetings/", Meeting.objects.get(
                status="adjourned").get_absolute_url(), "/polls/", Poll.objects.get(method="ranked").get_absolute_url(),
            "/stats/", "/search/?q=canteen", "/accounts/login/", "/accounts/signup/",
        ],
        "resident@example.org": ["/", "/issues/new", "/account/", "/notifications/", live_now, open_poll],
        "committee@example.org": [live_now, "/meetings/new", "/polls/new", "/c/willow-lane/requests/"],
        "gridworker@example.org": ["/issues/queue/"],
    }


def sign_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill("yishi-demo")
    page.locator("form.form-card button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def text_at_200_percent(page) -> None:
    """The root font size at 200 %: every size in rem or em doubles, the layout's breakpoints stay put."""
    page.evaluate("document.documentElement.style.fontSize = '200%'")  # the CSSOM: allowed by the CSP
    page.wait_for_function("getComputedStyle(document.documentElement).fontSize === '32px'")


@pytest.mark.parametrize("width", [390, 1280])
def test_text_at_200_percent_loses_nothing_on_the_main_pages(live, open_page, width):
    call_command("seed_demo", public_passwords_ok=True)
    base, failures = live["url"], []
    folder = ARTIFACTS / "text-200"
    folder.mkdir(parents=True, exist_ok=True)
    for who, paths in pages().items():
        page = open_page(width)
        if who:
            sign_in(page, base, who)
        for path in paths:
            page.goto(base + path)
            if page.locator("#presence").count():  # a live room: let its snapshot set the buttons first
                expect(page.locator("#presence")).not_to_be_empty()
            shown = page.evaluate(SHOWN)
            assert shown, f"{path}: no controls found"
            text_at_200_percent(page)
            problems = page.evaluate(MEASURE, shown)
            failures += [f"{path} as {who or 'anonymous'} at {width} px: {p}" for p in problems]
            name = re.sub(r"[^a-z0-9]+", "-", f"{width}-{who or 'public'}-{path}".lower()).strip("-")
            page.screenshot(path=folder / f"{name}.png")
    assert not failures, "\n".join(failures)


def test_tibetan_text_at_200_percent_loses_nothing_on_a_phone(live, open_page):
    """Tibetan's stacked letters on larger lines: the residents' main pages at 200 % on a phone, in Tibetan."""
    call_command("seed_demo", public_passwords_ok=True)
    base, failures = live["url"], []
    folder = ARTIFACTS / "text-200-bo"
    folder.mkdir(parents=True, exist_ok=True)
    for who, paths in pages().items():
        if who not in (None, "resident@example.org"):
            continue  # staff pages may stay English
        page = open_page(390)
        page.context.add_cookies([{"name": "django_language", "value": "bo", "url": base}])
        if who:
            sign_in(page, base, who)
        for path in paths:
            page.goto(base + path)
            assert page.locator("html").get_attribute("lang") == "bo"
            if page.locator("#presence").count():
                expect(page.locator("#presence")).not_to_be_empty()
            shown = page.evaluate(SHOWN)
            text_at_200_percent(page)
            failures += [f"{path} as {who or 'anonymous'}: {p}" for p in page.evaluate(MEASURE, shown)]
            name = re.sub(r"[^a-z0-9]+", "-", f"{who or 'public'}-{path}".lower()).strip("-")
            page.screenshot(path=folder / f"{name}.png")
    assert not failures, "\n".join(failures)
