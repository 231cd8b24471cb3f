"""The live room in two browsers: the chair moves the agenda and gives the floor, a resident raises a hand
and chats; each sees the other's change without reloading."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from community.models import Community, Grid, Membership
from meetings import services
from tests.browser.test_issue_journey import sign_in
from tests.conftest import make_user


def test_chair_and_resident_see_each_other_live(live, open_page):
    base = live["url"]
    community = Community.objects.create(name="Willow Lane", slug="willow-lane")
    grid = Grid.objects.create(community=community, number=1, name="Willow Court")
    chen = make_user("chen@test.org", "Chen Jing")
    Membership.objects.create(user=chen, community=community, role="committee")
    mei = make_user("mei@test.org", "Mei")
    Membership.objects.create(user=mei, community=community, role="resident", grid=grid)
    meeting = services.schedule_meeting(
        chen, community_id=community.pk, kind="joint", title="Market noise", starts_at=timezone.now(),
        chair_id=chen.pk, secretary_id=chen.pk, place="Hall", audience="community", quorum=2,
    )
    services.add_agenda_item(chen, meeting_id=meeting.pk, title="Unloading before 5 am")
    services.add_agenda_item(chen, meeting_id=meeting.pk, title="Canal path lighting")

    chair = open_page(1280)
    sign_in(chair, base, "chen@test.org")
    chair.goto(base + meeting.get_absolute_url())
    chair.get_by_role("link", name="Open the meeting…").click()
    expect(chair.get_by_text("It cannot be put back to “scheduled”.")).to_be_visible()  # asked first
    chair.get_by_role("button", name="Yes, open the meeting").click()
    expect(chair.locator("#meeting-status")).to_have_text("Live now")
    chair.get_by_role("button", name="Check in: I am here").click()

    phone = open_page(390)
    sign_in(phone, base, "mei@test.org")
    phone.goto(base + meeting.get_absolute_url())
    expect(phone.locator("#agenda li.current")).to_contain_text("Unloading before 5 am")
    expect(chair.locator("#presence")).to_contain_text("In the room: 2")

    # Mei checks in and raises her hand; the chair's page shows both at once.
    phone.get_by_role("button", name="Check in: I am here").click()
    expect(chair.locator("#present-count")).to_have_text("2")
    expect(chair.locator("#quorum-badge")).to_have_text("Quorum met")
    phone.get_by_role("button", name="Raise my hand").click()
    expect(chair.locator("#speaker-queue")).to_contain_text("Mei")

    # The chair gives her the floor and moves on to the next item; her phone follows.
    chair.get_by_role("button", name="Next speaker").click()
    expect(phone.locator("#speaker-now")).to_contain_text("Mei has the floor")
    expect(phone.locator("#speaker-now .countdown")).to_have_text(re.compile(r"^[12]:\d\d$"))
    chair.locator("#item-%d" % meeting.agenda_items.last().pk).get_by_role("button", name="Make this the current item").click()
    expect(phone.locator("#agenda li.current")).to_contain_text("Canal path lighting")

    # Chat both ways, saved and in order.
    phone.get_by_label("Your message").fill("The trucks woke my baby at 4:30.")
    phone.get_by_role("button", name="Send").click()
    expect(chair.locator("#chat")).to_contain_text("The trucks woke my baby at 4:30.")
    expect(phone.get_by_label("Your message")).to_have_value("")
    chair.get_by_label("Your message").fill("Thank you, Mei. **Noted.**")
    chair.get_by_role("button", name="Send").click()
    expect(phone.locator("#chat strong", has_text="Noted.")).to_be_visible()

    # The chair hides a message; it disappears on Mei's phone too.
    chair.locator("#chat li", has_text="The trucks").get_by_role("button", name="Hide").click()
    expect(phone.locator("#chat")).not_to_contain_text("The trucks woke my baby")
    expect(phone.locator("#chat")).to_contain_text("Hidden by the chair.")
    assert meeting.events.filter(kind="chat.message").count() == 2


def test_suggestions_and_published_minutes_arrive_without_a_reload_and_keep_what_was_typed(live, open_page):
    base = live["url"]
    community = Community.objects.create(name="Willow Lane", slug="willow-lane")
    grid = Grid.objects.create(community=community, number=1, name="Willow Court")
    chen = make_user("chen@test.org", "Chen Jing")
    Membership.objects.create(user=chen, community=community, role="committee")
    mei = make_user("mei@test.org", "Mei")
    Membership.objects.create(user=mei, community=community, role="resident", grid=grid)
    meeting = services.schedule_meeting(
        chen, community_id=community.pk, kind="joint", title="Market noise",
        starts_at=timezone.now() + timezone.timedelta(minutes=30), chair_id=chen.pk, secretary_id=chen.pk, place="Hall",
        audience="community", quorum=1,
    )
    first = services.suggest_agenda_item(mei, meeting_id=meeting.pk, title="Bike shed")

    chair = open_page(1280)
    sign_in(chair, base, "chen@test.org")
    chair.goto(base + meeting.get_absolute_url())
    expect(chair.locator("#presence")).to_contain_text("In the room: 1")
    chair.locator(f"#decline-{first.pk}").fill("We discussed it in May")  # typing a reason when another arrives

    phone = open_page(390)
    sign_in(phone, base, "mei@test.org")
    phone.goto(base + meeting.get_absolute_url())
    phone.get_by_text("Suggest an item").click()
    phone.get_by_label("Your suggestion").fill("Canal lighting")
    phone.get_by_role("button", name="Suggest").click()
    expect(phone.locator("#suggestions")).to_contain_text("Canal lighting")

    expect(chair.locator("#suggestions")).to_contain_text("Canal lighting")  # no reload
    expect(chair.locator(f"#decline-{first.pk}")).to_have_value("We discussed it in May")
    expect(chair.locator("#suggestions").get_by_role("button", name="Accept")).to_have_count(2)
    chair.locator("#suggestions li", has_text="Canal lighting").get_by_role("button", name="Accept").click()
    expect(phone.locator("#agenda")).to_contain_text("Canal lighting")  # on her phone, no reload: on the agenda
    expect(phone.locator("#suggestions")).not_to_contain_text("Canal lighting")

    # A visitor watches the adjourned meeting's page while the chair approves the minutes.
    services.open_meeting(chen, meeting_id=meeting.pk)
    services.update_minutes(chen, meeting_id=meeting.pk, body="We agreed on **six** lamps.", base_version=0)
    services.adjourn_meeting(chen, meeting_id=meeting.pk)
    visitor = open_page(390)
    visitor.goto(base + meeting.get_absolute_url())
    expect(visitor.locator("#minutes-section")).to_contain_text("The minutes are public once the chair approves them.")
    expect(visitor.locator("#presence")).to_contain_text("In the room")
    # The chair approves from a fresh page: her open one reloads itself on the opening and the adjournment
    # (both just sent), and a navigation of ours could cross that reload.
    desk = open_page(1280)
    sign_in(desk, base, "chen@test.org")
    desk.goto(base + meeting.get_absolute_url())
    desk.get_by_role("button", name="Approve and publish the minutes").click()
    expect(visitor.locator("#minutes-view strong").first).to_have_text("six")
    expect(visitor.get_by_role("link", name="Printable minutes")).to_be_visible()
    expect(visitor.locator("#meeting-stale")).to_be_hidden()


def test_a_vote_put_to_the_room_appears_on_the_phone_is_cast_in_place_and_its_result_follows(live, open_page):
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
    services.check_in(mei, meeting_id=meeting.pk)

    phone = open_page(390)
    sign_in(phone, base, "mei@test.org")
    phone.goto(base + meeting.get_absolute_url())
    expect(phone.locator("#presence")).to_contain_text("In the room: 1")

    chair = open_page(1280)
    sign_in(chair, base, "chen@test.org")
    chair.goto(base + meeting.get_absolute_url())
    chair.get_by_text("Put a question to the vote").click()
    chair.get_by_label("Question").fill("Ban unloading before 6 am?")
    chair.get_by_role("button", name="Open the vote").click()

    # Mei's phone: told, and the ballot is there — no reload.
    expect(phone.locator("#live-notice")).to_contain_text("A vote has opened: “Ban unloading before 6 am?”")
    ballot = phone.locator("#votes form.ballot-in-place")
    expect(ballot).to_be_visible()
    ballot.get_by_label("Yes").check()
    ballot.get_by_role("button", name="Cast my vote").click()
    expect(phone.get_by_text("Your vote is counted. Your receipt:")).to_be_visible()
    expect(phone).to_have_url(base + meeting.get_absolute_url())
    expect(phone.locator("#votes")).to_contain_text("You voted. Thank you.")
    phone.screenshot(path="test-artifacts/vote-in-the-room-390.png", full_page=True)

    chair.goto(base + meeting.polls.get().get_absolute_url())
    chair.get_by_role("button", name="Close and count…").click()
    chair.get_by_role("button", name="Yes, close and count").click()
    expect(phone.locator("#votes")).to_contain_text("1 of 1 voted")
    expect(phone.locator("#live-notice")).to_contain_text("has closed")


def test_the_chair_mutes_a_heckler_who_keeps_what_she_typed_and_then_lets_her_speak(live, open_page):
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
    services.open_meeting(chen, meeting_id=meeting.pk)
    services.post_message(mei, meeting_id=meeting.pk, body="This is a waste of time!")

    phone = open_page(390)
    sign_in(phone, base, "mei@test.org")
    phone.goto(base + meeting.get_absolute_url())
    chair = open_page(1280)
    sign_in(chair, base, "chen@test.org")
    chair.goto(base + meeting.get_absolute_url())
    expect(chair.locator("#presence")).to_contain_text("In the room: 2")
    chair.get_by_role("button", name="Mute Mei").click()
    expect(phone.locator("#chat")).to_contain_text("The chair muted Mei for this meeting.")
    expect(chair.locator("#muted")).to_contain_text("Mei")

    phone.get_by_label("Your message").fill("You cannot silence me")
    phone.get_by_role("button", name="Send").click()
    expect(phone.locator("#live-notice")).to_contain_text("The chair has muted you for this meeting")
    expect(phone.get_by_label("Your message")).to_have_value("You cannot silence me")  # nothing typed is lost

    chair.get_by_role("button", name="Let them speak again").click()
    expect(phone.locator("#chat")).to_contain_text("Mei may write and ask for the floor again.")
    phone.get_by_role("button", name="Send").click()
    expect(chair.locator("#chat")).to_contain_text("You cannot silence me")
