"""Tallies are pure functions: checked with hand-made elections, properties, and an independent count."""

import random

import pyrankvote
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polls.tally import InvalidBallot, adopted, check_ballot, instant_runoff, published, quorum_met, tally

OPTIONS = [11, 12, 13, 14]


def test_a_motion_counts_yes_no_and_abstentions():
    result = tally("yes_no", [], ["yes", "yes", "no", "abstain", "yes"])
    assert result.counts == {"yes": 3, "no": 1, "abstain": 1} and result.winners == ["yes"]
    assert adopted(result, threshold="simple", base="cast", eligible=10)  # 3 of 4 decisive votes
    assert not adopted(result, threshold="simple", base="eligible", eligible=10)  # 3 of 10 eligible
    assert adopted(result, threshold="two_thirds", base="cast", eligible=10)  # 3/4 ≥ 2/3
    tie = tally("yes_no", [], ["yes", "no"])
    assert tie.winners == [] and not adopted(tie, threshold="simple", base="cast", eligible=2)


def test_single_multiple_and_score():
    assert tally("single", OPTIONS, [11, 12, 12]).winners == [12]
    tied = tally("single", OPTIONS, [11, 12], tiebreak=[14, 12, 11, 13])
    assert tied.winners == [12] and tied.tie == {"between": [11, 12], "settled_by": "tiebreak_order"}
    assert tally("single", OPTIONS, [11, 12]).winners == [11]  # without a drawn order: the ballot paper's
    assert tally("single", OPTIONS, []).winners == [] and tally("score", OPTIONS, [dict.fromkeys("11 12 13 14".split(), 0)]).winners == []
    multiple = tally("multiple", OPTIONS, [[11, 12], [12, 13], [12]])
    assert multiple.counts == {11: 1, 12: 3, 13: 1, 14: 0} and multiple.winners == [12]
    score = tally("score", OPTIONS, [{"11": 5, "12": 3, "13": 0, "14": 1}, {"11": 2, "12": 5, "13": 0, "14": 1}])
    assert score.counts == {11: 7, 12: 8, 13: 0, 14: 2} and score.winners == [12]


def test_instant_runoff_transfers_votes_round_by_round():
    ballots = [[11, 12]] * 4 + [[12, 11]] * 3 + [[13, 12]] * 2
    result = instant_runoff([11, 12, 13], ballots)
    assert [r["eliminated"] for r in result.rounds] == [[13], []]
    assert result.rounds[0]["counts"] == {11: 4, 12: 3, 13: 2}
    assert result.rounds[1]["counts"] == {11: 4, 12: 5} and result.winners == [12]


def test_a_tie_for_fewest_goes_by_first_preferences_then_previous_rounds_then_the_drawn_order():
    # 12 and 13 tie for fewest in round 1 (their first preferences): the drawn order settles it.
    ballots = [[11], [11], [12, 11], [13, 12]]
    result = instant_runoff([11, 12, 13], ballots, tiebreak=[13, 11, 12])
    assert result.rounds[0] | {"counts": None} == {"counts": None, "exhausted": 0, "eliminated": [12],
                                                   "tie_break": "tiebreak_order", "tied": [12, 13]}
    assert instant_runoff([11, 12, 13], ballots, tiebreak=[12, 11, 13]).rounds[0]["eliminated"] == [13]
    # Round 3: 11 and 12 tie at 3 with equal first preferences (2 each); round 2 had 11 ahead (3 to 2).
    ballots = [[11, 13, 14], [13, 14, 12], [11, 13], [14, 11, 13], [12], [12]]
    result = instant_runoff([11, 12, 13, 14], ballots, tiebreak=[11, 12, 13, 14])
    assert [(r["eliminated"], r["tie_break"]) for r in result.rounds] == [
        ([14], "tiebreak_order"), ([13], None), ([12], "previous_rounds"), ([], None)]
    assert result.winners == [11] and result.tie == {"between": [11, 12], "settled_by": "previous_rounds"}


def test_a_tie_between_the_last_two_is_settled_and_said():
    result = instant_runoff([11, 12], [[11], [12]], tiebreak=[12, 11])
    assert result.winners == [12] and result.tie == {"between": [11, 12], "settled_by": "tiebreak_order"}
    assert result.rounds[0]["eliminated"] == [11] and result.rounds[1]["counts"] == {12: 1}
    # Equal now, but 11 had fewer first preferences: 11 goes whatever the drawn order.
    result = instant_runoff([11, 12, 13], [[11, 12], [12], [12], [13, 11], [13, 11]], tiebreak=[11, 12, 13])
    assert result.rounds[0]["eliminated"] == [11]


def test_options_without_a_vote_go_out_together():
    result = instant_runoff([11, 12, 13, 14], [[11], [11], [12], [12, 11]], tiebreak=[14, 13, 12, 11])
    assert result.rounds[0]["eliminated"] == [13, 14] and result.rounds[0]["tie_break"] is None


def test_exhausted_ballots_leave_the_count():
    result = instant_runoff([11, 12, 13], [[11], [11], [12], [12], [13]])
    assert result.rounds[0]["eliminated"] == [13] and result.rounds[1]["exhausted"] == 1


@pytest.mark.parametrize("method, choices, min_max", [
    ("yes_no", "maybe", (1, 1)), ("single", 99, (1, 1)), ("single", True, (1, 1)), ("single", [11], (1, 1)),
    ("multiple", [11, 11], (1, 2)), ("multiple", [11, 12, 13], (1, 2)), ("multiple", [], (1, 2)),
    ("ranked", [], (1, 1)), ("ranked", [11, 99], (1, 1)), ("ranked", "11,12", (1, 1)),
    ("score", {"11": 6, "12": 0, "13": 0, "14": 0}, (1, 1)), ("score", {"11": 5}, (1, 1)),
])
def test_malformed_ballots_are_refused(method, choices, min_max):
    with pytest.raises(InvalidBallot):
        check_ballot(method, OPTIONS, choices, min_choices=min_max[0], max_choices=min_max[1])


def test_quorum_by_count_or_share():
    assert quorum_met(turnout=5, eligible=100, kind="count", value=5)
    assert not quorum_met(turnout=4, eligible=100, kind="count", value=5)
    assert quorum_met(turnout=25, eligible=100, kind="share", value=25)
    assert not quorum_met(turnout=24, eligible=100, kind="share", value=25)
    assert quorum_met(turnout=0, eligible=0, kind="none", value=0)


rankings = st.lists(st.permutations(OPTIONS).flatmap(lambda p: st.integers(1, 4).map(lambda n: list(p[:n]))),
                    min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(rankings, st.randoms())
def test_ballot_order_never_changes_a_ranked_result(ballots, rnd):
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    assert instant_runoff(OPTIONS, ballots) == instant_runoff(OPTIONS, shuffled)


@settings(max_examples=200, deadline=None)
@given(rankings)
def test_a_first_preference_majority_always_wins(ballots):
    firsts = [b[0] for b in ballots]
    for option in OPTIONS:
        if firsts.count(option) * 2 > len(ballots):
            assert instant_runoff(OPTIONS, ballots).winners == [option]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["yes", "no", "abstain"]), max_size=60), st.randoms())
def test_ballot_order_never_changes_a_motion(ballots, rnd):
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    assert tally("yes_no", [], ballots) == tally("yes_no", [], shuffled)


def _no_ties_needed(result) -> bool:
    for round_ in result.rounds:
        if round_["eliminated"]:
            values = list(round_["counts"].values())
            if values.count(min(values)) > 1:
                return False
    return True


def test_instant_runoff_agrees_with_an_independent_count_on_random_elections():
    rnd = random.Random(20261123)
    compared = 0
    for _ in range(600):
        count = rnd.randint(3, 6)
        options = list(range(1, count + 1))
        ballots = []
        for _ in range(rnd.randint(5, 60)):
            order = options[:]
            rnd.shuffle(order)
            ballots.append(order[: rnd.randint(1, count)])
        ours = instant_runoff(options, ballots)
        if not ours.winners or not _no_ties_needed(ours):
            continue  # tie rules differ between implementations: compare where none is needed
        people = {o: pyrankvote.Candidate(str(o)) for o in options}
        theirs = pyrankvote.instant_runoff_voting(
            list(people.values()), [pyrankvote.Ballot(ranked_candidates=[people[o] for o in b]) for b in ballots]
        )
        assert [int(c.name) for c in theirs.get_winners()] == ours.winners
        compared += 1
    assert compared > 250


def test_a_ranked_majority_of_the_votes_cast_is_of_the_ballots_continuing_in_the_final_round():
    # Round 1: 1 has 3, 3 has 2, 2 has 1 (eliminated; the ballot is exhausted). Round 2: 3 of 5 continuing.
    result = instant_runoff([1, 2, 3], [[1], [1], [1], [2], [3], [3]])
    assert result.winners == [1] and (result.cast_votes, result.ballots, result.winning_votes) == (5, 6, 3)
    assert adopted(result, threshold="simple", base="cast", eligible=10)  # 3 of 5 continuing
    assert not adopted(result, threshold="simple", base="ballots", eligible=10)  # 3 of 6 ballots
    assert not adopted(result, threshold="two_thirds", base="cast", eligible=10)  # 3/5 < 2/3
    assert result.base_votes("eligible", 10) == 10


def _rules(method, ids, tiebreak, min_max, quorum, majority, eligible):
    return {"method": method, "options": [{"id": i, "text": f"option {i}"} for i in ids], "tiebreak": tiebreak,
            "min_choices": min_max[0], "max_choices": min_max[1], "quorum": quorum, "majority": majority,
            "eligible": eligible, "secret": True}


def _ballot(method, ids, min_max):
    if method == "yes_no":
        return st.sampled_from(["yes", "no", "abstain"])
    if method == "single":
        return st.sampled_from(ids)
    if method == "score":
        return st.fixed_dictionaries({str(i): st.integers(0, 5) for i in ids})
    if method == "multiple":
        return st.lists(st.sampled_from(ids), min_size=min_max[0], max_size=min_max[1], unique=True).map(sorted)
    return st.permutations(ids).flatmap(lambda p: st.integers(1, len(p)).map(lambda n: list(p[:n])))


@st.composite
def polls(draw):
    method = draw(st.sampled_from(["yes_no", "single", "multiple", "ranked", "score"]))
    ids = [] if method == "yes_no" else draw(st.lists(st.integers(1, 10**6), min_size=2, max_size=6, unique=True))
    tiebreak = draw(st.permutations(ids)) if ids else []
    low = draw(st.integers(1, len(ids))) if method == "multiple" else 1
    min_max = (low, draw(st.integers(low, len(ids)))) if method == "multiple" else (1, 1)
    kind = draw(st.sampled_from(["none", "count", "share"]))
    quorum = {"kind": kind, "value": draw(st.integers(0, 100 if kind == "share" else 40))}
    plurality = method in ("multiple", "score")
    majority = {"threshold": "simple" if plurality else draw(st.sampled_from(["simple", "two_thirds"])),
                "base": "cast" if plurality else draw(st.sampled_from(["cast", "ballots", "eligible"]))}
    ballots = draw(st.lists(_ballot(method, ids, min_max), max_size=40))
    eligible = draw(st.integers(len(ballots), len(ballots) + 30))
    return _rules(method, ids, tiebreak, min_max, quorum, majority, eligible), ballots


@settings(max_examples=1500, deadline=None)
@given(polls())
def test_every_method_and_rule_agrees_with_the_standalone_verifier(poll):
    """Two implementations of docs/voting.md — the one that counts and the one anyone runs on the recount
    file — agree on every field of the result, for every method, quorum, threshold and base."""
    from polls import verify

    rules, ballots = poll
    assert published(rules, ballots) == verify.recount({
        "format": verify.FORMAT, "poll": {"id": 1}, "rules": rules, "rules_digest": "", "ballots": ballots,
        "ballot_box_digest": "", "result": {}})
