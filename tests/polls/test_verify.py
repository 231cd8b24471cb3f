"""The standalone verifier (polls/verify.py): small recount files worked out by hand, digests, and the command."""

import ast
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from polls import verify

ROOT = Path(__file__).resolve().parents[2]
NAMES = {31: "Lift", 32: "Canteen", 33: "Garden 花园"}


def options(*ids):
    return [{"id": i, "text": NAMES.get(i, f"Option {i}")} for i in ids]


def rules(method, ids=(), **changes):
    made = {"method": method, "options": options(*ids), "tiebreak": list(ids), "min_choices": 1,
            "max_choices": max(len(ids), 1), "quorum": {"kind": "none", "value": 0},
            "majority": {"threshold": "simple", "base": "cast"}, "eligible": 10, "secret": True}
    made.update(changes)
    return made


def receipt(n: int) -> str:
    return hashlib.sha256(f"receipt {n}".encode()).hexdigest()


def document(poll_rules, ballots, result=None, *, poll_id=12):
    """A recount file whose digests are right; its result is the recount's unless one is given."""
    receipts = [receipt(n) for n in range(len(ballots))] if poll_rules["secret"] else []
    made = {"format": "yishi-recount/1",
            "poll": {"id": poll_id, "question": "Which project first?", "url": f"https://example.org/polls/{poll_id}/"},
            "rules": poll_rules, "rules_digest": verify.rules_digest(poll_rules), "ballots": ballots,
            "receipts": receipts, "ballot_box_digest": verify.ballot_box_digest(poll_id, ballots, receipts),
            "result": result if result is not None else {}}
    if result is None:
        made["result"] = verify.recount(made)
    return made


def outcome(**fields):
    base = {"ballots": 0, "eligible": 10, "quorum_met": True, "adopted": False, "counts": {}, "winners": [],
            "rounds": [], "base_votes": 0, "winning_votes": 0, "tie": None}
    return base | fields


def one_round(counts, exhausted=0, eliminated=(), tie_break=None, tied=()):
    return {"counts": {str(k): v for k, v in counts.items()}, "exhausted": exhausted,
            "eliminated": list(eliminated), "tie_break": tie_break, "tied": list(tied)}


def assert_counts_to(poll_rules, ballots, expected):
    doc = document(poll_rules, ballots, expected)
    assert verify.recount(doc) == expected
    assert verify.check(doc) == []


# The example of docs/voting.md, with real digests and receipts.
EXAMPLE_RESULT = {
    "ballots": 3, "eligible": 120, "quorum_met": False, "adopted": False,
    "counts": {"31": 1, "33": 2}, "winners": ["33"],
    "rounds": [{"counts": {"31": 1, "32": 1, "33": 1}, "exhausted": 0, "eliminated": [32],
                "tie_break": "tiebreak_order", "tied": [31, 32, 33]},
               {"counts": {"31": 1, "33": 2}, "exhausted": 0, "eliminated": [],
                "tie_break": None, "tied": []}],
    "base_votes": 3, "winning_votes": 2, "tie": None}


def example():
    poll_rules = rules("ranked", (31, 32, 33), tiebreak=[33, 31, 32], max_choices=3,
                       quorum={"kind": "share", "value": 20}, eligible=120)
    return document(poll_rules, [[33, 31], [31], [32, 33, 31]], json.loads(json.dumps(EXAMPLE_RESULT)))


def run(path, *args, cwd=ROOT):
    return subprocess.run([sys.executable, *args, str(path)], cwd=cwd, capture_output=True, text=True, timeout=60)


def write(tmp_path, doc, name="results.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


# Digests


def test_canonical_json_sorts_keys_drops_spaces_and_keeps_unicode():
    assert verify.canonical({"b": 1, "a": ["花", 2]}) == '{"a":["花",2],"b":1}'.encode()


def test_ballot_box_digest_is_sha256_of_sorted_canonical_ballots_and_receipts():
    by_hand = '{"ballots":["[31]","[33,31]"],"poll":12,"receipts":["a","b"]}'
    expected = hashlib.sha256(by_hand.encode()).hexdigest()
    assert verify.ballot_box_digest(12, [[33, 31], [31]], ["b", "a"]) == expected
    assert verify.ballot_box_digest(12, [[31], [33, 31]], ["a", "b"]) == expected  # listing order never counts
    assert verify.ballot_box_digest(13, [[31], [33, 31]], ["a", "b"]) != expected


def test_rules_digest_is_sha256_of_canonical_rules():
    poll_rules = example()["rules"]
    assert verify.rules_digest(poll_rules) == hashlib.sha256(verify.canonical(poll_rules)).hexdigest()


# Yes / no


@pytest.mark.parametrize(("threshold", "base", "base_votes", "adopted"), [
    ("simple", "cast", 3, True),  # 2 of yes+no 3: more than half
    ("simple", "ballots", 4, False),  # 2 of 4 ballots: exactly half is not more than half
    ("two_thirds", "cast", 3, True),  # 2/3: at least two thirds
    ("two_thirds", "ballots", 4, False),
    ("simple", "eligible", 10, False),  # 2 of 10 eligible
])
def test_yes_no_threshold_and_base(threshold, base, base_votes, adopted):
    poll_rules = rules("yes_no", majority={"threshold": threshold, "base": base})
    expected = outcome(ballots=4, adopted=adopted, counts={"yes": 2, "no": 1, "abstain": 1}, winners=["yes"],
                       base_votes=base_votes, winning_votes=2)
    assert_counts_to(poll_rules, ["yes", "abstain", "no", "yes"], expected)


@pytest.mark.parametrize(("quorum", "met"), [
    ({"kind": "count", "value": 4}, True), ({"kind": "count", "value": 5}, False),
    ({"kind": "share", "value": 40}, True),  # 4 of 10 eligible = 40 %
    ({"kind": "share", "value": 41}, False),
])
def test_quorum_counts_every_ballot_abstentions_included(quorum, met):
    expected = outcome(ballots=4, quorum_met=met, adopted=met, counts={"yes": 2, "no": 1, "abstain": 1},
                       winners=["yes"], base_votes=3, winning_votes=2)
    assert_counts_to(rules("yes_no", quorum=quorum), ["yes", "abstain", "no", "yes"], expected)


def test_yes_no_tie_has_no_winner_and_a_no_majority_is_not_adopted():
    assert_counts_to(rules("yes_no"), ["yes", "no", "abstain"],
                     outcome(ballots=3, counts={"yes": 1, "no": 1, "abstain": 1}, base_votes=2, winning_votes=1))
    # winning_votes stays the yes votes: 1 of the 3 cast
    assert_counts_to(rules("yes_no"), ["no", "yes", "no"],
                     outcome(ballots=3, counts={"yes": 1, "no": 2, "abstain": 0}, winners=["no"], base_votes=3,
                             winning_votes=1))


def test_nobody_eligible_is_never_adopted():
    poll_rules = rules("yes_no", eligible=0, majority={"threshold": "simple", "base": "eligible"})
    assert_counts_to(poll_rules, ["yes"], outcome(ballots=1, eligible=0, counts={"yes": 1, "no": 0, "abstain": 0},
                                                  winners=["yes"], base_votes=0, winning_votes=1))


# Single, multiple, score


def test_single_choice_majority_of_all_ballots():
    # 31: 3, 32: 1, 33: 1 -> 31 with 3 of 5 > 1/2; two thirds would need 4
    ballots = [31, 32, 31, 33, 31]
    expected = outcome(ballots=5, adopted=True, counts={"31": 3, "32": 1, "33": 1}, winners=["31"], base_votes=5,
                       winning_votes=3)
    assert_counts_to(rules("single", (31, 32, 33)), ballots, expected)
    two_thirds = rules("single", (31, 32, 33), majority={"threshold": "two_thirds", "base": "cast"})
    assert_counts_to(two_thirds, ballots, expected | {"adopted": False})


def test_single_choice_tie_goes_to_the_earlier_in_the_tiebreak_order():
    # 31: 2, 32: 2, 33: 1; tie-break order 33, 31, 32 -> 31 (earlier than 32); 2 of 5 is no majority
    expected = outcome(ballots=5, counts={"31": 2, "32": 2, "33": 1}, winners=["31"], base_votes=5, winning_votes=2,
                       tie={"between": [31, 32], "settled_by": "tiebreak_order"})
    assert_counts_to(rules("single", (31, 32, 33), tiebreak=[33, 31, 32]), [31, 32, 33, 32, 31], expected)


def test_multiple_choice_has_no_majority_rule():
    # 31: 2, 32: 2, 33: 1; tie-break order 33, 32, 31 -> 32; adopted because the quorum is met
    poll_rules = rules("multiple", (31, 32, 33), tiebreak=[33, 32, 31], max_choices=2)
    expected = outcome(ballots=3, adopted=True, counts={"31": 2, "32": 2, "33": 1}, winners=["32"], base_votes=3,
                       winning_votes=2, tie={"between": [31, 32], "settled_by": "tiebreak_order"})
    assert_counts_to(poll_rules, [[31, 32], [32], [31, 33]], expected)


def test_score_sums_the_scores():
    # 31: 5+1+0 = 6, 32: 0+4+3 = 7, 33: 2+2+5 = 9 -> 33; the quorum of 3 ballots is met, of 4 is not
    ballots = [{"31": 5, "32": 0, "33": 2}, {"31": 1, "32": 4, "33": 2}, {"31": 0, "32": 3, "33": 5}]
    expected = outcome(ballots=3, adopted=True, counts={"31": 6, "32": 7, "33": 9}, winners=["33"], base_votes=3,
                       winning_votes=9)
    assert_counts_to(rules("score", (31, 32, 33), quorum={"kind": "count", "value": 3}), ballots, expected)
    short = rules("score", (31, 32, 33), quorum={"kind": "count", "value": 4})
    assert_counts_to(short, ballots, expected | {"quorum_met": False, "adopted": False})


def test_nothing_for_anyone_means_no_outcome():
    # with no ballots, or only zero scores, no option has anything: no winner (docs/voting.md)
    assert_counts_to(rules("single", (31, 32)), [], outcome(counts={"31": 0, "32": 0}))
    assert_counts_to(rules("score", (31, 32)), [{"31": 0, "32": 0}],
                     outcome(ballots=1, counts={"31": 0, "32": 0}, base_votes=1))


# Ranked choice


def test_the_example_of_the_docs():
    doc = example()
    assert verify.recount(doc) == EXAMPLE_RESULT
    assert verify.check(doc) == []


def test_ranked_options_without_votes_go_out_together_then_the_tiebreak_order():
    # Round 1: 41: 3, 42: 2, 43: 2, 44: 0, 45: 0 -> 44 and 45 have no votes: out together
    # Round 2: 41: 3, 42: 2, 43: 2 -> 42 and 43 tied for fewest; first preferences 2 and 2; no earlier
    #          round since round 1; tie-break order 41..45 -> 43 is later: out
    # Round 3: 43's ballots go to 42: 41: 3, 42: 4 of 7 continuing -> 42 wins, 4/7 > 1/2
    ballots = [[41]] * 3 + [[42, 41]] * 2 + [[43, 42]] * 2
    expected = outcome(ballots=7, adopted=True, counts={"41": 3, "42": 4}, winners=["42"], base_votes=7,
                       winning_votes=4, rounds=[
                           one_round({41: 3, 42: 2, 43: 2, 44: 0, 45: 0}, eliminated=[44, 45]),
                           one_round({41: 3, 42: 2, 43: 2}, eliminated=[43], tie_break="tiebreak_order", tied=[42, 43]),
                           one_round({41: 3, 42: 4})])
    assert_counts_to(rules("ranked", (41, 42, 43, 44, 45)), ballots, expected)


def test_ranked_tie_for_fewest_broken_by_first_preferences():
    # Round 1: 51: 4, 52: 2, 53: 3, 54: 1 of 10 -> 54 fewest: out, its ballot goes to 52
    # Round 2: 51: 4, 52: 3, 53: 3 -> 52 and 53 tied; first preferences 2 against 3 -> 52 out (the
    #          tie-break order, where 53 is later, would have said otherwise)
    # Round 3: 51: 4 + 3 = 7 of 10 -> 51 wins
    ballots = [[51]] * 4 + [[52, 51]] * 2 + [[53]] * 3 + [[54, 52, 51]]
    expected = outcome(ballots=10, adopted=True, counts={"51": 7, "53": 3}, winners=["51"], base_votes=10,
                       winning_votes=7, rounds=[
                           one_round({51: 4, 52: 2, 53: 3, 54: 1}, eliminated=[54]),
                           one_round({51: 4, 52: 3, 53: 3}, eliminated=[52], tie_break="first_preferences",
                                     tied=[52, 53]),
                           one_round({51: 7, 53: 3})])
    assert_counts_to(rules("ranked", (51, 52, 53, 54), tiebreak=[54, 52, 51, 53]), ballots, expected)


def test_ranked_tie_broken_by_the_previous_round():
    # Round 1: 61: 6, 62: 3, 63: 3, 64: 1, 65: 2 of 15 -> 64 out, to 62
    # Round 2: 61: 6, 62: 4, 63: 3, 65: 2 -> 65 out: one ballot to 63, one exhausted
    # Round 3: 61: 6, 62: 4, 63: 4, exhausted 1 -> 62 and 63 tied; first preferences 3 and 3;
    #          round 2: 62: 4, 63: 3 -> 63 out (the tie-break order would have put out 62)
    # Round 4: 61: 6, 62: 4 + 3 = 7, exhausted 2: 7 of 13 continuing wins; of all 15 ballots it is not a majority
    ballots = [[61]] * 6 + [[62]] * 3 + [[63, 62]] * 3 + [[64, 62], [65, 63], [65]]
    rounds = [one_round({61: 6, 62: 3, 63: 3, 64: 1, 65: 2}, eliminated=[64]),
              one_round({61: 6, 62: 4, 63: 3, 65: 2}, eliminated=[65]),
              one_round({61: 6, 62: 4, 63: 4}, 1, eliminated=[63], tie_break="previous_rounds", tied=[62, 63]),
              one_round({61: 6, 62: 7}, 2)]
    expected = outcome(ballots=15, adopted=True, counts={"61": 6, "62": 7}, winners=["62"], base_votes=13,
                       winning_votes=7, rounds=rounds)
    assert_counts_to(rules("ranked", (61, 62, 63, 64, 65), tiebreak=[63, 61, 64, 65, 62]), ballots, expected)
    of_ballots = rules("ranked", (61, 62, 63, 64, 65), tiebreak=[63, 61, 64, 65, 62],
                       majority={"threshold": "simple", "base": "ballots"})
    assert_counts_to(of_ballots, ballots, expected | {"adopted": False, "base_votes": 15})


def test_ranked_previous_rounds_go_back_round_by_round():
    # Round 1: 71: 6, 72: 3, 73: 3, 74: 1, 75: 2, 76: 3 of 18 -> 74 out, to 72
    # Round 2: 71: 6, 72: 4, 73: 3, 75: 2, 76: 3 -> 75 out: one to 73, one exhausted
    # Round 3: 71: 6, 72: 4, 73: 4, 76: 3 -> 76 out: one to 72, one to 73, one exhausted
    # Round 4: 71: 6, 72: 5, 73: 5 -> tied; first preferences 3, 3; round 3: 4, 4; round 2: 4, 3 -> 73 out
    # Round 5: 73's first three go to 72: 71: 6, 72: 8 of 14 continuing -> 72 wins
    ballots = ([[71]] * 6 + [[73, 72]] * 3 + [[72]] * 3
               + [[74, 72], [75, 73], [75], [76, 72], [76, 73], [76]])
    expected = outcome(ballots=18, adopted=True, counts={"71": 6, "72": 8}, winners=["72"], base_votes=14,
                       winning_votes=8, rounds=[
                           one_round({71: 6, 72: 3, 73: 3, 74: 1, 75: 2, 76: 3}, eliminated=[74]),
                           one_round({71: 6, 72: 4, 73: 3, 75: 2, 76: 3}, eliminated=[75]),
                           one_round({71: 6, 72: 4, 73: 4, 76: 3}, 1, eliminated=[76]),
                           one_round({71: 6, 72: 5, 73: 5}, 2, eliminated=[73], tie_break="previous_rounds",
                                     tied=[72, 73]),
                           one_round({71: 6, 72: 8}, 4)])
    assert_counts_to(rules("ranked", (71, 72, 73, 74, 75, 76), tiebreak=[73, 72, 71, 74, 75, 76]), ballots, expected)


def test_ranked_last_two_tied_settled_by_the_tiebreak_order():
    # Round 1: 81: 1, 82: 1 -> tied, nothing earlier to look at; tie-break order 82, 81 -> 81 out
    # Round 2: 82 has the one continuing ballot (81's is exhausted) -> wins, 1 of 1
    expected = outcome(ballots=2, adopted=True, counts={"82": 1}, winners=["82"], base_votes=1, winning_votes=1,
                       tie={"between": [81, 82], "settled_by": "tiebreak_order"}, rounds=[
                           one_round({81: 1, 82: 1}, eliminated=[81], tie_break="tiebreak_order", tied=[81, 82]),
                           one_round({82: 1}, 1)])
    assert_counts_to(rules("ranked", (81, 82), tiebreak=[82, 81]), [[81], [82]], expected)


def test_ranked_last_two_tied_settled_by_first_preferences():
    # Round 1: 91: 3, 92: 4, 93: 1 of 8 -> 93 out, to 91
    # Round 2: 91: 4, 92: 4 -> the last two tied; first preferences 3 against 4 -> 91 out
    # Round 3: 92: 4, exhausted 4 -> wins; of all 8 ballots 4 is only half: not adopted
    expected = outcome(ballots=8, counts={"92": 4}, winners=["92"], base_votes=8, winning_votes=4,
                       tie={"between": [91, 92], "settled_by": "first_preferences"}, rounds=[
                           one_round({91: 3, 92: 4, 93: 1}, eliminated=[93]),
                           one_round({91: 4, 92: 4}, eliminated=[91], tie_break="first_preferences", tied=[91, 92]),
                           one_round({92: 4}, 4)])
    poll_rules = rules("ranked", (91, 92, 93), majority={"threshold": "simple", "base": "ballots"})
    assert_counts_to(poll_rules, [[91]] * 3 + [[92]] * 4 + [[93, 91]], expected)


def test_ranked_without_ballots_has_no_winner():
    expected = outcome(counts={"31": 0, "32": 0}, rounds=[one_round({31: 0, 32: 0})])
    assert_counts_to(rules("ranked", (31, 32)), [], expected)


# Open polls and invalid ballots


def test_open_poll_counts_the_choices_of_named_ballots():
    ballots = [{"voter": "Ana", "choices": 31}, {"voter": "Bo", "choices": 32}, {"voter": "Cy", "choices": 31}]
    expected = outcome(ballots=3, adopted=True, counts={"31": 2, "32": 1}, winners=["31"], base_votes=3,
                       winning_votes=2)
    assert_counts_to(rules("single", (31, 32), secret=False), ballots, expected)
    assert document(rules("single", (31, 32), secret=False), ballots)["ballot_box_digest"] == \
        verify.ballot_box_digest(12, [31, 32, 31], [])


@pytest.mark.parametrize(("poll_rules", "bad"), [
    (rules("ranked", (31, 32)), [31, 31]),
    (rules("ranked", (31, 32)), [31, 99]),
    (rules("ranked", (31, 32)), []),
    (rules("multiple", (31, 32, 33), max_choices=2), [31, 32, 33]),
    (rules("multiple", (31, 32, 33), max_choices=2), [32, 31]),
    (rules("single", (31, 32)), True),
    (rules("score", (31, 32)), {"31": 6, "32": 0}),
    (rules("score", (31, 32)), {"31": 1}),
    (rules("yes_no"), "maybe"),
    (rules("single", (31, 32), secret=False), 31),
])
def test_an_invalid_ballot_is_named_by_its_index(poll_rules, bad):
    good = {"ranked": [31], "multiple": [31], "single": 31, "score": {"31": 1, "32": 2}, "yes_no": "yes"}
    first = good[poll_rules["method"]]
    if not poll_rules["secret"]:
        first = {"voter": "Ana", "choices": first}
    doc = document(poll_rules, [first], None)
    doc["ballots"].append(bad)
    lines = verify.check(doc)
    assert lines[0].startswith("differs at ballot_box_digest")
    assert lines[1].startswith("invalid ballot at ballots[1]: ")
    with pytest.raises(verify.InvalidBallot, match=r"ballots\[1\]"):
        verify.recount(doc)


def test_each_difference_in_the_result_is_named():
    doc = example()
    doc["result"]["rounds"][0]["eliminated"] = [31]
    doc["result"]["base_votes"] = 120
    del doc["result"]["tie"]
    assert verify.check(doc) == [
        "differs at result.rounds[0].eliminated: file says [31], recount gives [32]",
        "differs at result.base_votes: file says 120, recount gives 3",
        "differs at result.tie: file says nothing, recount gives null",
    ]
    doc = example()
    doc["result"]["rounds"].pop()
    doc["result"]["adopted"] = 0  # false, not the number 0
    assert verify.check(doc) == ["differs at result.adopted: file says 0, recount gives false",
                                 "differs at result.rounds: file says 1 rounds, recount gives 2"]


# The command


def test_a_file_that_matches(tmp_path):
    done = run(write(tmp_path, example()), "-m", "polls.verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "matches: 3 ballots, ranked, winner 33 (Garden 花园), adopted: no\n"


def test_a_changed_ballot_changes_the_ballot_box_digest_and_the_result(tmp_path):
    doc = example()
    doc["ballots"][2] = [32, 31, 33]  # round 2 now gives 31 two votes: 31 wins
    done = run(write(tmp_path, doc), "-m", "polls.verify")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].startswith("differs at ballot_box_digest: file says ")
    assert 'differs at result.winners: file says ["33"], recount gives ["31"]' in lines
    assert all(line.startswith("differs at ") for line in lines)


def test_a_forged_tiebreak_order_shows_in_the_rules_digest(tmp_path):
    doc = example()
    doc["rules"]["tiebreak"] = [31, 33, 32]  # 32 is still the later one in round 1: same result
    done = run(write(tmp_path, doc), "-m", "polls.verify")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f'differs at rules_digest: file says "{example()["rules_digest"]}", '
        f'recount gives "{verify.rules_digest(doc["rules"])}"']


def test_a_wrong_published_winner(tmp_path):
    doc = example()
    doc["result"]["winners"] = ["31"]
    done = run(write(tmp_path, doc), "-m", "polls.verify")
    assert (done.returncode, done.stdout) == (
        1, 'differs at result.winners: file says ["31"], recount gives ["33"]\n')


@pytest.mark.parametrize(("text", "says"), [
    ("{not json", "is not a JSON file"),
    (json.dumps({"format": "yishi-recount/2"}), 'is not a complete yishi-recount/1 file: "format"'),
    (json.dumps({k: v for k, v in example().items() if k != "ballots"}), 'the field "ballots" is missing'),
])
def test_an_unreadable_file_exits_2_with_one_line(tmp_path, text, says):
    path = tmp_path / "results.json"
    path.write_text(text, encoding="utf-8")
    done = run(path, "-m", "polls.verify")
    assert done.returncode == 2
    assert says in done.stdout and done.stdout.count("\n") == 1


def test_the_script_runs_alone_on_the_standard_library(tmp_path):
    source = ROOT / "polls" / "verify.py"
    imported = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}

    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(source, alone / "verify.py")
    write(alone, example())
    done = subprocess.run([sys.executable, "-I", "verify.py", "results.json"], cwd=alone, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("matches: 3 ballots, ranked, winner 33")
