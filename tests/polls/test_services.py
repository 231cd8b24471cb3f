"""Voting through the services: eligibility, once only, secret and unlinkable, counted at close."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections
from django.utils import timezone

from community.models import Membership
from ledger.models import Decision
from polls import services
from polls.models import OpenVote, Poll
from tests.conftest import make_user
from tests.polls.conftest import box_contents, make_poll


@pytest.mark.parametrize("who", ["resident", "grid_worker", "org_rep", "outsider_chair"])
def test_only_the_committee_sets_polls_up(request, community, who):
    with pytest.raises(PermissionDenied):
        make_poll(request.getfixturevalue(who), community)
    assert not Poll.objects.exists()


@pytest.mark.parametrize("extra, message", [
    ({"method": "single", "options": ["Only one"]}, "two options"),
    ({"method": "single", "options": ["A", "A"]}, "only once"),
    ({"method": "multiple", "options": ["A", "B"], "min_choices": 2, "max_choices": 3}, "at most"),
    ({"audience": "grid"}, "grid"),
    ({"audience": "attendees"}, "meeting"),
    ({"quorum_kind": "share", "quorum_value": 150}, "percentage"),
    ({"method": "plurality"}, "method"),
])
def test_bad_set_ups_are_refused(chair, community, extra, message):
    with pytest.raises(ValidationError, match=message):
        services.create_poll(chair, community_id=community.pk, title="Q", **{"options": [], **extra})
    assert not Poll.objects.exists()


def test_a_secret_vote_is_counted_once_and_cannot_be_linked(chair, community, voters, grid_worker):
    poll = make_poll(chair, community)
    code = services.cast_ballot(voters[0], poll_id=poll.pk, choices="yes")
    assert code and services.receipt_hash(poll.pk, code) in box_contents(poll)["receipts"]
    with pytest.raises(ValidationError, match="already voted"):
        services.cast_ballot(voters[0], poll_id=poll.pk, choices="no")
    with pytest.raises(ValidationError, match="not among"):
        services.cast_ballot(grid_worker, poll_id=poll.pk, choices="yes")  # not a resident
    with pytest.raises(ValidationError, match="does not fit"):
        services.cast_ballot(voters[1], poll_id=poll.pk, choices="perhaps")
    assert box_contents(poll) | {"receipts": 1} == {"voted": [voters[0].pk], "ballots": ['"yes"'], "receipts": 1}
    assert services.has_voted(voters[0], poll) and not services.has_voted(voters[1], poll)


def test_no_table_of_the_database_holds_a_secret_ballot():
    """The schema itself: the only model with choices is the open vote; secret ballots are in the box."""
    from django.apps import apps

    holding = [m for m in apps.get_models() if any(f.name == "choices" for f in m._meta.get_fields())]
    assert holding == [OpenVote]


def test_open_ballots_change_until_close_and_list_who_voted_what(chair, community, voters):
    poll = make_poll(chair, community, secret=False, method="single", options=["Green", "Blue"], live_results=True)
    green, blue = poll.options.all()
    assert services.cast_ballot(voters[0], poll_id=poll.pk, choices=green.pk) is None
    services.cast_ballot(voters[0], poll_id=poll.pk, choices=blue.pk)
    assert OpenVote.objects.get().choices == blue.pk
    with pytest.raises(ValidationError):
        services.cast_ballot(voters[1], poll_id=poll.pk, choices=999)  # an option of another poll
    services.close_poll(chair, poll_id=poll.pk)
    with pytest.raises(ValidationError, match="not open"):
        services.cast_ballot(voters[1], poll_id=poll.pk, choices=green.pk)


def test_closing_counts_checks_quorum_and_records_an_adopted_decision(chair, community, voters):
    poll = make_poll(chair, community, quorum_kind="count", quorum_value=3)
    for voter, choice in zip(voters, ["yes", "yes", "no", "yes"]):
        services.cast_ballot(voter, poll_id=poll.pk, choices=choice)
    poll = services.close_poll(chair, poll_id=poll.pk)
    assert poll.result["counts"] == {"yes": 3, "no": 1, "abstain": 0}
    assert (poll.result["ballots"], poll.result["eligible"], poll.result["quorum_met"], poll.result["adopted"]) == (
        4, 5, True, True)
    assert poll.decision and Decision.objects.get().source == "poll"
    with pytest.raises(ValidationError):
        services.close_poll(chair, poll_id=poll.pk)


def test_a_poll_without_quorum_adopts_nothing(chair, community, voters):
    poll = make_poll(chair, community, quorum_kind="share", quorum_value=80)
    services.cast_ballot(voters[0], poll_id=poll.pk, choices="yes")
    poll = services.close_poll(chair, poll_id=poll.pk)
    assert not poll.result["quorum_met"] and not poll.result["adopted"] and poll.decision is None


def test_ranked_choice_is_counted_with_its_rounds(chair, community, voters):
    poll = make_poll(chair, community, method="ranked", options=["Canteen", "Homework room", "Lift"])
    canteen, homework, lift = [o.pk for o in poll.options.all()]
    for voter, ranking in zip(voters, [[canteen, lift], [homework, lift], [lift, homework], [canteen], [homework]]):
        services.cast_ballot(voter, poll_id=poll.pk, choices=ranking)
    result = services.close_poll(chair, poll_id=poll.pk).result
    assert result["rounds"][0]["eliminated"] == [lift] and result["winners"] == [str(homework)]


def test_fifty_voters_clicking_several_times_at_once_make_fifty_ballots(chair, community, grid, transactional_db):
    people = []
    for i in range(50):
        user = make_user(f"crowd{i}@test.org", f"Crowd {i}")
        Membership.objects.create(user=user, community=community, role="resident", grid=grid)
        people.append(user)
    poll = make_poll(chair, community)
    calls = [p for p in people for _ in range(3)]
    barrier = threading.Barrier(len(calls))
    errors, failures = [], []

    def vote(person):
        barrier.wait()
        try:
            services.cast_ballot(person, poll_id=poll.pk, choices="yes")
        except ValidationError:
            errors.append(person.pk)
        except Exception as error:  # noqa: BLE001 - e.g. a database refusing the 151st connection
            failures.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=vote, args=(p,)) for p in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not failures, f"{len(calls)} connections at once (PostgreSQL: max_connections?): {failures[:1]}"
    contents = box_contents(poll)
    assert (len(contents["ballots"]), len(contents["voted"]), len(contents["receipts"])) == (50, 50, 50)
    assert sorted(contents["voted"]) == sorted(p.pk for p in people) and len(errors) == 100


def test_the_chair_puts_a_question_to_the_checked_in_attendees(client, chair, community, resident, voters):
    from meetings import services as meeting_services

    meeting = meeting_services.schedule_meeting(
        chair, community_id=community.pk, kind="joint", title="Council",
        starts_at=timezone.now(), chair_id=chair.pk,
        secretary_id=chair.pk, place="Hall", audience="community")
    meeting_services.open_meeting(chair, meeting_id=meeting.pk)
    meeting_services.check_in(resident, meeting_id=meeting.pk)
    client.force_login(chair)
    client.post(f"/polls/for-meeting/{meeting.pk}", {"title": "Adopt the budget?", "method": "yes_no"})
    poll = Poll.objects.get()
    assert (poll.audience, poll.status, poll.meeting) == ("attendees", "open", meeting)
    assert meeting.events.filter(kind="poll.status").exists()  # the room hears it
    with pytest.raises(ValidationError, match="not among"):
        services.cast_ballot(voters[1], poll_id=poll.pk, choices="yes")  # not checked in
    services.cast_ballot(resident, poll_id=poll.pk, choices="yes")
    services.close_poll(chair, poll_id=poll.pk)
    assert "Adopt the budget?" in client.get(meeting.get_absolute_url()).content.decode()
    meeting_services.adjourn_meeting(chair, meeting_id=meeting.pk)
    assert "Adopt the budget?" in meeting_services.minutes_record(meeting)  # the votes, in the minutes


def test_the_voting_phase_puts_shortlisted_proposals_on_a_ranked_poll(client, chair, community, resident, voters):
    from consult import services as consult_services
    from tests.consult.conftest import new_consultation

    consultation = new_consultation(chair, community, threshold=1)
    first = consult_services.submit_proposal(resident, consultation_id=consultation.pk, title="Canteen", body="B")
    second = consult_services.submit_proposal(voters[1], consultation_id=consultation.pk, title="Lift", body="B")
    consult_services.support_proposal(voters[2], proposal_id=first.pk)
    consult_services.support_proposal(voters[3], proposal_id=second.pk)
    client.force_login(chair)
    response = client.post(f"/polls/for-consultation/{consultation.pk}")
    assert response.status_code == 302 and not Poll.objects.exists()  # not in the voting phase yet
    consult_services.advance_phase(chair, consultation_id=consultation.pk, to="deliberation")
    consult_services.advance_phase(chair, consultation_id=consultation.pk, to="voting")
    client.post(f"/polls/for-consultation/{consultation.pk}")
    poll = Poll.objects.get()
    assert (poll.method, poll.status, poll.secret, poll.consultation) == ("ranked", "draft", True, consultation)
    assert list(poll.options.values_list("proposal_id", flat=True)) == [first.pk, second.pk]
    assert "Canteen" in client.get(consultation.get_absolute_url()).content.decode()


def test_a_proposal_answered_off_the_ballot_never_reaches_the_vote_whatever_its_supports(chair, community, resident,
                                                                                        voters):
    from consult import services as consult_services
    from tests.consult.conftest import new_consultation

    consultation = new_consultation(chair, community, threshold=1)
    titles = ["Canteen", "Lift", "Bench", "Lights", "Garden"]
    proposals = [consult_services.submit_proposal(voters[n], consultation_id=consultation.pk, title=t, body="B")
                 for n, t in enumerate(titles)]
    for n, proposal in enumerate(proposals):  # every one of them shortlisted by its supports
        consult_services.support_proposal(voters[1 if n == 0 else 0], proposal_id=proposal.pk)
    consult_services.advance_phase(chair, consultation_id=consultation.pk, to="deliberation")
    canteen, lift, bench, lights, garden = proposals
    consult_services.answer_proposal(chair, proposal_id=lift.pk, answer="not_feasible", reason="No shaft")
    consult_services.answer_proposal(chair, proposal_id=bench.pk, answer="already_planned", reason="In May")
    consult_services.answer_proposal(chair, proposal_id=lights.pk, answer="merged", reason="Same",
                                     merged_into_id=garden.pk)
    consult_services.answer_proposal(chair, proposal_id=garden.pk, answer="accepted", reason="Yes")
    consult_services.advance_phase(chair, consultation_id=consultation.pk, to="voting")
    poll = services.put_proposals_to_vote(chair, consultation_id=consultation.pk)
    assert [o.text for o in poll.options.all()] == ["Canteen", "Garden"]
    lift.refresh_from_db()
    assert not lift.is_shortlisted


def test_the_chair_corrects_a_draft_ballot_before_it_opens_and_not_after(chair, community, resident, voters):
    poll = services.create_poll(chair, community_id=community.pk, title="Which first?", method="multiple",
                                options=["Canteen", "Lift", "Bench"], min_choices=1, max_choices=3)
    canteen, lift, bench = poll.options.all()
    with pytest.raises(PermissionDenied):
        services.edit_draft(resident, poll_id=poll.pk, title="Mine", body="", options={}, remove=set(),
                            new_options=[])
    for remove, added, message in (({lift.pk, bench.pk}, [], "two options"), (set(), ["Lift"], "only once")):
        with pytest.raises(ValidationError, match=message):
            services.edit_draft(chair, poll_id=poll.pk, title="Which first?", body="", options={},
                                remove=remove, new_options=added)
    assert [o.text for o in poll.options.all()] == ["Canteen", "Lift", "Bench"]  # a refusal changes nothing
    services.edit_draft(chair, poll_id=poll.pk, title="Which comes first?", body="Two years of budget.",
                        options={canteen.pk: "A canteen for the elderly", lift.pk: "Lift"}, remove={bench.pk},
                        new_options=["Garden", ""])
    poll.refresh_from_db()
    assert [o.text for o in poll.options.all()] == ["A canteen for the elderly", "Lift", "Garden"]
    assert (poll.title, poll.max_choices) == ("Which comes first?", 3)
    services.open_poll(chair, poll_id=poll.pk)
    with pytest.raises(ValidationError, match="Only a draft"):
        services.edit_draft(chair, poll_id=poll.pk, title="Changed", body="", options={}, remove=set(),
                            new_options=[])


def test_everyone_sees_the_options_of_an_open_poll_and_the_chair_edits_a_draft_in_the_page(client, chair, community,
                                                                                          voters):
    poll = services.create_poll(chair, community_id=community.pk, title="Which first?", method="single",
                                options=["Canteen", "Lift"])
    client.force_login(chair)
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "On the ballot (draft)" in page and "Edit the question and options" in page
    canteen, lift = poll.options.all()
    response = client.post(f"/polls/{poll.pk}/edit", {
        "title": "Which first?", "body": "", f"option_{canteen.pk}": "Canteen", f"option_{lift.pk}": "",
        "new_options": "Garden"})
    assert response.status_code == 200 and "This field is required." in response.content.decode()  # input kept
    assert "Garden" in response.content.decode()
    response = client.post(f"/polls/{poll.pk}/edit", {
        "title": "Which first?", "body": "", f"option_{canteen.pk}": "Canteen", f"option_{lift.pk}": "Lift",
        f"remove_{lift.pk}": "on", "new_options": "Garden"})
    assert response.status_code == 302
    services.open_poll(chair, poll_id=poll.pk)
    client.logout()
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "On the ballot" in page and "Garden" in page and "Canteen" in page and "Lift" not in page
    assert client.get(f"/polls/{poll.pk}/edit").status_code == 302  # to sign in


def test_the_voter_roll_is_fixed_when_the_poll_opens(chair, community, grid, voters):
    poll = make_poll(chair, community, quorum_kind="share", quorum_value=50)
    late = make_user("late@test.org", "Late")
    Membership.objects.create(user=late, community=community, role="resident", grid=grid)
    with pytest.raises(ValidationError, match="not among"):
        services.cast_ballot(late, poll_id=poll.pk, choices="yes")
    services.cast_ballot(voters[0], poll_id=poll.pk, choices="yes")
    Membership.objects.filter(user=voters[1]).delete()  # someone moves away: the roll still counts them
    poll = services.close_poll(chair, poll_id=poll.pk)
    assert poll.result["eligible"] == 5 and poll.result["ballots"] == 1 and not poll.result["quorum_met"]


def test_a_tie_between_the_last_two_is_settled_by_the_order_drawn_at_opening(chair, community, voters):
    poll = make_poll(chair, community, method="ranked", options=["Canteen", "Lift"], threshold="two_thirds",
                     threshold_base="ballots")
    canteen, lift = [o.pk for o in poll.options.all()]
    assert sorted(poll.tiebreak) == [canteen, lift] and len(poll.rules_digest) == 64
    services.cast_ballot(voters[0], poll_id=poll.pk, choices=[canteen])
    services.cast_ballot(voters[1], poll_id=poll.pk, choices=[lift])
    poll = services.close_poll(chair, poll_id=poll.pk)
    first = poll.tiebreak[0]
    assert poll.result["winners"] == [str(first)]
    assert poll.result["tie"] == {"between": sorted([canteen, lift]), "settled_by": "tiebreak_order"}
    # 1 of 2 ballots: short of two thirds of all ballots, so the settled winner is not adopted.
    assert (poll.result["winning_votes"], poll.result["base_votes"]) == (1, 2)
    assert not poll.result["adopted"] and poll.decision is None


def test_the_tie_break_order_is_drawn_at_random(chair, community):
    orders = set()
    for n in range(12):
        poll = make_poll(chair, community, method="single", options=[f"A{n}", f"B{n}", f"C{n}", f"D{n}"])
        ids = [o.pk for o in poll.options.all()]
        assert sorted(poll.tiebreak) == ids
        orders.add(tuple(ids.index(pk) for pk in poll.tiebreak))
    assert len(orders) > 3  # 24 possible orders; twelve draws that all agree would be a 1 in 10^15 event


def test_no_majority_rule_is_offered_where_none_applies(chair, community):
    with pytest.raises(ValidationError, match="top option is the outcome"):
        services.create_poll(chair, community_id=community.pk, title="Q", method="multiple",
                             options=["A", "B"], max_choices=2, threshold="two_thirds")


def test_a_meetings_chair_runs_polls_only_while_the_meeting_is_live(chair, community, resident):
    from meetings import services as meeting_services

    meeting = meeting_services.schedule_meeting(
        chair, community_id=community.pk, kind="joint", title="Council", starts_at=timezone.now(),
        chair_id=chair.pk, secretary_id=chair.pk, place="Hall", audience="community")
    Membership.objects.filter(user=chair).delete()  # the chair leaves the committee
    Membership.objects.create(user=chair, community=community, role="resident", grid=resident.memberships.first().grid)
    from community import permissions

    permissions.forget(chair)
    with pytest.raises(PermissionDenied):  # chair but no longer committee, and not live yet
        services.create_poll(chair, community_id=community.pk, title="Q", options=[], meeting_id=meeting.pk,
                             audience="attendees")
