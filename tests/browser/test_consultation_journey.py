"""A consultation in the browser: propose → a neighbour argues against, live → the committee answers →
a moderator hides an abusive comment and its author reads why."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from community.models import Community, Grid, Membership
from consult import services
from tests.browser.test_issue_journey import sign_in
from tests.conftest import make_user


def test_propose_argue_answer_and_moderate(live, open_page):
    base = live["url"]
    community = Community.objects.create(name="Willow Lane", slug="willow-lane")
    grid = Grid.objects.create(community=community, number=1, name="Willow Court")
    people = {}
    for email, name, role in [("chen@test.org", "Chen Jing", "committee"), ("lin@test.org", "Lin Qing", "moderator"),
                              ("mei@test.org", "Mei", "resident"), ("bo@test.org", "Bo", "resident")]:
        people[email] = make_user(email, name)
        Membership.objects.create(user=people[email], community=community, role=role,
                                  grid=grid if role == "resident" else None)
    today = timezone.localdate()
    consultation = services.create_consultation(
        people["chen@test.org"], community_id=community.pk, grid_id=None, title="Renovating the hall",
        body="What should the hall be used for?", collecting_from=today, deliberation_from=today + timedelta(days=7),
        voting_from=today + timedelta(days=14), concludes_on=today + timedelta(days=21), support_threshold=2,
    )
    services.advance_phase(people["chen@test.org"], consultation_id=consultation.pk, to="collecting")

    # Mei, on her phone, makes a proposal.
    mei = open_page(390)
    sign_in(mei, base, "mei@test.org")
    mei.goto(base + consultation.get_absolute_url())
    expect(mei.get_by_text("Now: proposals are collected.")).to_be_visible()
    mei.get_by_role("link", name="Make a proposal").click()
    mei.get_by_label("Title").fill("A canteen for elderly neighbours")
    mei.get_by_label("Your proposal").fill("A warm lunch every weekday, cheap for over-70s.")
    mei.get_by_role("button", name="Submit the proposal").click()
    expect(mei.get_by_text("Your proposal was submitted.")).to_be_visible()
    expect(mei.get_by_text("Awaiting the committee's answer")).to_be_visible()

    # Bo, on his laptop, argues against it; Mei's open page shows his comment without a reload.
    bo = open_page(1280)
    sign_in(bo, base, "bo@test.org")
    bo.goto(mei.url)
    bo.get_by_role("button", name="Support").click()
    expect(bo.get_by_role("button", name="You support this · undo")).to_be_visible()
    expect(mei.locator(".support-count strong")).to_have_text("1")
    bo.get_by_label("Your comment", exact=False).first.fill("Against: who pays for the cook after the first year?")
    bo.get_by_label("Against").check()
    bo.get_by_role("button", name="Post the comment").click()
    expect(bo.get_by_text("Your comment was posted.")).to_be_visible()
    expect(mei.get_by_text("who pays for the cook")).to_be_visible()
    expect(mei.locator(".comment .badge.stance-against")).to_have_text("Against")

    # Bo then insults Mei; Mei reports it.
    bo.get_by_label("Your comment", exact=False).first.fill("Only an idiot would propose this.")
    bo.get_by_role("button", name="Post the comment").click()
    expect(mei.get_by_text("Only an idiot")).to_be_visible()
    abusive = mei.locator(".comment", has_text="Only an idiot")
    abusive.get_by_text("Report", exact=True).click()
    abusive.get_by_label("What is wrong?").select_option(label="Insults, threats or harassment")
    abusive.get_by_role("button", name="Send the report").click()
    expect(mei.get_by_text("Thank you. A moderator will look at it.")).to_be_visible()

    # The committee answers the proposal; Mei is told.
    chen = open_page(1280)
    sign_in(chen, base, "chen@test.org")
    chen.goto(mei.url.split("#")[0])
    chen.get_by_label("Accepted for the vote").check()
    chen.get_by_label("Why").fill("Accepted for the vote: the district funds the kitchen.")
    chen.get_by_role("button", name="Publish the answer").click()
    expect(chen.get_by_text("Your answer was published")).to_be_visible()
    mei.reload()
    expect(mei.get_by_text("Accepted for the vote: the district funds the kitchen.")).to_be_visible()
    expect(mei.locator("#unread-count")).to_contain_text("3")  # two comments on her proposal, one answer

    # The moderator hides the insult with a reason; Bo reads why, everyone sees only the reason.
    lin = open_page(1280)
    sign_in(lin, base, "lin@test.org")
    lin.goto(base + "/c/willow-lane/moderation/")
    item = lin.locator("li.card", has_text="Only an idiot")
    item.get_by_text("Moderate", exact=True).click()
    item.get_by_label("Reason").select_option(label="Insults, threats or harassment")
    item.get_by_label("Explanation for the author").fill("Argue with the proposal, not the person.")
    item.get_by_role("button", name="Hide").click()
    expect(lin.get_by_text("Done. The author is told why.")).to_be_visible()
    expect(lin.locator("table")).to_contain_text("Argue with the proposal, not the person.")
    expect(mei.get_by_text("Hidden by a moderator: Insults, threats or harassment")).to_be_visible()  # live
    expect(mei.get_by_text("Only an idiot")).to_have_count(0)
    bo.goto(base + "/notifications/")
    expect(bo.get_by_text("Argue with the proposal, not the person.")).to_be_visible()
