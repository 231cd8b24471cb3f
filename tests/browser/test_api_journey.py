"""A resident gives an app a token from her account page, the app raises an issue with it, she revokes it."""

import json
import urllib.error
import urllib.request

from playwright.sync_api import expect

from community.models import Community, Grid, Membership
from issues.models import Category, Issue
from tests.browser.test_issue_journey import sign_in
from tests.conftest import make_user


def call(base, path, token, data=None):
    request = urllib.request.Request(base + path, data=json.dumps(data).encode() if data else None,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_token_from_the_account_page_works_until_revoked(live, open_page):
    base = live["url"]
    community = Community.objects.create(name="Willow Lane", slug="willow-lane")
    grid = Grid.objects.create(community=community, number=1, name="Willow Court")
    lifts = Category.objects.create(community=community, name="Lifts")
    mei = make_user("mei@test.org", "Mei")
    Membership.objects.create(user=mei, community=community, role="resident", grid=grid)

    phone = open_page(390)
    sign_in(phone, base, "mei@test.org")
    phone.goto(base + "/account/")
    phone.get_by_role("link", name="API tokens for apps").click()
    phone.get_by_label("Password").fill("correct horse battery")  # tokens ask for the password again
    phone.get_by_role("button", name="Confirm").click()
    phone.get_by_label("Name").fill("Building app")
    phone.get_by_label("Raise issues and rate how they were handled").check()
    phone.get_by_role("button", name="Create the token").click()
    expect(phone.get_by_text("it is shown only this once")).to_be_visible()
    token = phone.get_by_role("textbox", name="Token").input_value()

    status, issue = call(base, "/api/v1/issues", token, {"category": lifts.pk, "title": "Lift stuck", "body": "Again"})
    assert status == 201 and issue["grid"]["name"] == "Willow Court"
    phone.goto(base + f"/issues/{issue['id']}/")
    expect(phone.get_by_role("heading", name="Lift stuck")).to_be_visible()

    status, refused = call(base, "/api/v1/consultations/1/comments", token, {"body": "Not in my scopes"})
    assert status in (403, 404) and refused["message"]

    phone.goto(base + "/account/tokens/")
    expect(phone.get_by_role("textbox", name="Token")).to_have_count(0)  # shown once, never again
    phone.get_by_role("button", name="Revoke “Building app”").click()
    expect(phone.get_by_text("was revoked")).to_be_visible()
    status, _body = call(base, "/api/v1/issues", token, {"category": lifts.pk, "title": "Again", "body": "Again"})
    assert status == 401 and Issue.objects.count() == 1


def test_the_interactive_documentation_runs_without_inline_script(live, open_page):
    page = open_page(1280)
    page.goto(live["url"] + "/api/v1/docs")
    expect(page.get_by_text("/api/v1/polls/{poll_id}/ballots").first).to_be_visible()
    page.get_by_text("/api/v1/communities", exact=True).click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_contain_text("200")
