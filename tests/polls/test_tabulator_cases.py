"""Our instant runoff against the published results of RCTab, Bright Spots' ranked-choice tabulator.

The fixtures in tests/polls/data/tabulator/ were made by convert_rctab.py (same folder; its
docstring says where the files come from, the commit, and how to re-make them) from RCTab's own test
contests: cast vote records of real elections (the Minneapolis mayoral races of 2013 and 2017,
Portland ME's 2015 mayoral race, part of Alaska's 2024 record), Dominion-format test files
(Alaska, Wyoming, one split over several files), a precinct example, and synthetic test sets 1, 2, 5
and 6, each with RCTab's expected round-by-round results. A fixture lists the options, the ballots as [ranking,
count] pairs (RCTab's overvote, skipped-rank and repeated-candidate rules already written into the
rankings, as the converter describes) and the published rounds. Only cases whose rules are ours, or
lead to the same rounds, were converted: single winner, more than half of the continuing ballots, no
"continue until two remain", no first-round threshold, and no tie settled by RCTab's random
tie-break.

Each case is counted with ``instant_runoff(options, ballots, tiebreak=None)`` (the options' listed
order is the tie-break order) and compared with what RCTab published:

- the winner, always;
- every published round is found among ours: the round whose options *with votes* are the same
  set. Rounds cannot be matched by number, because (a) we eliminate every option with no votes
  together in one round, while RCTab drops them one by one or with others, and (b) some RCTab
  cases use batch elimination, removing in one round every lowest candidate whose combined votes
  are fewer than the next one's, where we take one round per elimination. Options with no votes
  change nobody's count, so this is the state both counts are in;
- in the matched round, each of those options' votes, equal; and the exhausted ballots, equal to
  the sum of RCTab's inactive categories (overvotes, skipped rankings, exhausted choices, repeated
  rankings) plus its ballots that ranked nobody;
- the elimination order of options with votes: what RCTab eliminated in a round (options with
  votes only) is exactly what we eliminate between that round's match and the next one's, in
  one or more of our rounds;
- the last published round is our last round, and it elects the same winner.

Options with zero votes are not compared one by one (their names and order of removal differ
by rule); the ballot total and the exhausted count cover them.

One published round is not compared, and the fixture says so ("compare": false, with the reason):
RCTab's first round when undeclared write-ins had votes in it. RCTab eliminates write-ins before
any candidate, so the converted rankings leave them out and our first round is RCTab's second
(every later round is compared as above). Nothing else is skipped.
"""

import json
from pathlib import Path

import pytest

from polls.tally import instant_runoff

DATA = Path(__file__).resolve().parent / "data" / "tabulator"
FIXTURES = sorted(DATA.glob("*.json"))


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _expand(pairs) -> list[list[int]]:
    return [list(ranking) for ranking, count in pairs for _ in range(count)]


def _with_votes(counts: dict) -> dict[int, int]:
    return {int(option): votes for option, votes in counts.items() if votes > 0}


def test_there_are_enough_published_cases():
    assert len(FIXTURES) >= 6
    real = [p for p in FIXTURES if _load(p)["description"].startswith("Real election")]
    assert len(real) >= 2


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_is_consistent(path):
    case = _load(path)
    ids = [o["id"] for o in case["options"]]
    assert len(set(ids)) == len(ids)
    assert case["source"]["repository"] == "https://github.com/BrightSpots/rcv"
    assert len(case["source"]["commit"]) == 40
    total = sum(count for _, count in case["ballots"])
    assert total == case["expected"]["total_ballots"] == case["conversion"]["ballots"]
    for ranking, count in case["ballots"]:
        assert count > 0 and len(set(ranking)) == len(ranking) and set(ranking) <= set(ids)
    for published in case["expected"]["rounds"]:
        write_ins = published.get("write_in_votes", 0)
        assert sum(published["counts"].values()) + published["exhausted"] + write_ins == total
        if not published["compare"]:  # only RCTab's first round, when write-ins had votes in it
            assert published["round"] == 1 and write_ins > 0 and published["eliminated"] == []
            assert case["conversion"]["write_ins_left_out"] > 0


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_instant_runoff_matches_rctab(path):
    case = _load(path)
    options = [o["id"] for o in case["options"]]
    expected = case["expected"]
    result = instant_runoff(options, _expand(case["ballots"]), tiebreak=None)
    ours = result.rounds

    assert result.winners == [expected["winner"]], "winner"
    assert result.ballots == expected["total_ballots"]

    # Match each published round to the first of ours (not before the previous match) whose
    # options with votes are the same set.
    published_rounds = [r for r in expected["rounds"] if r["compare"]]
    assert published_rounds, "nothing to compare"
    matches = []
    start = 0
    for published in published_rounds:
        wanted = _with_votes(published["counts"])
        same = [
            i for i in range(start, len(ours)) if _with_votes(ours[i]["counts"]).keys() == wanted.keys()
        ]
        assert same, (
            f"RCTab round {published['round']}: none of our rounds from {start + 1} on has the "
            f"options with votes {sorted(wanted)}; ours were "
            f"{[sorted(_with_votes(r['counts'])) for r in ours[start:]]}"
        )
        k = same[0]
        where = f"RCTab round {published['round']}, our round {k + 1}"
        assert _with_votes(ours[k]["counts"]) == wanted, f"votes in {where}"
        assert ours[k]["exhausted"] == published["exhausted"], (
            f"exhausted ballots in {where}: RCTab's inactive ballots {published['inactive']}"
        )
        matches.append(k)
        start = k

    # What RCTab eliminated in each round (options with votes) is what we eliminate from that
    # round's match up to the next one's.
    for n, published in enumerate(published_rounds[:-1]):
        theirs = {o for o in published["eliminated"] if published["counts"].get(str(o), 0) > 0}
        ours_between = [
            o
            for r in ours[matches[n] : matches[n + 1]]
            for o in r["eliminated"]
            if r["counts"].get(o, 0) > 0
        ]
        assert len(ours_between) == len(set(ours_between))
        assert set(ours_between) == theirs, f"eliminated in RCTab round {published['round']}"

    # The published final round is our final round, and the winner is elected in it.
    assert matches[-1] == len(ours) - 1, "our count went on past RCTab's last round"
    assert published_rounds[-1]["elected"] == [expected["winner"]]
    assert ours[-1]["eliminated"] == []
