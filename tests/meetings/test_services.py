"""Meetings through their services: scheduling, the agenda, attendance and quorum, decisions, minutes."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from ledger.models import Decision, Task
from meetings import services
from meetings.models import AgendaItem, Invitation, Meeting, Minutes, MinutesRevision
from notifications.models import Notification
from tests.meetings.conftest import schedule

TODAY = timezone.localdate()


@pytest.mark.parametrize("who", ["resident", "grid_worker", "org_rep", "moderator", "outsider_chair"])
def test_only_the_committee_schedules(request, community, chair, who):
    with pytest.raises(PermissionDenied):
        schedule(request.getfixturevalue(who), community)
    assert not Meeting.objects.exists()


def test_scheduling_checks_its_input_and_invites(chair, community, resident, organisation, org_rep, outsider_chair):
    start = timezone.now() + timedelta(days=1)
    base = dict(community_id=community.pk, kind="joint", title="T", starts_at=start, chair_id=chair.pk,
                secretary_id=chair.pk, place="Hall")
    for bad, message in [({"ends_at": start - timedelta(hours=1)}, "end after"), ({"place": "", "online": False}, "place"),
                         ({"kind": "party"}, "kind"), ({"audience": "grid"}, "grid"),
                         ({"secretary_id": outsider_chair.pk}, "people of this community")]:
        with pytest.raises(ValidationError, match=message):
            services.schedule_meeting(chair, **{**base, **bad})
    assert not Meeting.objects.exists()
    meeting = schedule(chair, community, invite=[resident], orgs=[organisation])
    assert Invitation.objects.filter(meeting=meeting).count() == 2
    assert Notification.objects.filter(user=resident, message__contains="invited").exists()
    assert Notification.objects.filter(user=org_rep, message__contains="invited").exists()


def test_invitees_answer_yes_no_or_maybe(meeting, resident, org_rep, resident_of_other_grid):
    services.respond_to_invitation(resident, meeting_id=meeting.pk, response="maybe")
    services.respond_to_invitation(org_rep, meeting_id=meeting.pk, response="yes")  # through the organisation
    assert meeting.invitations.get(user=resident).response == "maybe"
    with pytest.raises(PermissionDenied):
        services.respond_to_invitation(resident_of_other_grid, meeting_id=meeting.pk, response="yes")
    with pytest.raises(ValidationError):
        services.respond_to_invitation(resident, meeting_id=meeting.pk, response="perhaps")


def test_residents_suggest_items_and_the_chair_decides(meeting, chair, resident):
    item = services.suggest_agenda_item(resident, meeting_id=meeting.pk, title="Sunday opening hours")
    assert item.status == "suggested"
    with pytest.raises(PermissionDenied):
        services.decide_suggestion(resident, item_id=item.pk, accept=True)
    with pytest.raises(ValidationError):
        services.decide_suggestion(chair, item_id=item.pk, accept=False, reason="")
    services.decide_suggestion(chair, item_id=item.pk, accept=False, reason="Next month's council")
    assert Notification.objects.filter(user=resident, message__contains="declined").exists()
    with pytest.raises(ValidationError, match="already"):
        services.decide_suggestion(chair, item_id=item.pk, accept=True)


def test_agenda_items_link_only_to_this_community(meeting, chair, other_community, outsider_chair):
    from community.models import Grid
    from issues.models import Category, Issue

    grid = Grid.objects.create(community=other_community, number=9, name="Far")
    category = Category.objects.create(community=other_community, name="Other")
    foreign = Issue.objects.create(community=other_community, grid=grid, category=category, title="Far away",
                                   body="B", response_due_at=timezone.now())
    with pytest.raises(ValidationError, match="issue of this community"):
        services.add_agenda_item(chair, meeting_id=meeting.pk, title="X", issue_id=foreign.pk)


def test_check_in_counts_towards_the_quorum(live_meeting, chair, moderator, resident, org_rep, resident_of_other_grid):
    services.check_in(resident, meeting_id=live_meeting.pk)
    with pytest.raises(ValidationError, match="already"):
        services.check_in(resident, meeting_id=live_meeting.pk)
    with pytest.raises(PermissionDenied):
        services.check_in(resident, meeting_id=live_meeting.pk, user_id=org_rep.pk)  # only the secretary or chair
    attendance = services.check_in(moderator, meeting_id=live_meeting.pk, user_id=org_rep.pk)  # the secretary
    assert attendance.organisation is not None
    last = live_meeting.events.last()
    assert (last.kind, last.data["present"], last.data["quorum_met"]) == ("attendance", 2, True)


def test_minutes_keep_every_version_and_refuse_a_stale_save(live_meeting, moderator, resident):
    services.update_minutes(moderator, meeting_id=live_meeting.pk, body="First", base_version=0)
    services.update_minutes(moderator, meeting_id=live_meeting.pk, body="Second", base_version=1)
    with pytest.raises(ValidationError, match="in the meantime"):
        services.update_minutes(moderator, meeting_id=live_meeting.pk, body="Old view", base_version=1)
    with pytest.raises(PermissionDenied):
        services.update_minutes(resident, meeting_id=live_meeting.pk, body="Mine", base_version=2)
    assert list(MinutesRevision.objects.values_list("version", "body")) == [(1, "First"), (2, "Second")]


def test_a_decided_item_goes_into_the_ledger_with_its_tasks(live_meeting, chair, organisation, org_rep):
    item = live_meeting.agenda_items.first()
    with pytest.raises(ValidationError):
        services.record_item_outcome(chair, item_id=item.pk, outcome="decided", text="")
    services.record_item_outcome(chair, item_id=item.pk, outcome="decided", text="Mark the lanes.", tasks=[
        {"title": "Paint the lanes", "owner_organisation_id": organisation.pk, "due_date": TODAY + timedelta(days=5)}
    ])
    item.refresh_from_db()
    decision = Decision.objects.get()
    assert (item.outcome, item.decision, decision.source) == ("decided", decision, "meeting")
    assert Task.objects.get().decision == decision
    assert Notification.objects.filter(user=org_rep, message__contains="Paint the lanes").exists()
    with pytest.raises(ValidationError, match="already"):
        services.record_item_outcome(chair, item_id=item.pk, outcome="deferred")


def test_adjourning_drafts_the_minutes_and_the_chair_publishes_them(live_meeting, chair, moderator, resident,
                                                                    organisation):
    services.check_in(resident, meeting_id=live_meeting.pk)
    first, second = live_meeting.agenda_items.all()
    services.record_item_outcome(moderator, item_id=first.pk, outcome="decided", text="Lanes marked.", tasks=[
        {"title": "Paint", "owner_organisation_id": organisation.pk, "due_date": TODAY + timedelta(days=5)}])
    services.record_item_outcome(moderator, item_id=second.pk, outcome="deferred", text="Next month.")
    with pytest.raises(ValidationError):
        services.approve_minutes(chair, meeting_id=live_meeting.pk)  # not adjourned yet
    services.adjourn_meeting(chair, meeting_id=live_meeting.pk)
    minutes = Minutes.objects.get(meeting=live_meeting)
    assert minutes.body == ""  # the secretary's text; the record is written from the data when read
    record = services.minutes_record(live_meeting)
    for expected in ("Chair: Chen", "Secretary: Mo", "Attendance", resident.public_name, "Parking", "Decided",
                     "Deferred", "Decisions", "- Lanes marked.", "Task: Paint"):
        assert expected in record
    with translation.override("zh-hans"):
        chinese = services.minutes_record(live_meeting)
    for expected in ("主持人：Chen", "出席", "已作决定", "暂缓", "决定", "任务：Paint"):
        assert expected in chinese, expected
    with pytest.raises(PermissionDenied):
        services.approve_minutes(resident, meeting_id=live_meeting.pk)
    services.approve_minutes(chair, meeting_id=live_meeting.pk)
    minutes.refresh_from_db()
    assert minutes.status == "published" and minutes.approved_by == chair
    with pytest.raises(ValidationError, match="published"):
        services.update_minutes(moderator, meeting_id=live_meeting.pk, body="Changed", base_version=minutes.version)


def test_the_room_is_closed_to_chat_before_and_after(meeting, chair, resident):
    with pytest.raises(ValidationError, match="not live"):
        services.post_message(resident, meeting_id=meeting.pk, body="Early")
    services.open_meeting(chair, meeting_id=meeting.pk)
    services.post_message(resident, meeting_id=meeting.pk, body="Now")
    services.adjourn_meeting(chair, meeting_id=meeting.pk)
    with pytest.raises(ValidationError, match="not live"):
        services.raise_hand(resident, meeting_id=meeting.pk)


def test_hands_are_raised_once_and_the_chair_can_remove_them(live_meeting, chair, resident):
    request = services.raise_hand(resident, meeting_id=live_meeting.pk)
    with pytest.raises(ValidationError, match="already"):
        services.raise_hand(resident, meeting_id=live_meeting.pk)
    services.remove_speaker(chair, meeting_id=live_meeting.pk, request_id=request.pk)
    assert services.queue_state(live_meeting) == {"speaker": None, "waiting": []}
    services.raise_hand(resident, meeting_id=live_meeting.pk)  # may ask again
    services.lower_hand(resident, meeting_id=live_meeting.pk)
    with pytest.raises(ValidationError):
        services.lower_hand(resident, meeting_id=live_meeting.pk)


def test_the_speaker_says_i_am_done_and_the_floor_is_free(live_meeting, chair, resident):
    services.raise_hand(resident, meeting_id=live_meeting.pk)
    services.call_next_speaker(chair, meeting_id=live_meeting.pk)
    assert services.queue_state(live_meeting)["speaker"]["user_id"] == resident.pk
    services.lower_hand(resident, meeting_id=live_meeting.pk)  # "I'm done"
    assert services.queue_state(live_meeting)["speaker"] is None
    assert live_meeting.speakers.get(user=resident).status == "done"
    assert live_meeting.events.filter(kind="queue").last().data["change"] == "finished"


def test_the_chair_hides_a_message_and_it_replays_hidden(live_meeting, chair, resident):
    from meetings import fragments

    message = services.post_message(resident, meeting_id=live_meeting.pk, body="Rude words")
    with pytest.raises(PermissionDenied):
        services.hide_message(resident, meeting_id=live_meeting.pk, message_id=message.pk)
    services.hide_message(chair, meeting_id=live_meeting.pk, message_id=message.pk)
    message.refresh_from_db()
    for audience in ("chair", "attendee", "public"):
        [frame] = fragments.replay([message], live_meeting, audience, "en")
        assert "Hidden by the chair." in str(frame) and "Rude" not in str(frame)
        assert "Hide</button>" not in str(frame)  # nothing left to hide
    assert AgendaItem.objects.count() == 2


def test_a_later_meeting_approves_earlier_minutes(meeting, chair, community, resident, moderator):
    services.open_meeting(chair, meeting_id=meeting.pk)
    services.adjourn_meeting(chair, meeting_id=meeting.pk)
    later = schedule(chair, community, secretary=moderator)
    with pytest.raises(ValidationError, match="while it is live"):
        services.approve_minutes(chair, meeting_id=meeting.pk, at_meeting_id=later.pk)
    services.open_meeting(chair, meeting_id=later.pk)
    with pytest.raises(PermissionDenied):
        services.approve_minutes(resident, meeting_id=meeting.pk, at_meeting_id=later.pk)
    minutes = services.approve_minutes(chair, meeting_id=meeting.pk, at_meeting_id=later.pk)
    assert (minutes.status, minutes.approved_at_meeting) == ("published", later)


def test_the_chair_reorders_the_agenda(meeting, chair, resident):
    first, second = meeting.agenda_items.all()
    with pytest.raises(PermissionDenied):
        services.move_agenda_item(resident, item_id=second.pk, up=True)
    services.move_agenda_item(chair, item_id=second.pk, up=True)
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Hall renovation", "Parking"]
    services.move_agenda_item(chair, item_id=second.pk, up=True)  # already first: nothing moves
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Hall renovation", "Parking"]
