"""From a consultation's answers to its ballot: what the committee answered "not feasible" stays off the vote;
the chair checks and corrects the draft ballot on a phone, opens it, and the public reads the options."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from community.models import Community, Grid, Membership
from consult import services
from tests.browser.test_issue_journey import sign_in
from tests.conftest import make_user


def test_the_chair_checks_a_draft_ballot_and_the_public_reads_its_options(live, open_page):
    base = live["url"]
    community = Community.objects.create(name="Willow Lane", slug="willow-lane")
    grid = Grid.objects.create(community=community, number=1, name="Willow Court")
    chen = make_user("chen@test.org", "Chen Jing")
    Membership.objects.create(user=chen, community=community, role="committee")
    residents = []
    for n in range(4):
        residents.append(make_user(f"r{n}@test.org", f"Resident {n}"))
        Membership.objects.create(user=residents[-1], community=community, role="resident", grid=grid)
    today = timezone.localdate()
    consultation = services.create_consultation(
        chen, community_id=community.pk, grid_id=None, title="Renovating the hall", body="What for?",
        collecting_from=today, deliberation_from=today + timedelta(days=7), voting_from=today + timedelta(days=14),
        concludes_on=today + timedelta(days=21), support_threshold=1,
    )
    services.advance_phase(chen, consultation_id=consultation.pk, to="collecting")
    made = {}
    for n, title in enumerate(["A canteen", "A lift in the hall", "A reading room"]):
        made[title] = services.submit_proposal(residents[n], consultation_id=consultation.pk, title=title, body="B")
        services.support_proposal(residents[3], proposal_id=made[title].pk)
    services.advance_phase(chen, consultation_id=consultation.pk, to="deliberation")
    services.answer_proposal(chen, proposal_id=made["A lift in the hall"].pk, answer="not_feasible",
                             reason="The hall has no room for a shaft.")
    services.advance_phase(chen, consultation_id=consultation.pk, to="voting")

    phone = open_page(390)
    sign_in(phone, base, "chen@test.org")
    phone.goto(base + consultation.get_absolute_url())
    phone.get_by_role("button", name="Prepare a ranked ballot from the shortlisted proposals").click()
    expect(phone.get_by_text("The proposals are on a draft ballot.")).to_be_visible()
    ballot = phone.locator("section", has=phone.get_by_role("heading", name="On the ballot (draft)"))
    expect(ballot.locator("li")).to_have_text(["A canteen", "A reading room"])  # the lift was answered: off

    phone.get_by_role("link", name="Edit the question and options").click()
    phone.get_by_label("Option 1:", exact=True).fill("A canteen for the over-70s")
    phone.get_by_label("More options, one per line").fill("Leave the hall as it is")
    phone.screenshot(path="test-artifacts/ballot-draft-390.png", full_page=True)
    phone.get_by_role("button", name="Save the draft").click()
    expect(ballot.locator("li")).to_have_text(["A canteen for the over-70s", "A reading room",
                                               "Leave the hall as it is"])
    phone.get_by_role("button", name="Open for voting…").click()
    expect(phone.get_by_text("It cannot go back to draft.")).to_be_visible()
    phone.get_by_role("button", name="Yes, open the vote").click()
    expect(phone.locator(".badge.poll-open")).to_be_visible()
    poll_url = phone.url

    visitor = open_page(1280)
    visitor.goto(poll_url)
    expect(visitor.locator("section", has=visitor.get_by_role("heading", name="On the ballot")).locator("li")).to_have_text(
        ["A canteen for the over-70s", "A reading room", "Leave the hall as it is"])
    expect(visitor.get_by_role("link", name="Sign in to vote.")).to_be_visible()
