"""The chair corrects a coming meeting on a phone: postpones it with a reason, rewords an agenda item, then
cancels it through a page that says what will happen; the invited resident reads why."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from community.models import Community, Grid, Membership
from meetings import services
from tests.browser.test_issue_journey import sign_in
from tests.conftest import make_user


def test_the_chair_postpones_corrects_and_cancels_and_the_invited_read_why(live, open_page):
    base = live["url"]
    community = Community.objects.create(name="Willow Lane", slug="willow-lane")
    grid = Grid.objects.create(community=community, number=1, name="Willow Court")
    chen = make_user("chen@test.org", "Chen Jing")
    Membership.objects.create(user=chen, community=community, role="committee")
    mei = make_user("mei@test.org", "Mei")
    Membership.objects.create(user=mei, community=community, role="resident", grid=grid)
    meeting = services.schedule_meeting(
        chen, community_id=community.pk, kind="joint", title="Market noise",
        starts_at=timezone.now() + timedelta(days=3), chair_id=chen.pk, secretary_id=chen.pk, place="Hall",
        audience="invited", quorum=2, invite_user_ids=[mei.pk],
    )
    services.add_agenda_item(chen, meeting_id=meeting.pk, title="Unloading before 5 am")

    phone = open_page(390)
    sign_in(phone, base, "chen@test.org")
    phone.goto(base + meeting.get_absolute_url())
    expect(phone.get_by_text("You can open the meeting from")).to_be_visible()  # not yet: says when
    expect(phone.get_by_role("link", name="Open the meeting…")).to_have_count(0)

    phone.get_by_role("link", name="Correct or postpone").click()
    find = phone.get_by_role("searchbox", name="Find people by name, role, grid or organisation")
    find.fill("willow court")  # a grid finds its residents
    people = phone.locator("#id_people > div:visible")
    expect(people).to_have_count(1)
    expect(people).to_contain_text("Mei · Resident (Grid 1 · Willow Court)")
    find.fill("")
    later = timezone.localtime(meeting.starts_at + timedelta(days=7))
    phone.get_by_label("Starts").fill(later.strftime("%Y-%m-%dT%H:%M"))
    phone.get_by_label("Why it changes (optional)").fill("The hall is being painted that week.")
    phone.get_by_role("button", name="Save the corrections").click()
    expect(phone.get_by_text("Changed on")).to_contain_text("The hall is being painted that week.")

    phone.get_by_role("link", name="Edit or remove").click()
    phone.get_by_label("Item").fill("Unloading before 6 am")
    phone.get_by_role("button", name="Save").click()
    expect(phone.locator("#agenda")).to_contain_text("Unloading before 6 am")

    phone.get_by_role("link", name="Cancel the meeting…").click()
    expect(phone.get_by_text("This cannot be undone")).to_be_visible()
    phone.get_by_role("button", name="Cancel the meeting").click()  # no reason yet: asked, nothing happens
    expect(phone.get_by_text("This field is required.")).to_be_visible()
    phone.get_by_label("Why it is cancelled").fill("The market agreed to stop early; nothing to discuss.")
    phone.screenshot(path="test-artifacts/meeting-cancel-390.png", full_page=True)
    phone.get_by_role("button", name="Cancel the meeting").click()
    expect(phone.get_by_text("This meeting is cancelled: The market agreed")).to_be_visible()

    resident = open_page(390)
    sign_in(resident, base, "mei@test.org")
    resident.goto(base + "/notifications/")
    expect(resident.get_by_text("is cancelled: The market agreed to stop early")).to_be_visible()
