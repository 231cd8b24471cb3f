"""Each privileged action leaves exactly one entry naming who did what to which target; a refused one leaves none."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEntry
from community import services as community_services
from community.models import MembershipRequest
from consult import services as consult_services
from issues import services as issues_services
from meetings import services as meetings
from polls import services as polls
from tests.audit.conftest import recorded, summary
from tests.consult.conftest import new_consultation
from tests.meetings.conftest import schedule
from tests.polls.conftest import make_poll


def test_verifying_and_declining_residents_are_recorded(grid, grid_worker, newcomer, resident):
    ask = MembershipRequest.objects.create(user=newcomer, grid=grid, unit="B2-202")
    with recorded() as entries:
        community_services.approve_membership_request(grid_worker, request_id=ask.pk)
    assert summary(entries) == [(grid_worker.pk, "membership.approved", "community.user", newcomer.pk)]
    assert entries[0].community_id == grid.community_id and entries[0].actor_name == "Wang"
    second = MembershipRequest.objects.create(user=resident, grid=grid, unit="B1-102")
    with recorded() as entries:
        community_services.reject_membership_request(grid_worker, request_id=second.pk, reason="No such unit")
    assert summary(entries) == [(grid_worker.pk, "membership.declined", "community.user", resident.pk)]
    assert entries[0].details["reason"] == "No such unit"


def test_a_refused_verification_leaves_no_entry(grid, resident_of_other_grid, grid_worker_of_other_grid, newcomer):
    ask = MembershipRequest.objects.create(user=newcomer, grid=grid, unit="B2-202")
    with recorded() as entries, pytest.raises(PermissionDenied):
        community_services.approve_membership_request(grid_worker_of_other_grid, request_id=ask.pk)
    assert entries == []


def test_triage_decline_and_merge_are_recorded_and_a_refused_triage_is_not(
    issue, grid_worker, grid_worker_of_other_grid, organisation, grid, category, resident
):
    with recorded() as entries, pytest.raises(PermissionDenied):
        issues_services.triage_issue(grid_worker_of_other_grid, issue_id=issue.pk, tier="major")
    assert entries == []
    with recorded() as entries:
        issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="routine", task_title="Fix the lift",
                              owner_organisation_id=organisation.pk, due_date=timezone.localdate() + timedelta(days=3))
    assert summary(entries) == [(grid_worker.pk, "issue.triaged", "issues.issue", issue.pk),
                                (grid_worker.pk, "issue.assigned", "issues.issue", issue.pk)]
    assert entries[0].details == {"tier": "routine"} and entries[0].target_url == issue.get_absolute_url()
    other = issues_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="Again", body="Same")
    third = issues_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="Noise", body="Loud")
    with recorded() as entries:
        issues_services.merge_issue(grid_worker, issue_id=other.pk, into_id=issue.pk)
        issues_services.decline_issue(grid_worker, issue_id=third.pk, reason="Not ours to handle")
    assert summary(entries) == [(grid_worker.pk, "issue.merged", "issues.issue", other.pk),
                                (grid_worker.pk, "issue.declined", "issues.issue", third.pk)]


def test_entering_an_issue_for_a_resident_and_the_deadline_escalation_are_recorded(grid, category, grid_worker):
    with recorded() as entries:
        entered = issues_services.raise_issue(grid_worker, grid_id=grid.pk, category_id=category.pk, title="Leak",
                                       body="Water", on_behalf_of="Mrs Li", channel="phone")
    assert summary(entries) == [(grid_worker.pk, "issue.entered", "issues.issue", entered.pk)]
    with recorded() as entries:
        issues_services.sweep_issues(now=timezone.now() + timedelta(days=30))
    assert summary(entries) == [(None, "issue.escalated", "issues.issue", entered.pk)]


def test_moderation_is_recorded_without_copying_the_hidden_text(chair, community, resident, moderator):
    consultation = new_consultation(chair, community)
    comment = consult_services.post_comment(resident, consultation_id=consultation.pk, body="Call 139 0000 1111")
    with recorded() as entries, pytest.raises(PermissionDenied):
        consult_services.moderate(resident, action="hide", reason="privacy", explanation="Phone", comment_id=comment.pk)
    assert entries == []
    with recorded() as entries:
        consult_services.moderate(moderator, action="hide", reason="privacy", explanation="A phone number",
                          comment_id=comment.pk)
        consult_services.moderate(moderator, action="restore", reason="", explanation="Number removed",
                          comment_id=comment.pk)
    assert summary(entries) == [(moderator.pk, "content.hidden", "consult.comment", comment.pk),
                                (moderator.pk, "content.restored", "consult.comment", comment.pk)]
    assert entries[0].details["reason_code"] == "privacy" and entries[0].target_label == f"#{comment.pk}"
    assert "139" not in str(AuditEntry.objects.values_list("target_label", "details"))


def test_consultation_steps_answers_and_decisions_are_recorded(chair, community, resident):
    with recorded() as entries:
        consultation = new_consultation(chair, community, phase="collecting")
    assert summary(entries) == [(chair.pk, "consultation.created", "consult.consultation", consultation.pk),
                                (chair.pk, "consultation.phase_changed", "consult.consultation", consultation.pk)]
    proposal = consult_services.submit_proposal(resident, consultation_id=consultation.pk, title="Canteen", body="Lunch")
    consult_services.advance_phase(chair, consultation_id=consultation.pk, to="deliberation")
    with recorded() as entries:
        consult_services.answer_proposal(chair, proposal_id=proposal.pk, answer="not_feasible", reason="No kitchen")
        consult_services.conclude_consultation(chair, consultation_id=consultation.pk, conclusion="Done")
        decision = consult_services.record_consultation_decision(chair, consultation_id=consultation.pk, title="No canteen")
    assert summary(entries) == [(chair.pk, "proposal.answered", "consult.proposal", proposal.pk),
                                (chair.pk, "consultation.concluded", "consult.consultation", consultation.pk),
                                (chair.pk, "decision.recorded", "ledger.decision", decision.pk)]


def test_meeting_chair_actions_and_minutes_approval_are_recorded(chair, community, resident, moderator):
    with recorded() as entries:
        meeting = schedule(chair, community, secretary=moderator, invite=[resident])
    assert summary(entries) == [(chair.pk, "meeting.scheduled", "meetings.meeting", meeting.pk)]
    item = meetings.suggest_agenda_item(resident, meeting_id=meeting.pk, title="Bins")
    with recorded() as entries:
        meetings.decide_suggestion(chair, item_id=item.pk, accept=True)
        meetings.open_meeting(chair, meeting_id=meeting.pk)
        meetings.check_in(chair, meeting_id=meeting.pk, user_id=resident.pk)
    assert [e.action for e in entries] == ["agenda.accepted", "meeting.opened", "meeting.checked_in"]
    message = meetings.post_message(resident, meeting_id=meeting.pk, body="Hello")
    hand = meetings.raise_hand(resident, meeting_id=meeting.pk)
    with recorded() as entries, pytest.raises(PermissionDenied):
        meetings.hide_message(resident, meeting_id=meeting.pk, message_id=message.pk)
    assert entries == []
    with recorded() as entries:
        meetings.hide_message(chair, meeting_id=meeting.pk, message_id=message.pk)
        meetings.remove_speaker(chair, meeting_id=meeting.pk, request_id=hand.pk)
        meetings.adjourn_meeting(chair, meeting_id=meeting.pk)
        meetings.approve_minutes(chair, meeting_id=meeting.pk)
    assert summary(entries) == [(chair.pk, action, "meetings.meeting", meeting.pk) for action in (
        "meeting.message_hidden", "meeting.speaker_removed", "meeting.adjourned", "minutes.approved")]
    assert entries[1].details["person"] == resident.public_name


def test_poll_set_up_opening_and_closing_are_recorded_and_votes_never_are(chair, community, grid, resident):
    with recorded() as entries:
        poll = make_poll(chair, community)
    assert summary(entries) == [(chair.pk, "poll.created", "polls.poll", poll.pk),
                                (chair.pk, "poll.opened", "polls.poll", poll.pk)]
    with recorded() as entries:
        polls.cast_ballot(resident, poll_id=poll.pk, choices="yes")
    assert entries == []  # who voted, let alone how, is never in the audit log
    with recorded() as entries, pytest.raises(PermissionDenied):
        polls.close_poll(resident, poll_id=poll.pk)
    assert entries == []
    with recorded() as entries:
        polls.close_poll(chair, poll_id=poll.pk)
    assert summary(entries) == [(chair.pk, "poll.closed", "polls.poll", poll.pk),
                                (chair.pk, "poll.counted", "polls.poll", poll.pk)]
    assert set(entries[1].details) == {"adopted", "ballot_box_digest"}  # the count's outcome, no ballot


def test_api_tokens_are_recorded_outside_any_community(resident):
    with recorded() as entries:
        token, _secret = community_services.create_api_token(resident, name="Phone", scopes=["issues"])
        community_services.revoke_api_token(resident, token_id=token.pk)
    assert summary(entries) == [(resident.pk, "token.created", "community.apitoken", token.pk),
                                (resident.pk, "token.revoked", "community.apitoken", token.pk)]
    assert {e.community_id for e in entries} == {None}


def test_a_committee_csv_export_is_recorded_and_a_public_download_is_not(client, chair, community, issue):
    with recorded() as entries:
        assert client.get("/issues/issues.csv?community=canary").status_code == 200
    assert entries == []
    client.force_login(chair)
    with recorded() as entries:
        b"".join(client.get("/outcomes/decisions.csv?community=canary").streaming_content)
        client.get("/polls/results.csv?community=canary")
    assert [(e.actor_id, e.action, e.community_id, e.details["export"]) for e in entries] == [
        (chair.pk, "export.csv", community.pk, "canary-decisions.csv"),
        (chair.pk, "export.csv", community.pk, "canary-poll-results.csv")]


def test_the_backup_export_is_recorded(issue, tmp_path):
    with recorded() as entries:
        call_command("export_data", output=str(tmp_path / "backup.json"), stdout=io.StringIO())
    assert [(e.actor_id, e.action, e.community_id) for e in entries] == [(None, "export.backup", None)]
    assert entries[0].details["rows"] > 0


def test_a_role_change_in_the_admin_is_recorded_with_before_and_after(client, grid, resident, community):
    from community.models import Membership
    from tests.conftest import make_user

    staff = make_user("staff@test.org", "Sam", is_staff=True, is_superuser=True)
    client.force_login(staff)
    membership = Membership.objects.get(user=resident)
    form = {"user": resident.pk, "community": community.pk, "role": "grid_worker", "position": "",
            "grid": grid.pk, "organisation": "", "unit": membership.unit}
    with recorded() as entries:
        response = client.post(f"/admin/community/membership/{membership.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert summary(entries) == [(staff.pk, "role.changed", "community.user", resident.pk)]
    assert entries[0].details["before"]["role"] == "resident" and entries[0].details["after"]["role"] == "grid_worker"


def test_an_action_refused_after_validation_leaves_no_entry(chair, community):
    consultation = new_consultation(chair, community, phase="collecting")
    with recorded() as entries, pytest.raises(ValidationError):
        consult_services.conclude_consultation(chair, consultation_id=consultation.pk, conclusion="Too early")
    assert entries == []


def test_making_someone_staff_or_suspending_them_is_recorded_and_every_committee_sees_it(
    client, resident, chair, community
):
    """Powers over the whole platform are roles too; they belong to no community, so every committee reads them."""
    from tests.conftest import make_user

    staff = make_user("staff@test.org", "Sam", is_staff=True, is_superuser=True)
    client.force_login(staff)
    page = client.get(f"/admin/community/user/{resident.pk}/change/")
    form = {key: value for key, value in page.context["adminform"].form.initial.items()
            if key in ("email", "display_name", "language", "age_band")}
    form.update({"is_active": "on", "is_staff": "on", "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00",
                 "emailaddress_set-TOTAL_FORMS": "0", "emailaddress_set-INITIAL_FORMS": "0"})
    with recorded() as entries:
        response = client.post(f"/admin/community/user/{resident.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert summary(entries) == [(staff.pk, "role.changed", "community.user", resident.pk)]
    assert entries[0].community_id is None
    assert entries[0].details == {"before": {"site": []}, "after": {"site": ["is_staff"]}}
    form.pop("is_active")  # suspended
    with recorded() as entries:
        client.post(f"/admin/community/user/{resident.pk}/change/", form)
    assert entries[0].details["after"] == {"site": ["is_staff", "suspended"]}
    client.force_login(chair)
    log = client.get(f"/c/{community.slug}/audit/").content.decode()
    assert "Changed a role: none (the whole platform) → staff (the whole platform)" in log
    assert "staff, suspended (the whole platform)" in log


def test_a_deleted_communitys_role_changes_do_not_appear_in_other_communities_logs(
    client, other_community, outsider_chair, chair, community
):
    import audit
    from community.models import Community

    gone = Community.objects.create(name="Gone Lane", slug="gone-lane")
    audit.record(outsider_chair, "role.changed", community=gone, target=outsider_chair,
                 before={"role": "resident", "where": "Gone Lane"}, after={"role": "committee", "where": "Gone Lane"})
    gone.delete()
    client.force_login(chair)
    assert "Gone Lane" not in client.get(f"/c/{community.slug}/audit/").content.decode()
