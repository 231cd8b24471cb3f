"""Consultations through their services: each phase allows exactly its actions; answers before the close."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community import services as community_services
from consult import permissions, services
from consult.models import (
    Comment,
    CommentRevision,
    Consultation,
    ModerationAction,
    Proposal,
    Support,
)
from issues import services as issues_services
from ledger.models import Task
from notifications import services as notifications_services
from notifications.models import Notification
from tests.conftest import make_user
from tests.consult.conftest import TODAY, new_consultation

P = Consultation.Phase


def told(user, text: str) -> bool:
    return Notification.objects.filter(user=user, message__contains=text).exists()


# Creating and phases ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["resident", "grid_worker", "moderator", "org_rep", "outsider_chair"])
def test_only_the_committee_creates_consultations(request, community, who):
    with pytest.raises(PermissionDenied):
        new_consultation(request.getfixturevalue(who), community)
    assert not Consultation.objects.exists()


def test_phase_dates_must_follow_each_other(chair, community):
    with pytest.raises(ValidationError, match="follow each other"):
        services.create_consultation(chair, community_id=community.pk, title="T", body="B", grid_id=None,
                                     collecting_from=TODAY, deliberation_from=TODAY - timedelta(days=1),
                                     voting_from=TODAY, concludes_on=TODAY, support_threshold=None)
    assert not Consultation.objects.exists()


def test_phases_move_forward_one_at_a_time_and_conclusion_has_its_own_door(chair, community):
    consultation = new_consultation(chair, community, phase="draft")
    with pytest.raises(ValidationError, match="next phase"):
        services.advance_phase(chair, consultation_id=consultation.pk, to="voting")
    for step in ["collecting", "deliberation", "voting"]:
        services.advance_phase(chair, consultation_id=consultation.pk, to=step)
    with pytest.raises(ValidationError, match="conclusion"):
        services.advance_phase(chair, consultation_id=consultation.pk, to="concluded")


# (action, phases in which it is allowed)
PHASE_TABLE = {
    "propose": {"collecting"},
    "support": {"collecting", "deliberation"},
    "comment": {"collecting", "deliberation", "voting"},
    "answer": {"collecting", "deliberation", "voting"},
}


@pytest.mark.parametrize("phase", ["draft", "collecting", "deliberation", "voting", "concluded"])
def test_each_phase_allows_exactly_its_actions(chair, community, resident, grid, phase):
    """Try every action in every phase through the services; the table says which succeed."""
    consultation = new_consultation(chair, community)
    target = services.submit_proposal(resident, consultation_id=consultation.pk, title="Existing", body="B")
    other = make_user("o@test.org", "Other")
    from community.models import Membership

    Membership.objects.create(user=other, community=community, role="resident", grid=grid)
    if phase == "draft":
        consultation = new_consultation(chair, community, phase="draft")
    else:
        for step in ["deliberation", "voting"]:
            if consultation.phase == phase:
                break
            consultation = services.advance_phase(chair, consultation_id=consultation.pk, to=step)
        if phase == "concluded":
            services.answer_proposal(chair, proposal_id=target.pk, answer="accepted", reason="Yes")
            services.conclude_consultation(chair, consultation_id=consultation.pk, conclusion="Done")
    attempts = {
        "propose": lambda: services.submit_proposal(other, consultation_id=consultation.pk, title="New", body="B"),
        "support": lambda: services.support_proposal(other, proposal_id=target.pk),
        "comment": lambda: services.post_comment(other, consultation_id=consultation.pk, body="Hi"),
        "answer": lambda: services.answer_proposal(chair, proposal_id=target.pk, answer="not_feasible", reason="No"),
    }
    if phase == "draft":  # nothing exists to support or answer in a fresh draft: check propose and comment
        attempts = {k: v for k, v in attempts.items() if k in ("propose", "comment")}
    for action, attempt in attempts.items():
        allowed = phase in PHASE_TABLE[action]
        if allowed:
            attempt()
        else:
            with pytest.raises((ValidationError, PermissionDenied)):
                attempt()


def test_drafts_are_seen_by_the_committee_only(chair, community, resident, grid_worker):
    draft = new_consultation(chair, community, phase="draft")
    assert permissions.can_view_consultation(chair, draft)
    assert not permissions.can_view_consultation(resident, draft)
    assert not permissions.can_view_consultation(grid_worker, draft)


# Proposals -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["newcomer", "unverified", "moderator", "outsider_chair"])
def test_only_residents_and_organisations_propose(request, consultation, who):
    with pytest.raises(PermissionDenied):
        services.submit_proposal(request.getfixturevalue(who), consultation_id=consultation.pk, title="T", body="B")
    assert not Proposal.objects.exists()


def test_an_organisation_proposes_in_its_own_name(consultation, org_rep, organisation):
    proposal = services.submit_proposal(org_rep, consultation_id=consultation.pk, title="Bike sheds", body="B")
    assert proposal.organisation == organisation


def test_a_grid_consultation_takes_proposals_from_that_grid_only(chair, community, grid, other_grid, resident,
                                                                 resident_of_other_grid):
    local = new_consultation(chair, community, grid=grid)
    services.submit_proposal(resident, consultation_id=local.pk, title="Here", body="B")
    with pytest.raises(PermissionDenied):
        services.submit_proposal(resident_of_other_grid, consultation_id=local.pk, title="There", body="B")


def test_the_author_edits_until_deliberation_and_withdraws(chair, consultation, proposal, resident, resident_of_other_grid):
    with pytest.raises(PermissionDenied):
        services.edit_proposal(resident_of_other_grid, proposal_id=proposal.pk, title="Mine now", body="B")
    services.edit_proposal(resident, proposal_id=proposal.pk, title="Canteen at noon", body="Better")
    proposal.refresh_from_db()
    assert proposal.title == "Canteen at noon" and proposal.edited_at
    services.advance_phase(chair, consultation_id=consultation.pk, to="deliberation")
    with pytest.raises(PermissionDenied):
        services.edit_proposal(resident, proposal_id=proposal.pk, title="Too late", body="B")
    services.withdraw_proposal(resident, proposal_id=proposal.pk)
    proposal.refresh_from_db()
    assert proposal.is_withdrawn


def test_answers_need_a_reason_and_tell_author_and_supporters(chair, consultation, proposal, resident,
                                                              resident_of_other_grid):
    services.support_proposal(resident_of_other_grid, proposal_id=proposal.pk)
    with pytest.raises(ValidationError):
        services.answer_proposal(chair, proposal_id=proposal.pk, answer="accepted", reason="  ")
    with pytest.raises(ValidationError):
        services.answer_proposal(chair, proposal_id=proposal.pk, answer="maybe", reason="Hmm")
    with pytest.raises(PermissionDenied):
        services.answer_proposal(resident, proposal_id=proposal.pk, answer="accepted", reason="I like it")
    services.answer_proposal(chair, proposal_id=proposal.pk, answer="already_planned", reason="Opens in May.")
    proposal.refresh_from_db()
    assert (proposal.answer, proposal.answer_text, proposal.answered_by) == ("already_planned", "Opens in May.", chair)
    assert told(resident, "answered") and told(resident_of_other_grid, "answered")


def test_merging_points_to_another_proposal_of_the_same_consultation(chair, community, consultation, proposal, resident):
    other = services.submit_proposal(resident, consultation_id=consultation.pk, title="Lunch", body="B")
    elsewhere = new_consultation(chair, community)
    foreign = services.submit_proposal(resident, consultation_id=elsewhere.pk, title="Far", body="B")
    with pytest.raises(ValidationError, match="merged into"):
        services.answer_proposal(chair, proposal_id=other.pk, answer="merged", reason="Same", merged_into_id=foreign.pk)
    services.answer_proposal(chair, proposal_id=other.pk, answer="merged", reason="Same", merged_into_id=proposal.pk)
    other.refresh_from_db()
    assert other.merged_into == proposal


def test_no_conclusion_while_a_proposal_waits_for_its_answer(chair, consultation, proposal, resident):
    withdrawn = services.submit_proposal(resident, consultation_id=consultation.pk, title="Never mind", body="B")
    services.withdraw_proposal(resident, proposal_id=withdrawn.pk)
    services.advance_phase(chair, consultation_id=consultation.pk, to="deliberation")
    with pytest.raises(ValidationError, match="1 proposal still waits"):
        services.conclude_consultation(chair, consultation_id=consultation.pk, conclusion="Done")
    consultation.refresh_from_db()
    assert consultation.phase == "deliberation" and not consultation.conclusion
    services.answer_proposal(chair, proposal_id=proposal.pk, answer="accepted", reason="Yes")
    services.conclude_consultation(chair, consultation_id=consultation.pk, conclusion="We build a canteen.")
    consultation.refresh_from_db()
    assert consultation.phase == "concluded" and consultation.concluded_at


# Supports ----------------------------------------------------------------------------------


def test_one_support_per_resident_and_the_threshold_shortlists(grid, consultation, proposal, resident_of_other_grid,
                                                               org_rep):
    from community.models import Membership

    neighbour = make_user("neighbour@test.org", "Neighbour")
    Membership.objects.create(user=neighbour, community=grid.community, role="resident", grid=grid)
    services.support_proposal(neighbour, proposal_id=proposal.pk)
    with pytest.raises(ValidationError, match="already"):
        services.support_proposal(neighbour, proposal_id=proposal.pk)
    with pytest.raises(PermissionDenied):
        services.support_proposal(org_rep, proposal_id=proposal.pk)
    proposal.refresh_from_db()
    assert proposal.supports_count == 1 and not proposal.is_shortlisted
    services.support_proposal(resident_of_other_grid, proposal_id=proposal.pk)
    proposal.refresh_from_db()
    assert proposal.supports_count == 2 and proposal.is_shortlisted
    services.withdraw_support(neighbour, proposal_id=proposal.pk)
    proposal.refresh_from_db()
    assert proposal.supports_count == 1 == Support.objects.filter(proposal=proposal).count()


# Comments ----------------------------------------------------------------------------------


def test_threads_go_two_replies_deep(consultation, resident, resident_of_other_grid):
    top = services.post_comment(resident, consultation_id=consultation.pk, body="Top", stance="for")
    reply = services.post_comment(resident_of_other_grid, consultation_id=consultation.pk, body="R1", parent_id=top.pk)
    deepest = services.post_comment(resident, consultation_id=consultation.pk, body="R2", parent_id=reply.pk)
    assert (top.depth, reply.depth, deepest.depth) == (0, 1, 2)
    with pytest.raises(ValidationError, match="two levels"):
        services.post_comment(resident_of_other_grid, consultation_id=consultation.pk, body="R3", parent_id=deepest.pk)
    assert told(resident, "replied to your comment")


def test_a_reply_stays_in_its_discussion(consultation, proposal, resident):
    top = services.post_comment(resident, consultation_id=consultation.pk, body="On the consultation")
    with pytest.raises(ValidationError, match="same discussion"):
        services.post_comment(resident, consultation_id=consultation.pk, body="R", parent_id=top.pk,
                              proposal_id=proposal.pk)


def test_edits_keep_history_and_deletes_leave_a_tombstone(consultation, resident, resident_of_other_grid):
    comment = services.post_comment(resident, consultation_id=consultation.pk, body="First words", stance="against")
    with pytest.raises(PermissionDenied):
        services.edit_comment(resident_of_other_grid, comment_id=comment.pk, body="Hijack")
    services.edit_comment(resident, comment_id=comment.pk, body="Second words")
    comment.refresh_from_db()
    assert comment.body == "Second words" and comment.edited_at
    assert list(CommentRevision.objects.filter(comment=comment).values_list("body", flat=True)) == ["First words"]
    services.delete_comment(resident, comment_id=comment.pk)
    comment.refresh_from_db()
    assert comment.is_deleted and Comment.objects.filter(pk=comment.pk).exists()


def test_upvotes_once_and_not_ones_own(consultation, resident, resident_of_other_grid):
    comment = services.post_comment(resident, consultation_id=consultation.pk, body="Hi")
    with pytest.raises(PermissionDenied):
        services.upvote_comment(resident, comment_id=comment.pk)
    services.upvote_comment(resident_of_other_grid, comment_id=comment.pk)
    with pytest.raises(ValidationError):
        services.upvote_comment(resident_of_other_grid, comment_id=comment.pk)
    comment.refresh_from_db()
    assert comment.upvotes_count == 1


def test_participants_follow_and_hear_of_new_phases(chair, consultation, proposal, resident, resident_of_other_grid):
    services.post_comment(resident_of_other_grid, consultation_id=consultation.pk, body="Hi")
    services.advance_phase(chair, consultation_id=consultation.pk, to="deliberation")
    assert told(resident, "new phase") and told(resident_of_other_grid, "new phase")
    services.unfollow_consultation(resident_of_other_grid, consultation_id=consultation.pk)
    services.advance_phase(chair, consultation_id=consultation.pk, to="voting")
    assert Notification.objects.filter(user=resident_of_other_grid, message__contains="new phase").count() == 1


# Moderation --------------------------------------------------------------------------------


def _reporters(grid, n):
    from community.models import Membership

    people = []
    for i in range(n):
        user = make_user(f"rep{i}@test.org", f"Reporter {i}")
        Membership.objects.create(user=user, community=grid.community, role="resident", grid=grid)
        people.append(user)
    return people


def test_three_reports_hide_a_comment_until_a_moderator_decides(grid, consultation, resident, moderator):
    comment = services.post_comment(resident, consultation_id=consultation.pk, body="You are all idiots")
    a, b, c = _reporters(grid, 3)
    services.report_content(a, comment_id=comment.pk, reason="abuse")
    with pytest.raises(ValidationError, match="already reported"):
        services.report_content(a, comment_id=comment.pk, reason="abuse")
    with pytest.raises(PermissionDenied):
        services.report_content(resident, comment_id=comment.pk, reason="spam")  # not one's own
    services.report_content(b, comment_id=comment.pk, reason="abuse")
    comment.refresh_from_db()
    assert comment.moderation == "visible"
    services.report_content(c, comment_id=comment.pk, reason="spam")
    comment.refresh_from_db()
    assert comment.moderation == "auto_hidden"
    assert ModerationAction.objects.filter(comment=comment, action="auto_hide").exists()
    assert told(moderator, "waits for a moderator")


def test_moderators_hide_with_a_reason_the_author_reads_and_can_restore(consultation, resident, moderator, chair):
    comment = services.post_comment(resident, consultation_id=consultation.pk, body="Spam spam")
    with pytest.raises(PermissionDenied):
        services.moderate(chair, comment_id=comment.pk, action="hide", reason="spam", explanation="Ads")
    with pytest.raises(ValidationError):
        services.moderate(moderator, comment_id=comment.pk, action="hide", reason="spam", explanation="")
    services.moderate(moderator, comment_id=comment.pk, action="hide", reason="spam", explanation="Advertising a shop.")
    comment.refresh_from_db()
    assert (comment.moderation, comment.moderation_reason) == ("hidden", "spam")
    assert told(resident, "Advertising a shop.") and told(resident, "Spam or advertising")
    services.moderate(moderator, comment_id=comment.pk, action="restore", reason="", explanation="On review it is fine.")
    comment.refresh_from_db()
    assert comment.moderation == "visible"
    assert list(ModerationAction.objects.filter(comment=comment).values_list("action", flat=True)) == ["restore", "hide"]


def test_hidden_proposals_need_no_answer_and_take_no_supports(chair, consultation, proposal, moderator,
                                                               resident_of_other_grid):
    services.moderate(moderator, proposal_id=proposal.pk, action="hide", reason="privacy", explanation="A phone number.")
    with pytest.raises(PermissionDenied):
        services.support_proposal(resident_of_other_grid, proposal_id=proposal.pk)
    services.advance_phase(chair, consultation_id=consultation.pk, to="deliberation")
    services.conclude_consultation(chair, consultation_id=consultation.pk, conclusion="Nothing to do.")


# Conclusion, decisions, linked issues -----------------------------------------------------------


def test_the_conclusion_records_decisions_with_tasks_in_the_ledger(chair, consultation, proposal, organisation, org_rep):
    services.answer_proposal(chair, proposal_id=proposal.pk, answer="accepted", reason="Yes")
    with pytest.raises(ValidationError, match="vote or conclusion"):
        services.record_consultation_decision(chair, consultation_id=consultation.pk, title="Too early")
    services.advance_phase(chair, consultation_id=consultation.pk, to="deliberation")
    services.conclude_consultation(chair, consultation_id=consultation.pk, conclusion="Canteen.")
    decision = services.record_consultation_decision(
        chair, consultation_id=consultation.pk, title="Open a canteen",
        tasks=[{"title": "Fit the kitchen", "owner_organisation_id": organisation.pk,
                "due_date": TODAY + timedelta(days=30)}],
    )
    assert decision.consultation == consultation and decision.source == "consultation"
    assert Task.objects.get().decision == decision
    assert told(org_rep, "Fit the kitchen")
    with pytest.raises(ValidationError):
        services.record_consultation_decision(
            chair, consultation_id=consultation.pk, title="Bad task",
            tasks=[{"title": "X", "owner_organisation_id": organisation.pk, "due_date": TODAY - timedelta(days=1)}],
        )
    assert consultation.decisions.count() == 1  # the refused decision left nothing behind


def test_a_major_issue_is_put_before_a_consultation_and_hears_its_conclusion(
    chair, consultation, proposal, issue, grid_worker, resident
):
    issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="major")
    services.send_issue_to_consultation(grid_worker, issue_id=issue.pk, consultation_id=consultation.pk)
    with pytest.raises(ValidationError, match="already"):
        services.send_issue_to_consultation(grid_worker, issue_id=issue.pk, consultation_id=consultation.pk)
    assert list(consultation.issues.all()) == [issue]
    assert issue.events.last().kind == "consultation" and told(resident, "consultation")
    services.answer_proposal(chair, proposal_id=proposal.pk, answer="accepted", reason="Yes")
    services.advance_phase(chair, consultation_id=consultation.pk, to="deliberation")
    services.conclude_consultation(chair, consultation_id=consultation.pk, conclusion="Done")
    assert issue.events.last().data["phase"] == "concluded" and told(resident, "is concluded")


def test_issues_of_other_grids_or_drafts_cannot_be_sent(chair, community, issue, grid_worker_of_other_grid):
    draft = new_consultation(chair, community, phase="draft")
    with pytest.raises(ValidationError, match="open consultation"):
        services.send_issue_to_consultation(chair, issue_id=issue.pk, consultation_id=draft.pk)
    public = new_consultation(chair, community)
    with pytest.raises(PermissionDenied):
        services.send_issue_to_consultation(grid_worker_of_other_grid, issue_id=issue.pk, consultation_id=public.pk)


# Email: immediately or a daily digest -----------------------------------------------------------


def test_a_daily_digest_replaces_immediate_email(chair, consultation, proposal, resident, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    community_services.update_profile(resident, display_name="R", language="en", age_band="", email_frequency="daily")
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_proposal(chair, proposal_id=proposal.pk, answer="accepted", reason="Yes")
        services.advance_phase(chair, consultation_id=consultation.pk, to="deliberation")
    assert not [m for m in mailoutbox if m.to == [resident.email]]
    assert Notification.objects.filter(user=resident, in_digest=True).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_services.send_digests() == 1
        assert notifications_services.send_digests() == 0  # one a day
    digest = [m for m in mailoutbox if m.to == [resident.email]]
    assert len(digest) == 1 and "answered" in digest[0].body and "new phase" in digest[0].body
    assert "2 notifications" in digest[0].subject


def test_never_means_no_email_but_still_in_app(chair, consultation, proposal, resident, mailoutbox,
                                               django_capture_on_commit_callbacks):
    community_services.update_profile(resident, display_name="R", language="en", age_band="", email_frequency="never")
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_proposal(chair, proposal_id=proposal.pk, answer="accepted", reason="Yes")
    assert not [m for m in mailoutbox if m.to == [resident.email]] and told(resident, "answered")


def test_triage_puts_a_major_issue_straight_before_a_consultation(consultation, issue, grid_worker, chair, client):
    with pytest.raises(ValidationError, match="Only a major issue"):
        issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="emergency", consultation_id=consultation.pk)
    client.force_login(grid_worker)
    response = client.post(f"/issues/{issue.pk}/triage", {"triage-tier": "major", "triage-consultation": consultation.pk})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.tier == "major" and list(issue.consultations.all()) == [consultation]
    client.force_login(chair)
    waiting = client.get("/issues/queue/").content.decode().split('id="major-title"')[1].split("</section>")[0]
    assert f'id="issue-{issue.pk}"' not in waiting  # the committee's joint-handling list: it is handled
