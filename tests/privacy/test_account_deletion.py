"""Deleting an account: personal data gone, contributions kept under "Former member", every count unchanged."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from community import services as community_services
from community.models import ApiToken, Membership, User
from consult.models import Comment, ConsultationFollow, Proposal
from issues import services as issues_services
from issues.models import IssueCase, IssueFollow
from meetings import services as meeting_services
from meetings.models import RoomEvent, SpeakerRequest
from notifications.models import Notification
from polls import services as poll_services
from polls.models import OpenVote
from tests.conftest import make_user
from tests.meetings.conftest import schedule
from tests.polls.conftest import box_contents
from tests.privacy.conftest import PRIVATE_ADDRESS, PRIVATE_CONTACT

PASSWORD = "correct horse battery"


def delete_in_the_browser(client, *, password=PASSWORD, confirm=True):
    data = {"password": password, **({"confirm": "on"} if confirm else {})}
    return client.post("/account/delete/", data)


def test_personal_data_is_erased_and_the_person_can_no_longer_sign_in(busy):
    rita = busy["user"]
    community_services.delete_account(rita, user_id=rita.pk)
    rita.refresh_from_db()
    assert rita.deleted_at and not rita.is_active and not rita.has_usable_password()
    assert "test.org" not in rita.email and (rita.display_name, rita.language, rita.age_band) == ("", "", "")
    assert str(rita.public_name) == "Former member"
    assert authenticate(email="resident@test.org", password=PASSWORD) is None
    for model in (EmailAddress, Membership, IssueFollow, ConsultationFollow, Notification, ApiToken):
        assert not model.objects.filter(user=rita).exists(), model
    case = IssueCase.objects.get(issue=busy["issue"])
    assert (case.contact, case.address, case.reporter_name) == ("", "", "")
    assert IssueCase.objects.get(issue=busy["entered"]).contact == "+86 138 0000 2222"  # Mr Li's, not hers


def test_contributions_stay_and_every_count_is_unchanged(busy):
    rita = busy["user"]
    before = (Comment.objects.count(), Proposal.objects.get(pk=busy["other_proposal"].pk).supports_count,
              Comment.objects.get(pk=busy["other_comment"].pk).upvotes_count)
    community_services.delete_account(rita, user_id=rita.pk)
    after = (Comment.objects.count(), Proposal.objects.get(pk=busy["other_proposal"].pk).supports_count,
             Comment.objects.get(pk=busy["other_comment"].pk).upvotes_count)
    assert before == after == (2, 1, 1)
    assert Comment.objects.get(pk=busy["comment"].pk).body == "Second thoughts on the hall"
    assert busy["issue"].__class__.objects.get(pk=busy["issue"].pk).reporter_id == rita.pk


def test_poll_results_are_identical_before_and_after_and_secret_ballots_stay_unlinked(
        busy, chair, django_capture_on_commit_callbacks):
    secret, open_poll = busy["secret_poll"], busy["open_poll"]
    before_open = poll_services.count(open_poll)  # a secret poll cannot be counted before it closes
    before_secret = box_contents(secret)
    with django_capture_on_commit_callbacks(execute=True):
        community_services.delete_account(busy["user"], user_id=busy["user"].pk)
    assert poll_services.count(open_poll) == before_open
    after_secret = box_contents(secret)
    assert (after_secret["ballots"], after_secret["receipts"]) == (before_secret["ballots"], before_secret["receipts"])
    assert len(before_secret["ballots"]) == 2
    assert busy["user"].pk in before_secret["voted"] and busy["user"].pk not in after_secret["voted"]  # off the roll
    closed = [poll_services.close_poll(chair, poll_id=p.pk).result for p in (secret, open_poll)]
    assert closed[1]["counts"] == before_open["counts"] and closed[1]["winners"] == before_open["winners"]
    assert closed[0]["ballots"] == 2
    assert OpenVote.objects.filter(poll=open_poll).count() == 2  # an open vote still counts, under the label


def test_her_name_is_gone_from_pages_the_api_and_the_meeting_room(client, busy, chair):
    rita = busy["user"]
    pages = [busy["consultation"].get_absolute_url(), busy["meeting"].get_absolute_url(), "/search/?q=hall",
             f"/api/v1/proposals/{busy['proposal'].pk}", "/api/v1/comments", f"/polls/{busy['open_poll'].pk}/"]
    assert "Rita" in client.get(busy["meeting"].get_absolute_url()).content.decode()  # the room, cached as read
    for url in pages:
        client.get(url)
    community_services.delete_account(rita, user_id=rita.pk)
    poll_services.close_poll(chair, poll_id=busy["open_poll"].pk)
    proposal_page = client.get(busy["proposal"].get_absolute_url()).content.decode()
    comments = client.get(f"/api/v1/comments?consultation={busy['consultation'].pk}").json()["items"]
    ballots = client.get(f"/api/v1/polls/{busy['open_poll'].pk}/ballots").json()["ballots"]
    assert "Former member" in proposal_page and "Rita" not in proposal_page
    assert [c["author"] for c in comments if c["id"] == busy["comment"].pk] == ["Former member"]
    assert sorted(b["voter"] for b in ballots) == ["Former member", "Nora"]
    for url in pages:
        assert "Rita" not in client.get(url).content.decode(), url
    logged = RoomEvent.objects.filter(meeting=busy["meeting"]).exclude(kind="chat.message")
    assert "Rita" not in str(list(logged.values_list("data", flat=True)))
    assert "Former member" in str(list(logged.values_list("data", flat=True)))
    assert SpeakerRequest.objects.get(user=rita).status == "withdrawn"  # her raised hand is lowered


def test_the_page_asks_for_the_password_and_a_confirmation_and_bad_input_changes_nothing(client, busy):
    client.force_login(busy["user"])
    page = client.get("/account/delete/").content.decode()
    assert 'name="password"' in page and 'name="confirm"' in page
    wrong = delete_in_the_browser(client, password="not my password")
    unticked = delete_in_the_browser(client, confirm=False)
    assert wrong.status_code == unticked.status_code == 200
    assert "Tick the box" in unticked.content.decode() and 'class="errorlist' in wrong.content.decode()
    rita = User.objects.get(pk=busy["user"].pk)
    assert rita.deleted_at is None and rita.email == "resident@test.org" and Membership.objects.filter(user=rita)


def test_deleting_signs_the_person_out_everywhere(client, busy):
    elsewhere = Client()
    elsewhere.force_login(busy["user"])
    client.force_login(busy["user"])
    response = delete_in_the_browser(client)
    assert response.status_code == 302 and response["Location"] == "/"
    for browser in (client, elsewhere):
        answer = browser.get("/account/")
        assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    bearer = {"HTTP_AUTHORIZATION": "Bearer yishi_whatever"}
    assert Client().get("/api/v1/me", **bearer).status_code == 401


def test_the_chair_of_a_meeting_that_is_not_over_is_told_to_hand_over_first(client, chair, community):
    meeting = schedule(chair, community)
    with pytest.raises(ValidationError, match="chair or the secretary"):
        community_services.delete_account(chair, user_id=chair.pk)
    client.force_login(chair)
    page = client.get("/account/delete/").content.decode()
    assert "Ask the committee to give the role to someone else" in page and 'name="password"' not in page
    delete_in_the_browser(client)
    assert User.objects.get(pk=chair.pk).deleted_at is None
    meeting_services.open_meeting(chair, meeting_id=meeting.pk)
    meeting_services.adjourn_meeting(chair, meeting_id=meeting.pk)
    community_services.delete_account(chair, user_id=chair.pk)  # once it is over, the chair may go
    meeting.refresh_from_db()
    assert str(meeting.chair.public_name) == "Former member"


def test_no_one_deletes_another_persons_account_and_nobody_deletes_twice(busy, neighbour):
    with pytest.raises(PermissionDenied):
        community_services.delete_account(neighbour, user_id=busy["user"].pk)
    assert User.objects.get(pk=busy["user"].pk).deleted_at is None
    community_services.delete_account(busy["user"], user_id=busy["user"].pk)
    with pytest.raises(ValidationError, match="already deleted"):
        community_services.delete_account(busy["user"], user_id=busy["user"].pk)


def test_the_admin_deletes_through_the_same_service(client, busy):
    admin = make_user("admin@test.org", "Admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    changelist = "/admin/community/user/"
    response = client.post(changelist, {"action": "delete_accounts", "_selected_action": [busy["user"].pk]})
    assert response.status_code == 302
    rita = User.objects.get(pk=busy["user"].pk)
    assert rita.deleted_at and not EmailAddress.objects.filter(user=rita).exists()
    assert PRIVATE_CONTACT not in str(IssueCase.objects.values_list("contact", flat=True))
    assert PRIVATE_ADDRESS not in str(IssueCase.objects.values_list("address", flat=True))


def test_a_task_owner_who_leaves_is_no_longer_named_on_the_issue_or_in_the_audit_log(
    client, neighbour, resident, grid_worker, chair, community, grid, category
):
    """The timeline and the committee's log kept names as text: a deleted person reads as the label there too."""
    issue = issues_services.raise_issue(neighbour, grid_id=grid.pk, category_id=category.pk, title="Bins", body="Full")
    issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="routine", task_title="Empty them",
                          owner_user_id=neighbour.pk, due_date=timezone.localdate() + timedelta(days=3))
    assert "Nora" in client.get(issue.get_absolute_url()).content.decode()
    community_services.delete_account(neighbour, user_id=neighbour.pk)
    assert "Nora" not in client.get(issue.get_absolute_url()).content.decode()

    helper = make_user("quentin@test.org", "Quentin")
    Membership.objects.create(user=helper, community=community, role="grid_worker", grid=grid)
    second = issues_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="Noise", body="Night")
    issues_services.triage_issue(helper, issue_id=second.pk, tier="routine", task_title="Talk to them",
                          owner_user_id=chair.pk, due_date=timezone.localdate() + timedelta(days=3))
    client.force_login(chair)
    assert "Quentin" in client.get(f"/c/{community.slug}/audit/").content.decode()
    community_services.delete_account(helper, user_id=helper.pk)
    log = client.get(f"/c/{community.slug}/audit/").content.decode()
    assert "Quentin" not in log and "Former member" in log


def test_only_the_minutes_lines_about_the_person_are_renamed(chair, moderator, community, neighbour):
    """Another attendee of the same name, and the secretary's own prose, stay as written."""
    from meetings.models import Minutes

    namesake = make_user("nora2@test.org", "Nora")
    grid = neighbour.memberships.get().grid
    Membership.objects.create(user=namesake, community=community, role="resident", grid=grid)
    meeting = schedule(chair, community, secretary=moderator, invite=[neighbour, namesake])
    meeting_services.open_meeting(chair, meeting_id=meeting.pk)
    meeting_services.check_in(neighbour, meeting_id=meeting.pk)
    meeting_services.adjourn_meeting(chair, meeting_id=meeting.pk)
    minutes = Minutes.objects.get(meeting=meeting)
    Minutes.objects.filter(pk=minutes.pk).update(body=minutes.body + "\n\nNora (the other one) spoke of Nora's shop.\n")
    community_services.delete_account(neighbour, user_id=neighbour.pk)
    body = Minutes.objects.get(pk=minutes.pk).body
    record = meeting_services.minutes_record(meeting)  # written from the attendance when read
    assert "- Former member" in record and "\n- Nora\n" not in record
    assert "Nora (the other one) spoke of Nora's shop." in body
