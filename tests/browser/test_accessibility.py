"""Every page passes axe-core's WCAG 2.1 A/AA and best-practice rules, on a phone and a desktop, in both languages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}
def pages() -> dict:
    """The pages to check, for each kind of visitor, on the demo data."""
    from consult.models import Consultation
    from issues.models import Issue
    from ledger.models import Decision
    from meetings.models import Meeting
    from polls.models import Poll

    new = Issue.objects.filter(grid__number=1, status="new").first().get_absolute_url()
    handled = Issue.objects.filter(grid__number=1, status="in_progress", tier="routine").first().get_absolute_url()
    resolved = Issue.objects.filter(status="resolved").first().get_absolute_url()
    major = Issue.objects.filter(tier="major").first().pk
    decision = Decision.objects.first().get_absolute_url()
    concluded, deliberating, collecting = (
        Consultation.objects.get(phase=phase) for phase in ("concluded", "deliberation", "collecting")
    )
    proposal = deliberating.proposals.order_by("-supports_count").first().get_absolute_url()
    past, upcoming, live_now = (Meeting.objects.get(status=s).get_absolute_url()
                                for s in ("adjourned", "scheduled", "live"))
    open_poll = Poll.objects.get(status="open", kind="general").get_absolute_url()
    ranked = Poll.objects.get(method="ranked")
    score = Poll.objects.get(method="score").get_absolute_url()
    lift = Poll.objects.get(kind="owners", status="closed").get_absolute_url()
    owners_open = Poll.objects.get(kind="owners", status="open").get_absolute_url()
    return {
        None: ["/", "/c/willow-lane/grids/1/", "/accounts/login/", "/accounts/signup/",
               "/accounts/password/reset/", "/no-such-page/", "/issues/", "/outcomes/", decision, resolved,
               "/consultations/", concluded.get_absolute_url(), "/search/?q=canteen", "/meetings/", past,
               live_now, "/polls/", ranked.get_absolute_url(), f"/polls/{ranked.pk}/recount/", score, "/stats/",
               "/c/willow-lane/", f"{past}minutes-print", open_poll, lift,
               "/accounts/password/reset/key/done/"],
        "newcomer@example.org": ["/account/", "/c/willow-lane/join/", "/accounts/email/",
                                 "/accounts/password/change/"],
        "resident@example.org": ["/issues/new", "/account/tokens/", "/accounts/reauthenticate/", new,
                                 "/notifications/", deliberating.get_absolute_url(), proposal,
                                 f"/consultations/{collecting.pk}/propose", live_now, upcoming, open_poll,
                                 "/account/delete/", owners_open, "/c/willow-lane/register/",
                                 "/c/willow-lane/moderation/"],  # the last: the 403 page
        "committee@example.org": [deliberating.get_absolute_url(), proposal, "/consultations/new",
                                  "/c/willow-lane/moderation/", live_now, upcoming, "/meetings/new", "/polls/new",
                                  "/c/willow-lane/warnings/", "/c/willow-lane/audit/",
                                  f"/consultations/{deliberating.pk}/edit", f"/meetings/agenda-from-issue?issue={major}",
                                  f"{upcoming}edit", f"{upcoming}cancel", f"{live_now}adjourn", decision,
                                  "/outcomes/", "/polls/new-owners", owners_open, "/c/willow-lane/register/",
                                  "/c/willow-lane/register/import", "/c/willow-lane/map/"],
        "secretary@example.org": [live_now],
        "moderator@example.org": [collecting.get_absolute_url()],
        "gridworker@example.org": ["/c/willow-lane/requests/", "/c/willow-lane/grids/1/", "/issues/queue/", new,
                                   handled],
        "org@example.org": [handled, "/tasks/ours/", "/notifications/"],
    }


def sign_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.locator("input[name=login]").fill(email)  # the labels are in either language
    page.locator("input[name=password]").fill("yishi-demo")
    page.locator("form.form-card button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)


# Each page once per width, the phone in Chinese and the desktop in English: every page is checked at both
# widths and in both languages (the rules that depend on the text, such as contrast and names, see both).
@pytest.mark.parametrize(("width", "language"), [(390, "zh-hans"), (1280, "en")])
def test_pages_have_no_accessibility_violations(live, browser, width, language):
    call_command("seed_demo", public_passwords_ok=True)
    base, axe, failures = live["url"], Axe(), []
    for who, paths in pages().items():
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        page = context.new_page()
        if who:
            sign_in(page, base, who)
        if who == "resident@example.org":  # the token page asks for the password again: check both pages
            page.goto(base + "/accounts/reauthenticate/")
            page.locator("input[name=password]").fill("yishi-demo")
            page.locator("form.form-card button[type=submit]").click()
            page.wait_for_url(lambda url: "reauthenticate" not in url)
        for path in paths:
            page.goto(base + path)
            results = axe.run(page, options=WCAG)
            if results.violations_count:
                failures.append(f"{path} as {who or 'anonymous'}:\n{results.generate_report()}")
        context.close()
    assert not failures, "\n".join(failures)


def resident_pages() -> dict:
    """The pages a resident uses, which are translated into Tibetan (staff pages may stay English)."""
    every = pages()
    public, resident = every[None], every["resident@example.org"]
    return {
        # (Not /no-such-page/: the test server runs with DEBUG on, so its 404 is Django's debug page.)
        None: [p for p in public
               if not any(s in p for s in ("recount", "minutes-print", "password/reset/key", "no-such"))],
        "newcomer@example.org": ["/account/", "/c/willow-lane/join/"],
        "resident@example.org": [p for p in resident if p not in (
            "/account/tokens/", "/accounts/reauthenticate/", "/c/willow-lane/register/", "/c/willow-lane/moderation/")],
    }


@pytest.mark.parametrize("width", [390, 1280])
def test_the_resident_pages_in_tibetan_are_accessible_and_nothing_is_cut_off(live, browser, width):
    """In Tibetan: the page says so (lang="bo"), axe finds nothing, and stacked letters make nothing overflow."""
    from tests.browser.test_text_resize import MEASURE, SHOWN

    call_command("seed_demo", public_passwords_ok=True)
    base, axe, failures = live["url"], Axe(), []
    for who, paths in resident_pages().items():
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.add_cookies([{"name": "django_language", "value": "bo", "url": base}])
        page = context.new_page()
        if who:
            sign_in(page, base, who)
        for path in paths:
            page.goto(base + path)
            if page.locator("html").get_attribute("lang") != "bo":
                failures.append(f"{path} as {who or 'anonymous'}: lang is not bo")
            results = axe.run(page, options=WCAG)
            if results.violations_count:
                failures.append(f"{path} as {who or 'anonymous'}:\n{results.generate_report()}")
            problems = page.evaluate(MEASURE, page.evaluate(SHOWN))
            failures += [f"{path} as {who or 'anonymous'} at {width} px: {p}" for p in problems]
        context.close()
    assert not failures, "\n".join(failures)
