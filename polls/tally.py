"""Counting votes: pure functions of the options and the ballots, nothing else.

A ballot's ``choices`` depend on the method:

- ``yes_no``: ``"yes"``, ``"no"`` or ``"abstain"``
- ``single``: one option id
- ``multiple``: a list of distinct option ids (between the poll's minimum and maximum)
- ``ranked``: a list of distinct option ids, most preferred first (need not rank every option)
- ``score``: a mapping of option id (as text) to a score from 0 to 5, for every option

Ranked choice is counted by instant runoff. Each round counts every ballot for its highest-ranked
option still in the race; a ballot whose options are all eliminated is *exhausted*. An option with
more than half of the ballots still counting wins. Otherwise the option with the fewest votes is
eliminated. **Tie rule**: among options tied for fewest, eliminate the one with the fewest
first-preference votes; if still tied, the one with the fewest votes in the previous round, going
back round by round; if still tied, the one listed last on the ballot paper — except between the last
two options: tied there, the result is a tie and nobody wins. The rule depends only
on the ballots' contents and the published order of options, so anyone recounting gets the same
result, and the order in which ballots were cast never matters.
"""

from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

YES_NO = ("yes", "no", "abstain")
SCORE_RANGE = range(0, 6)


@dataclass
class Result:
    """What a count produced: per-option totals, the winner(s), and for ranked choice the rounds."""

    method: str
    ballots: int
    counts: dict = field(default_factory=dict)  # option id (or yes/no/abstain) -> number (votes, or score total)
    winners: list = field(default_factory=list)  # option ids (or "yes"/"no") that won; empty when tied or none
    rounds: list = field(default_factory=list)  # ranked: [{"counts": {...}, "exhausted": n, "eliminated": id}]
    decisive_votes: int = 0  # the votes that decide a threshold: yes + no, or the ballots counting at the end
    winning_votes: int = 0  # the winner's votes in that base (yes votes for a motion)

    def share(self) -> Fraction:
        return Fraction(self.winning_votes, self.decisive_votes) if self.decisive_votes else Fraction(0)


class InvalidBallot(ValueError):
    """A ballot that does not fit the poll: refused before anything is stored."""


def check_ballot(method: str, options: list[int], choices, *, min_choices: int = 1, max_choices: int = 1):
    """Return the ballot in its canonical form, or raise InvalidBallot with a plain reason."""
    valid = set(options)
    if method == "yes_no":
        if choices not in YES_NO:
            raise InvalidBallot("choose yes, no or abstain")
        return choices
    if method == "single":
        if not isinstance(choices, int) or isinstance(choices, bool) or choices not in valid:
            raise InvalidBallot("choose one of this poll's options")
        return choices
    if method in ("multiple", "ranked"):
        if not isinstance(choices, list) or not all(isinstance(c, int) and not isinstance(c, bool) for c in choices):
            raise InvalidBallot("choose options of this poll")
        if len(set(choices)) != len(choices):
            raise InvalidBallot("each option at most once")
        if not set(choices) <= valid:
            raise InvalidBallot("choose options of this poll")
        if method == "multiple":
            if not min_choices <= len(choices) <= max_choices:
                raise InvalidBallot(f"choose between {min_choices} and {max_choices} options")
            return sorted(choices)
        if not choices:
            raise InvalidBallot("rank at least one option")
        return list(choices)
    if method == "score":
        if not isinstance(choices, dict) or {str(o) for o in options} != set(choices):
            raise InvalidBallot("give every option a score")
        clean = {}
        for key, value in choices.items():
            if not isinstance(value, int) or isinstance(value, bool) or value not in SCORE_RANGE:
                raise InvalidBallot("scores are whole numbers from 0 to 5")
            clean[key] = value
        return clean
    raise InvalidBallot("unknown voting method")


def tally(method: str, options: list[int], ballots: list) -> Result:
    """Count ``ballots`` (already checked) for ``options`` (ids in ballot-paper order)."""
    if method == "yes_no":
        counts = Counter({"yes": 0, "no": 0, "abstain": 0})
        counts.update(ballots)
        decisive = counts["yes"] + counts["no"]
        winners = ["yes"] if counts["yes"] > counts["no"] else ["no"] if counts["no"] > counts["yes"] else []
        return Result(method, len(ballots), dict(counts), winners, decisive_votes=decisive,
                      winning_votes=counts["yes"])
    if method == "single":
        counts = {o: 0 for o in options}
        for choice in ballots:
            counts[choice] += 1
        return _plurality(method, counts, len(ballots), decisive=len(ballots))
    if method == "multiple":
        counts = {o: 0 for o in options}
        for choice in ballots:
            for option in choice:
                counts[option] += 1
        return _plurality(method, counts, len(ballots), decisive=len(ballots))
    if method == "score":
        counts = {o: 0 for o in options}
        for choice in ballots:
            for key, value in choice.items():
                counts[int(key)] += value
        result = _plurality(method, counts, len(ballots), decisive=5 * len(ballots))
        return result
    if method == "ranked":
        return instant_runoff(options, ballots)
    raise ValueError(f"unknown method {method!r}")


def _plurality(method, counts: dict, ballots: int, *, decisive: int) -> Result:
    top = max(counts.values(), default=0)
    leaders = [o for o, n in counts.items() if n == top]
    winners = leaders if len(leaders) == 1 and top > 0 else []
    return Result(method, ballots, counts, winners, decisive_votes=decisive, winning_votes=top if winners else 0)


def instant_runoff(options: list[int], ballots: list[list[int]]) -> Result:
    """Instant runoff with the documented tie rule; returns every round."""
    remaining = list(options)
    first = Counter(b[0] for b in ballots if b)
    rounds: list[dict] = []
    while remaining:
        counts = {o: 0 for o in remaining}
        exhausted = 0
        for ballot in ballots:
            top = next((o for o in ballot if o in counts), None)
            if top is None:
                exhausted += 1
            else:
                counts[top] += 1
        active = len(ballots) - exhausted
        leader = max(remaining, key=lambda o: counts[o])
        if active and counts[leader] * 2 > active:
            rounds.append({"counts": counts, "exhausted": exhausted, "eliminated": None})
            # A majority "of the votes cast" counts every ballot, exhausted ones too.
            return Result("ranked", len(ballots), counts, [leader], rounds, decisive_votes=len(ballots),
                          winning_votes=counts[leader])
        if len(remaining) == 1 or active == 0:
            rounds.append({"counts": counts, "exhausted": exhausted, "eliminated": None})
            break
        if len(remaining) == 2 and counts[remaining[0]] == counts[remaining[1]]:
            rounds.append({"counts": counts, "exhausted": exhausted, "eliminated": None})
            break  # the last two are tied: a tie, not a winner by the order of the ballot paper
        lowest = min(counts.values())
        tied = [o for o in remaining if counts[o] == lowest]
        loser = _break_tie(tied, first, rounds, options)
        rounds.append({"counts": counts, "exhausted": exhausted, "eliminated": loser})
        remaining.remove(loser)
    last = rounds[-1]["counts"] if rounds else {}
    return Result("ranked", len(ballots), last, [], rounds, decisive_votes=len(ballots) - (
        rounds[-1]["exhausted"] if rounds else 0))


def _break_tie(tied: list[int], first: Counter, rounds: list[dict], options: list[int]) -> int:
    candidates = list(tied)
    fewest = min(first[o] for o in candidates)
    candidates = [o for o in candidates if first[o] == fewest]
    for past in reversed(rounds):
        if len(candidates) == 1:
            break
        fewest = min(past["counts"].get(o, 0) for o in candidates)
        candidates = [o for o in candidates if past["counts"].get(o, 0) == fewest]
    return max(candidates, key=options.index)  # still tied: the one listed last


def quorum_met(*, turnout: int, eligible: int, kind: str, value: int) -> bool:
    """``kind``: "none", "count" (at least ``value`` voters) or "share" (at least ``value`` % of the eligible)."""
    if kind == "count":
        return turnout >= value
    if kind == "share":
        return eligible > 0 and turnout * 100 >= value * eligible
    return True


def adopted(result: Result, *, threshold: str, base: str, eligible: int) -> bool:
    """Whether the winner clears the threshold: "simple" (more than half) or "two_thirds" (at least 2/3),
    of the votes cast (yes + no for a motion; ballots still counting for ranked choice) or of the eligible."""
    if not result.winners or result.winners == ["no"]:
        return False
    if result.method in ("multiple", "score"):
        return True  # no majority rule applies to approval or score counts: the top option is the outcome
    denominator = eligible if base == "eligible" else result.decisive_votes
    if denominator <= 0:
        return False
    share = Fraction(result.winning_votes, denominator)
    return share > Fraction(1, 2) if threshold == "simple" else share >= Fraction(2, 3)
