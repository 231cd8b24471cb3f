"""The double majority of Article 278 against an independent implementation, over random electorates.

The independent one works from the article's words on whole numbers: areas in hundredths of a square metre,
"two thirds or more" as 3 × part ≥ 2 × whole, "three quarters or more" as 4 × part ≥ 3 × whole, "more than half"
as 2 × part > whole; headcount from the raw unit list (one unit one owner; one buyer's units, and the
developer's, as one).
"""

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polls.owners import Party, decide, parties_of

CHOICES = ["yes", "no", "abstain", None]


def article_278(matter: int, units: list[tuple[int, int, tuple]], votes: dict) -> bool:
    """``units``: (unit number, area in 0.01 m², owner ids); ``votes``: {sorted owner tuple: choice}."""
    owners_of: dict[tuple, int] = {}
    for _number, centi, owners in units:
        key = tuple(sorted(owners))  # () is the developer
        owners_of[key] = owners_of.get(key, 0) + centi
    all_area, all_heads = sum(owners_of.values()), len(owners_of)
    voting = {key: centi for key, centi in owners_of.items() if votes.get(key) is not None}
    yes = {key: centi for key, centi in voting.items() if votes[key] == "yes"}
    v_area, v_heads, y_area, y_heads = sum(voting.values()), len(voting), sum(yes.values()), len(yes)
    if all_area == 0 or all_heads == 0 or v_area == 0 or v_heads == 0:
        return False
    took_part = 3 * v_area >= 2 * all_area and 3 * v_heads >= 2 * all_heads
    if matter in (6, 7, 8):
        agreed = 4 * y_area >= 3 * v_area and 4 * y_heads >= 3 * v_heads
    else:
        agreed = 2 * y_area > v_area and 2 * y_heads > v_heads
    return took_part and agreed


def ours(matter: int, units, votes) -> dict:
    grouped = parties_of((n, Decimal(centi) / 100, frozenset(owners)) for n, centi, owners in units)
    return decide(matter, [Party(area, votes.get(tuple(sorted(key)))) for key, area in grouped.items()])


def electorate(rng: random.Random):
    size = rng.choice([1, 2, 3, 4, 6, 8, 12, 30, 80])
    people = max(1, size * rng.choice([1, 2]) // 2)
    same_area = rng.random() < 0.4  # equal flats make exact thirds, quarters and halves common
    units = []
    for number in range(size):
        centi = 9000 if same_area else rng.randint(1, 30000)
        kind = rng.random()
        owners = () if kind < 0.08 else tuple(rng.sample(range(1, people + 1), min(people, 1 if kind < 0.8 else 2)))
        units.append((number, centi, owners))
    keys = {tuple(sorted(owners)) for _n, _c, owners in units}
    bias = rng.random()
    votes = {key: rng.choice(["yes", "yes", "no", "abstain"]) if rng.random() < bias else None for key in keys}
    return rng.randint(1, 9), units, votes


def test_ten_thousand_random_electorates_agree_with_the_article():
    rng = random.Random(278)
    adopted = thresholds_met_exactly = 0
    for _ in range(10_000):
        matter, units, votes = electorate(rng)
        result = ours(matter, units, votes)
        assert result["adopted"] == article_278(matter, units, votes), (matter, units, votes, result)
        adopted += result["adopted"]
        share = result["participation"]["heads"]
        thresholds_met_exactly += share["percent"] == 66.67 or result["approval"]["heads"]["percent"] in (50.0, 75.0)
    assert 1_000 < adopted < 9_000  # both outcomes are common: the electorates test something
    assert thresholds_met_exactly > 100  # and the edges are hit


@settings(max_examples=500, deadline=None)
@given(st.integers(1, 9), st.lists(st.tuples(st.integers(0, 500), st.lists(st.integers(1, 6), max_size=2)),
                                   min_size=1, max_size=12), st.lists(st.sampled_from(CHOICES), min_size=12,
                                                                      max_size=12))
def test_any_electorate_agrees_with_the_article(matter, raw_units, choices):
    units = [(n, centi, tuple(set(owners))) for n, (centi, owners) in enumerate(raw_units)]
    keys = sorted({tuple(sorted(owners)) for _n, _c, owners in units})
    votes = dict(zip(keys, choices))
    assert ours(matter, units, votes)["adopted"] == article_278(matter, units, votes)


def _flats(n: int) -> list:
    return [(i, 10000, (i + 1,)) for i in range(n)]


@pytest.mark.parametrize(("matter", "yes", "no", "adopted"), [
    (7, 3, 1, True),  # exactly three quarters of those taking part: enough for a lift
    (7, 4, 2, False),  # two thirds (all six taking part): not enough
    (4, 2, 2, False),  # exactly half: not more than half
    (4, 3, 1, True),
])
def test_the_edges_of_the_thresholds(matter, yes, no, adopted):
    units = _flats(6)  # four of six take part (exactly two thirds by area and by headcount), or all six
    votes = {(i + 1,): "yes" if i < yes else "no" if i < yes + no else None for i in range(6)}
    result = ours(matter, units, votes)
    assert result["participation_met"] and result["adopted"] is adopted


def test_one_buyer_of_three_flats_is_one_owner_with_their_area():
    units = [(0, 30000, (1,)), (1, 30000, (1,)), (2, 30000, (1,)), (3, 10000, (2,)), (4, 10000, (3,))]
    result = ours(4, units, {(1,): "yes"})
    assert result["participation"]["heads"] == {"part": "1", "whole": "3", "percent": 33.33, "met": False}
    assert result["participation"]["area"] == {"part": "900", "whole": "1100", "percent": 81.82, "met": True}
    assert not result["adopted"]  # most of the area, but one owner of three


def test_an_abstention_takes_part_and_does_not_agree():
    votes = {(1,): "yes", (2,): "abstain", (3,): "no"}
    result = ours(4, _flats(3), votes)
    assert result["participation_met"] and not result["adopted"]  # 1 of 3 agree: not more than half
    assert result["counts"] == {"yes": 1, "no": 1, "abstain": 1}


def test_nobody_taking_part_decides_nothing():
    result = ours(9, _flats(2), {})
    assert not result["participation_met"] and not result["adopted"]
    assert result["approval"]["area"]["percent"] == 0.0
