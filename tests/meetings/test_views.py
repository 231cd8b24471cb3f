"""Meeting pages over HTTP: who sees what, forms that keep input, calendar files, constant queries."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import Membership
from meetings import services
from tests.conftest import CANARY, make_user
from tests.meetings.conftest import schedule


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_a_closed_meeting_is_hidden_from_those_not_invited(client, chair, community, resident, resident_of_other_grid):
    closed = schedule(chair, community, is_public=False, invite=[resident])
    assert client.get(closed.get_absolute_url()).status_code == 404
    assert closed.title not in page(client, "/meetings/")
    assert client.get(f"/meetings/{closed.pk}.ics").status_code == 404
    client.force_login(resident_of_other_grid)
    assert client.get(closed.get_absolute_url()).status_code == 404
    client.force_login(resident)
    assert "Closed meeting" in page(client, closed.get_absolute_url())


def test_a_scheduled_meetings_chat_says_when_it_opens(client, meeting, chair):
    assert "The chat opens when the chair starts the meeting." in page(client, meeting.get_absolute_url())
    services.open_meeting(chair, meeting_id=meeting.pk)
    live = page(client, meeting.get_absolute_url())
    assert "The chat opens when" not in live and "Sign in to take part." in live


def test_the_room_page_escapes_what_people_wrote(client, live_meeting, resident):
    services.post_message(resident, meeting_id=live_meeting.pk, body=f"Hello {CANARY}")
    html = page(client, live_meeting.get_absolute_url())
    assert CANARY not in html and "&lt;script&gt;" in html


def test_an_invitee_answers_and_a_resident_suggests_with_input_kept_on_error(client, meeting, resident):
    client.force_login(resident)
    client.post(f"/meetings/{meeting.pk}/respond", {"response": "yes"})
    assert meeting.invitations.get(user=resident).response == "yes"
    response = client.post(f"/meetings/{meeting.pk}/suggest", {"suggest-title": "", "suggest-description": "My reasons"})
    assert response.status_code == 200 and "My reasons" in response.content.decode()
    client.post(f"/meetings/{meeting.pk}/suggest", {"suggest-title": "Sunday hours", "suggest-description": ""})
    assert meeting.agenda_items.filter(title="Sunday hours", status="suggested").exists()


def test_a_stale_minutes_save_keeps_the_secretarys_text(client, live_meeting, moderator):
    client.force_login(moderator)
    services.update_minutes(moderator, meeting_id=live_meeting.pk, body="Someone else's words", base_version=0)
    response = client.post(f"/meetings/{live_meeting.pk}/minutes",
                           {"minutes-body": "My careful minutes", "minutes-base_version": 0})
    html = response.content.decode()
    assert response.status_code == 200 and "My careful minutes" in html and "in the meantime" in html


def test_an_ics_file_per_meeting_and_a_calendar_feed_per_community(client, meeting, chair, community):
    schedule(chair, community, is_public=False)
    ics = client.get(f"/meetings/{meeting.pk}.ics")
    body = ics.content.decode()
    assert ics["Content-Type"].startswith("text/calendar") and "BEGIN:VEVENT" in body and "\r\n" in body
    assert "SUMMARY:Joint meeting <script>alert(1)</script>" in body and "LOCATION:Community hall" in body
    feed = client.get(f"/c/{community.slug}/meetings.ics").content.decode()
    assert feed.count("BEGIN:VEVENT") == 1  # the closed meeting stays out of the public feed


def test_http_fallbacks_for_the_room_check_permissions(client, live_meeting, resident, chair):
    client.force_login(resident)
    client.post(f"/meetings/{live_meeting.pk}/next")
    assert live_meeting.events.filter(kind="queue").count() == 0
    client.post(f"/meetings/{live_meeting.pk}/hand")
    client.post(f"/meetings/{live_meeting.pk}/chat", {"body": "Over plain HTTP"})
    assert live_meeting.events.filter(kind="chat.message", body="Over plain HTTP").exists()
    assert client.post(f"/meetings/{live_meeting.pk}/launch").status_code == 404
    for bad in ("x", "²", "1.5"):
        assert client.post(f"/meetings/{live_meeting.pk}/accept", {"id": bad}).status_code == 302  # a message
        assert client.post(f"/meetings/{live_meeting.pk}/outcome", {"item": bad}).status_code == 200


def test_draft_minutes_are_for_invitees_and_published_ones_for_everyone(client, live_meeting, chair, moderator,
                                                                       resident_of_other_grid):
    services.update_minutes(moderator, meeting_id=live_meeting.pk, body="Draft words", base_version=0)
    url = f"/meetings/{live_meeting.pk}/minutes-view"
    assert client.get(url).status_code == 404
    client.force_login(resident_of_other_grid)
    assert client.get(url).status_code == 404 and "Draft words" not in page(client, live_meeting.get_absolute_url())
    client.force_login(moderator)
    assert "Draft words" in page(client, url)
    services.adjourn_meeting(chair, meeting_id=live_meeting.pk)
    services.approve_minutes(chair, meeting_id=live_meeting.pk)
    client.logout()
    assert "Draft words" in page(client, url)


def test_a_closed_meetings_decisions_wait_for_its_approved_minutes(client, chair, community, resident, organisation):
    from datetime import timedelta

    from django.utils import timezone

    closed = schedule(chair, community, is_public=False, invite=[resident])
    item = services.add_agenda_item(chair, meeting_id=closed.pk, title="Staff matters")
    services.open_meeting(chair, meeting_id=closed.pk)
    services.record_item_outcome(chair, item_id=item.pk, outcome="decided", text="Hire a cleaner", tasks=[
        {"title": "Post the job", "owner_organisation_id": organisation.pk,
         "due_date": timezone.localdate() + timedelta(days=3)}])
    item.refresh_from_db()
    assert "Hire a cleaner" not in page(client, "/outcomes/")
    assert client.get(item.decision.get_absolute_url()).status_code == 404
    services.adjourn_meeting(chair, meeting_id=closed.pk)
    services.approve_minutes(chair, meeting_id=closed.pk)
    assert "Staff matters" in page(client, "/outcomes/")


def test_the_room_page_costs_the_same_with_a_busy_room(client, grid, community, live_meeting, chair, moderator):
    people = []
    for i in range(8):
        person = make_user(f"p{i}@test.org", f"P{i}")
        Membership.objects.create(user=person, community=community, role="resident", grid=grid)
        people.append(person)

    def busy(person, i):
        services.check_in(person, meeting_id=live_meeting.pk)
        services.post_message(person, meeting_id=live_meeting.pk, body=f"Message {i}")
        services.raise_hand(person, meeting_id=live_meeting.pk)

    busy(people[0], 0)
    for who in (None, chair):
        if who:
            client.force_login(who)
        url = live_meeting.get_absolute_url()
        small = queries(client, url)
        for i, person in enumerate(people[1:4] if who is None else people[4:], start=1):
            busy(person, i)
            services.add_agenda_item(chair, meeting_id=live_meeting.pk, title=f"Item {who} {i}")
        assert queries(client, url) == small, who
    listed = queries(client, "/meetings/")
    for _ in range(3):
        schedule(chair, community, invite=people[:2], is_public=False)
    assert queries(client, "/meetings/") == listed


def test_the_committee_puts_a_major_issue_on_a_meetings_agenda(client, meeting, issue, chair, grid_worker):
    from issues import services as issues_services

    issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="major")
    client.force_login(grid_worker)
    assert "Put on a meeting" not in page(client, issue.get_absolute_url())
    assert client.get(f"/meetings/agenda-from-issue?issue={issue.pk}").status_code == 403
    client.force_login(chair)
    assert "/meetings/agenda-from-issue?issue=" in page(client, issue.get_absolute_url())
    assert meeting.title.replace("<", "&lt;").replace(">", "&gt;") in page(client, f"/meetings/agenda-from-issue?issue={issue.pk}")
    response = client.post("/meetings/agenda-from-issue", {"issue": issue.pk, "meeting": meeting.pk})
    assert response.status_code == 302 and meeting.agenda_items.filter(issue=issue).exists()
    assert client.get("/meetings/agenda-from-issue?issue=abc").status_code == 404


def test_published_minutes_print_on_their_own_page(client, live_meeting, chair, moderator):
    services.update_minutes(moderator, meeting_id=live_meeting.pk, body="We agreed on **yellow lines**.",
                            base_version=0)
    assert client.get(f"/meetings/{live_meeting.pk}/minutes-print").status_code == 404
    services.adjourn_meeting(chair, meeting_id=live_meeting.pk)
    services.approve_minutes(chair, meeting_id=live_meeting.pk)
    html = page(client, f"/meetings/{live_meeting.pk}/minutes-print")
    assert "<strong>yellow lines</strong>" in html and "Approved by" in html


def test_a_refused_chat_message_over_plain_http_is_kept(client, meeting, resident):
    client.force_login(resident)
    response = client.post(f"/meetings/{meeting.pk}/chat", {"body": "Typed before the opening"})
    assert response.status_code == 200 and "Typed before the opening" in response.content.decode()


def test_agenda_items_link_issues_consultations_and_proposals(client, meeting, chair, issue, community, resident):
    from consult import services as consult_services
    from tests.consult.conftest import new_consultation

    consultation = new_consultation(chair, community)
    proposal = consult_services.submit_proposal(resident, consultation_id=consultation.pk, title="Benches", body="B")
    client.force_login(chair)
    client.post(f"/meetings/{meeting.pk}/item", {"item-title": "Linked", "item-minutes_allotted": 10,
                                                 "item-issue": issue.pk, "item-consultation": consultation.pk,
                                                 "item-proposal": proposal.pk})
    item = meeting.agenda_items.get(title="Linked")
    assert (item.issue, item.consultation, item.proposal) == (issue, consultation, proposal)
    html = page(client, meeting.get_absolute_url())
    assert issue.get_absolute_url() in html and consultation.get_absolute_url() in html
    assert proposal.get_absolute_url() in html
