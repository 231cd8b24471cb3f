"""The committee's set-up forms on a phone: a field that matters only for some answers of another shows only
then (the options of a poll that is not yes / no, a grid when one grid is invited), keeps what was typed while
hidden, and the poll is made as it was set up."""

from playwright.sync_api import expect

from community.models import Community, Grid, Membership
from polls.models import Poll
from tests.browser.test_issue_journey import sign_in
from tests.conftest import make_user


def test_the_poll_and_meeting_forms_show_what_the_chosen_answers_need(live, open_page):
    base = live["url"]
    community = Community.objects.create(name="Willow Lane", slug="willow-lane")
    Grid.objects.create(community=community, number=1, name="Willow Court")
    canal = Grid.objects.create(community=community, number=2, name="Canal Side")
    chen = make_user("chen@test.org", "Chen Jing")
    Membership.objects.create(user=chen, community=community, role="committee")
    phone = open_page(390)
    sign_in(phone, base, "chen@test.org")

    phone.goto(base + "/polls/new")
    options, at_most = phone.get_by_label("Options, one per line"), phone.get_by_label("Multiple choice: at most")
    grid, live_results = phone.get_by_label("Grid (when one grid votes)"), phone.get_by_label("Show results while")
    quorum_value = phone.get_by_label("Quorum value")
    for field in (options, at_most, grid, live_results, quorum_value):
        expect(field).to_be_hidden()  # a yes / no poll of the whole community, secret, no quorum: none of them
    phone.get_by_label("Question").fill("Which evening for the film club?")
    phone.get_by_label("Method").select_option("multiple")
    expect(options).to_be_visible()
    options.fill("Monday\nWednesday\nFriday")
    at_most.fill("2")
    phone.get_by_label("Method").select_option("yes_no")
    expect(options).to_be_hidden()
    phone.get_by_label("Method").select_option("multiple")
    expect(options).to_have_value("Monday\nWednesday\nFriday")  # hidden, never lost
    phone.get_by_label("Who votes").select_option("grid")
    expect(grid).to_be_visible()
    grid.select_option(str(canal.pk))
    phone.get_by_label("Secret ballot").uncheck()
    expect(live_results).to_be_visible()
    live_results.check()
    phone.locator("#id_quorum_kind").select_option("count")
    expect(quorum_value).to_be_visible()
    quorum_value.fill("3")
    phone.screenshot(path="test-artifacts/poll-form-multiple-390.png", full_page=True)
    phone.get_by_role("button", name="Save the draft").click()
    expect(phone.get_by_role("heading", name="Which evening for the film club?")).to_be_visible()
    poll = Poll.objects.get(title="Which evening for the film club?")
    assert (poll.method, poll.max_choices, poll.grid_id, poll.secret, poll.live_results, poll.quorum_value) == (
        "multiple", 2, canal.pk, False, True, 3)
    assert [o.text for o in poll.options.order_by("position")] == ["Monday", "Wednesday", "Friday"]

    phone.goto(base + "/meetings/new")
    meeting_grid = phone.get_by_label("Grid (when a grid is invited)")
    expect(meeting_grid).to_be_hidden()
    phone.get_by_label("The residents of one grid").check()
    expect(meeting_grid).to_be_visible()
    phone.get_by_label("Only those invited").check()
    expect(meeting_grid).to_be_hidden()
