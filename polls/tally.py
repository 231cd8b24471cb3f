"""Counting votes: pure functions of the options and the ballots, nothing else.

A ballot's ``choices`` depend on the method:

- ``yes_no``: ``"yes"``, ``"no"`` or ``"abstain"``
- ``single``: one option id
- ``multiple``: a list of distinct option ids (between the poll's minimum and maximum)
- ``ranked``: a list of distinct option ids, most preferred first (need not rank every option)
- ``score``: a mapping of option id (as text) to a score from 0 to 5, for every option

The rules, the tie-break order and the majority's bases are written out for everyone in
docs/voting.md; ``polls/verify.py`` is a second, standalone implementation of the same rules that
anyone can run on a poll's recount file.
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
    winners: list = field(default_factory=list)  # option ids (or "yes"/"no") that won; empty when none
    rounds: list = field(default_factory=list)  # ranked: see instant_runoff
    cast_votes: int = 0  # "of the votes cast": yes + no; every ballot; ranked: ballots continuing at the end
    winning_votes: int = 0  # the winner's votes in that base (yes votes for a motion)
    tie: dict | None = None  # {"between": [...], "settled_by": ...} when the outcome needed the tie rule

    def base_votes(self, base: str, eligible: int) -> int:
        """The majority's denominator: "cast", "ballots" (every ballot, abstentions and exhausted ones
        included) or "eligible" (the voter roll)."""
        if base == "eligible":
            return eligible
        return self.ballots if base == "ballots" else self.cast_votes

    def share(self, base: str = "cast", eligible: int = 0) -> Fraction:
        denominator = self.base_votes(base, eligible)
        return Fraction(self.winning_votes, denominator) if denominator > 0 else Fraction(0)


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


def tally(method: str, options: list[int], ballots: list, tiebreak: list[int] | None = None) -> Result:
    """Count ``ballots`` (already checked) for ``options`` (ids in ballot-paper order). ``tiebreak`` is the
    order drawn at opening (earlier wins a tie); without one, the ballot paper's order."""
    order = list(tiebreak) if tiebreak else list(options)
    if method == "yes_no":
        counts = Counter({"yes": 0, "no": 0, "abstain": 0})
        counts.update(ballots)
        winners = ["yes"] if counts["yes"] > counts["no"] else ["no"] if counts["no"] > counts["yes"] else []
        return Result(method, len(ballots), dict(counts), winners, cast_votes=counts["yes"] + counts["no"],
                      winning_votes=counts["yes"])
    counts = {o: 0 for o in options}
    if method == "single":
        for choice in ballots:
            counts[choice] += 1
    elif method == "multiple":
        for choice in ballots:
            for option in choice:
                counts[option] += 1
    elif method == "score":
        for choice in ballots:
            for key, value in choice.items():
                counts[int(key)] += value
    elif method == "ranked":
        return instant_runoff(options, ballots, tiebreak=order)
    else:
        raise ValueError(f"unknown method {method!r}")
    return _plurality(method, counts, len(ballots), order)


def _plurality(method: str, counts: dict, ballots: int, order: list[int]) -> Result:
    """The option with the most is the outcome; a tie for the most goes to the one earlier in the tie-break order."""
    top = max(counts.values(), default=0)
    leaders = [o for o, n in counts.items() if n == top]
    tie = None
    if top <= 0:
        winners = []
    elif len(leaders) == 1:
        winners = leaders
    else:
        winners = [min(leaders, key=order.index)]
        tie = {"between": sorted(leaders), "settled_by": "tiebreak_order"}
    return Result(method, ballots, counts, winners, cast_votes=ballots, winning_votes=top if winners else 0, tie=tie)


def instant_runoff(options: list[int], ballots: list[list[int]], tiebreak: list[int] | None = None) -> Result:
    """Instant runoff as docs/voting.md writes it, returning every round:
    ``{"counts": {option: votes, for those still in}, "exhausted": n, "eliminated": [ids], "tie_break": None |
    "first_preferences" | "previous_rounds" | "tiebreak_order", "tied": [ids tied for fewest, when broken]}``.

    Identical rankings are counted together, so a round costs one pass over the distinct rankings."""
    order = list(tiebreak) if tiebreak else list(options)
    groups = Counter(tuple(b) for b in ballots)
    total = len(ballots)
    remaining = list(options)
    rounds: list[dict] = []
    winners: list[int] = []
    tie = None
    while True:
        counts = {o: 0 for o in remaining}
        exhausted = 0
        for ranking, weight in groups.items():
            top = next((o for o in ranking if o in counts), None)
            if top is None:
                exhausted += weight
            else:
                counts[top] += weight
        continuing = total - exhausted
        this = {"counts": counts, "exhausted": exhausted, "eliminated": [], "tie_break": None, "tied": []}
        rounds.append(this)
        if continuing == 0:
            break
        leader = max(remaining, key=lambda o: counts[o])
        if counts[leader] * 2 > continuing:
            winners = [leader]
            break
        zero = [o for o in remaining if counts[o] == 0]
        if zero:  # no votes at all in this round: out together (who wins never depends on it)
            this["eliminated"] = sorted(zero)
        else:
            lowest = min(counts.values())
            tied = [o for o in remaining if counts[o] == lowest]
            if len(tied) == 1:
                this["eliminated"] = tied
            else:
                loser, settled_by = _break_tie(tied, rounds, order)
                this.update(eliminated=[loser], tie_break=settled_by, tied=sorted(tied))
                if len(remaining) == 2:
                    tie = {"between": sorted(tied), "settled_by": settled_by}
        remaining = [o for o in remaining if o not in this["eliminated"]]
    last = rounds[-1]
    return Result("ranked", total, last["counts"], winners, rounds, cast_votes=total - last["exhausted"],
                  winning_votes=last["counts"][winners[0]] if winners else 0, tie=tie)


def _break_tie(tied: list[int], rounds: list[dict], order: list[int]) -> tuple[int, str]:
    """Of options tied for fewest: fewest first preferences, then fewest in the previous round going back,
    then the one later in the tie-break order. Returns the one eliminated and what settled it."""
    first = rounds[0]["counts"]
    fewest = min(first.get(o, 0) for o in tied)
    candidates = [o for o in tied if first.get(o, 0) == fewest]
    if len(candidates) == 1:
        return candidates[0], "first_preferences"
    for past in reversed(rounds[:-1]):
        fewest = min(past["counts"].get(o, 0) for o in candidates)
        candidates = [o for o in candidates if past["counts"].get(o, 0) == fewest]
        if len(candidates) == 1:
            return candidates[0], "previous_rounds"
    return max(candidates, key=order.index), "tiebreak_order"


def quorum_met(*, turnout: int, eligible: int, kind: str, value: int) -> bool:
    """``kind``: "none", "count" (at least ``value`` voters) or "share" (at least ``value`` % of the eligible)."""
    if kind == "count":
        return turnout >= value
    if kind == "share":
        return eligible > 0 and turnout * 100 >= value * eligible
    return True


def adopted(result: Result, *, threshold: str, base: str, eligible: int) -> bool:
    """Whether the winner clears the threshold — "simple" (more than half) or "two_thirds" (at least two thirds) —
    of its base: "cast" (yes + no for a motion; for ranked choice the ballots still counting in the final round),
    "ballots" (every ballot) or "eligible" (the roll)."""
    if not result.winners or result.winners == ["no"]:
        return False
    if result.method in ("multiple", "score"):
        return True  # no majority rule applies to approval or score counts: the top option is the outcome
    if result.base_votes(base, eligible) <= 0:
        return False
    share = result.share(base, eligible)
    return share > Fraction(1, 2) if threshold == "simple" else share >= Fraction(2, 3)


def published(rules: dict, ballots: list) -> dict:
    """The result as stored, shown and written in the recount file, from the poll's ``rules`` (the recount file's
    shape: method, options, tiebreak, quorum, majority, eligible) and its ballots' choices. ``polls/verify.py``
    recomputes exactly this from the file alone."""
    options = [o["id"] for o in rules["options"]]
    result = tally(rules["method"], options, ballots, tiebreak=rules["tiebreak"])
    eligible = rules["eligible"] or 0
    quorum, majority = rules["quorum"], rules["majority"]
    met = quorum_met(turnout=len(ballots), eligible=eligible, kind=quorum["kind"], value=quorum.get("value", 0))
    return {
        "ballots": len(ballots),
        "eligible": rules["eligible"],
        "quorum_met": met,
        "adopted": met and adopted(result, threshold=majority["threshold"], base=majority["base"], eligible=eligible),
        "counts": {str(k): v for k, v in result.counts.items()},
        "winners": [str(w) for w in result.winners],
        "rounds": [{**r, "counts": {str(k): v for k, v in r["counts"].items()}} for r in result.rounds],
        "base_votes": result.base_votes(majority["base"], eligible),
        "winning_votes": result.winning_votes,
        "tie": result.tie,
    }
