"""Check a Yishi poll's recount file (results.json) using nothing but Python's standard library.

    python verify.py results.json          (or, inside the project: python -m polls.verify results.json)

It checks every ballot against the poll's rules, counts the ballots again exactly as docs/voting.md
describes (yes/no, single, multiple, score, ranked choice by instant runoff), recomputes the rules
digest and the ballot box digest, and compares all of it with what the file publishes.

- everything agrees: prints "matches: ..." and exits 0;
- something differs: prints one line per difference, "differs at <path>: file says X, recount gives Y"
  (or "invalid ballot at ballots[i]: ..."), and exits 1;
- the file is not JSON, or not a complete "yishi-recount/1" file: prints one line and exits 2.

Other code can call recount(document), check(document), canonical(value), rules_digest(rules) and
ballot_box_digest(poll_id, ballots, receipts).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from fractions import Fraction

FORMAT = "yishi-recount/1"
METHODS = ("yes_no", "single", "multiple", "ranked", "score")
MISSING = object()
TYPE_NAMES = {dict: "an object", list: "a list", str: "text", bool: "true or false"}


class FormatError(ValueError):
    """The document is not a complete yishi-recount/1 file."""


class InvalidBallot(ValueError):
    """A ballot that the poll's rules do not allow."""


def canonical(value) -> bytes:
    """Canonical JSON: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _sha256(value) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


def rules_digest(rules) -> str:
    return _sha256(rules)


def choices_of(ballot):
    """A secret poll lists the choices alone; an open one lists {"voter": ..., "choices": ...}."""
    if isinstance(ballot, dict) and "voter" in ballot and "choices" in ballot:
        return ballot["choices"]
    return ballot


def ballot_box_digest(poll_id, ballots, receipts) -> str:
    """Independent of the order ballots and receipts are listed in; open ballots count by their choices."""
    texts = sorted(canonical(choices_of(b)).decode("utf-8") for b in ballots)
    return _sha256({"poll": poll_id, "ballots": texts, "receipts": sorted(receipts)})


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _need(condition, message: str) -> None:
    if not condition:
        raise FormatError(message)


def _rules(document) -> dict:
    """The document's rules, after checking that the file has everything a recount needs."""
    _need(isinstance(document, dict), "the file does not hold a JSON object")
    _need(document.get("format") == FORMAT, f'"format" is not "{FORMAT}"')
    fields = {"poll": dict, "rules": dict, "rules_digest": str, "ballots": list, "ballot_box_digest": str,
              "result": dict, "rules.method": str, "rules.options": list, "rules.tiebreak": list,
              "rules.quorum": dict, "rules.majority": dict, "rules.eligible": (int, type(None)), "rules.secret": bool}
    for path, kind in fields.items():
        where, key = (document["rules"], path[6:]) if path.startswith("rules.") else (document, path)
        _need(key in where, f'the field "{path}" is missing')
        _need(isinstance(where[key], kind), f'the field "{path}" does not hold {TYPE_NAMES.get(kind, "a number")}')
    rules, receipts = document["rules"], document.get("receipts", [])
    _need(_is_id(document["poll"].get("id")), '"poll" has no "id"')
    _need(not isinstance(rules["eligible"], bool), '"rules.eligible" is not a number')
    _need(isinstance(receipts, list) and all(isinstance(r, str) for r in receipts), '"receipts" is not a list of text')
    _need(rules["method"] in METHODS, f"unknown method {rules['method']!r}")
    _need(all(isinstance(o, dict) and _is_id(o.get("id")) for o in rules["options"]),
          'each of "rules.options" must be {"id": <number>, "text": ...}')
    ids = [o["id"] for o in rules["options"]]
    _need(len(set(ids)) == len(ids), "an option id appears twice in rules.options")
    if rules["method"] != "yes_no":
        _need(all(_is_id(t) for t in rules["tiebreak"]) and sorted(rules["tiebreak"]) == sorted(ids),
              "rules.tiebreak must list every option once")
    if rules["method"] == "multiple":
        _need(_is_id(rules.get("min_choices")) and _is_id(rules.get("max_choices")),
              "rules.min_choices and rules.max_choices are needed for multiple choice")
    quorum, majority = rules["quorum"], rules["majority"]
    _need(quorum.get("kind") in ("none", "count", "share") and _is_id(quorum.get("value", 0)),
          '"rules.quorum" must be {"kind": none|count|share, "value": n}')
    _need(majority.get("threshold") in ("simple", "two_thirds")
          and majority.get("base") in ("cast", "ballots", "eligible"),
          '"rules.majority" must be {"threshold": simple|two_thirds, "base": cast|ballots|eligible}')
    return rules


def ballot_problem(rules: dict, choices) -> str | None:
    """Why these choices are not a valid ballot under the rules, or None when they are."""
    method, ids = rules["method"], [o["id"] for o in rules["options"]]
    if method == "yes_no":
        return None if choices in ("yes", "no", "abstain") else 'not "yes", "no" or "abstain"'
    if method == "single":
        return None if _is_id(choices) and choices in ids else "not one of the poll's option ids"
    if method == "score":
        if not isinstance(choices, dict) or set(choices) != {str(i) for i in ids}:
            return "does not score every option, and only the options"
        if not all(_is_id(v) and 0 <= v <= 5 for v in choices.values()):
            return "scores must be whole numbers from 0 to 5"
        return None
    if not isinstance(choices, list) or not all(_is_id(c) and c in ids for c in choices):
        return "not a list of the poll's option ids"
    if len(set(choices)) != len(choices):
        return "names an option more than once"
    if method == "ranked":
        return None if choices else "ranks no option"
    if not rules["min_choices"] <= len(choices) <= rules["max_choices"]:
        return f"chooses {len(choices)} options, not between {rules['min_choices']} and {rules['max_choices']}"
    return None if choices == sorted(choices) else "the option ids are not in ascending order"


def _ballots(document: dict, rules: dict) -> tuple[list, list[str]]:
    """The ballots' choices, and a message for each ballot the rules do not allow."""
    all_choices, problems = [], []
    for index, ballot in enumerate(document["ballots"]):
        if rules["secret"]:
            choices, problem = ballot, ballot_problem(rules, ballot)
        elif isinstance(ballot, dict) and "voter" in ballot and "choices" in ballot:
            choices, problem = ballot["choices"], ballot_problem(rules, ballot["choices"])
        else:
            choices, problem = ballot, 'an open poll lists each ballot as {"voter": ..., "choices": ...}'
        all_choices.append(choices)
        if problem:
            problems.append(f"invalid ballot at ballots[{index}]: {json.dumps(ballot, ensure_ascii=False)} "
                            f"({problem})")
    return all_choices, problems


def _break_tie(tied: list, history: list[dict], order: list) -> tuple:
    """Fewest first preferences, then fewest in the previous round going back, then later in the tie-break
    order. Returns the option eliminated and the rule that settled it."""
    steps = [("first_preferences", history[0])] + [("previous_rounds", c) for c in reversed(history[1:-1])]
    candidates = tied
    for rule, counts in steps:
        fewest = min(counts[o] for o in candidates)
        candidates = [o for o in candidates if counts[o] == fewest]
        if len(candidates) == 1:
            return candidates[0], rule
    return max(candidates, key=order.index), "tiebreak_order"


def _instant_runoff(ids: list, ballots: list, order: list) -> tuple:
    """Returns (winner or None, rounds, tie, history of per-round counts)."""
    groups = Counter(tuple(b) for b in ballots)
    remaining, rounds, history, winner, tie = list(ids), [], [], None, None
    while True:
        counts, exhausted = {o: 0 for o in remaining}, 0
        for ranking, weight in groups.items():
            top = next((o for o in ranking if o in counts), None)
            if top is None:
                exhausted += weight
            else:
                counts[top] += weight
        history.append(counts)
        this = {"counts": {str(o): n for o, n in counts.items()}, "exhausted": exhausted,
                "eliminated": [], "tie_break": None, "tied": []}
        rounds.append(this)
        continuing = len(ballots) - exhausted
        if continuing == 0:
            break
        leader = max(remaining, key=counts.get)
        if 2 * counts[leader] > continuing:
            winner = leader
            break
        out = [o for o in remaining if counts[o] == 0]  # no votes at all: out together
        if not out:
            fewest = min(counts.values())
            out = [o for o in remaining if counts[o] == fewest]
            if len(out) > 1:
                loser, rule = _break_tie(out, history, order)
                this.update(tie_break=rule, tied=sorted(out))
                if len(remaining) == 2:
                    tie = {"between": sorted(out), "settled_by": rule}
                out = [loser]
        this["eliminated"] = sorted(out)
        remaining = [o for o in remaining if o not in out]
    return winner, rounds, tie, history


def recount(document: dict) -> dict:
    """The result recomputed from the file's rules and ballots, in the shape of its "result" field."""
    rules = _rules(document)
    ballots, problems = _ballots(document, rules)
    if problems:
        raise InvalidBallot(problems[0])
    method, ids, order = rules["method"], [o["id"] for o in rules["options"]], rules["tiebreak"]
    rounds, tie, count = [], None, len(ballots)
    if method == "yes_no":
        counts = {"yes": 0, "no": 0, "abstain": 0}
        for choice in ballots:
            counts[choice] += 1
        yes, no = counts["yes"], counts["no"]
        winners = ["yes"] if yes > no else ["no"] if no > yes else []
        cast, winning = yes + no, yes
    elif method == "ranked":
        winner, rounds, tie, history = _instant_runoff(ids, ballots, order)
        counts = rounds[-1]["counts"]
        winners = [str(winner)] if winner is not None else []
        cast, winning = count - rounds[-1]["exhausted"], history[-1][winner] if winner is not None else 0
    else:
        totals = {o: 0 for o in ids}
        for choice in ballots:
            if method == "single":
                totals[choice] += 1
            elif method == "multiple":
                for option in choice:
                    totals[option] += 1
            else:
                for key, score in choice.items():
                    totals[int(key)] += score
        top = max(totals.values(), default=0)
        leaders = [o for o in ids if totals[o] == top] if top > 0 else []
        winners = [str(min(leaders, key=order.index))] if leaders else []
        if len(leaders) > 1:
            tie = {"between": sorted(leaders), "settled_by": "tiebreak_order"}
        counts, cast, winning = {str(o): n for o, n in totals.items()}, count, top if leaders else 0
    eligible, kind, value = rules["eligible"], rules["quorum"]["kind"], rules["quorum"].get("value", 0)
    quorum_met = {"none": True, "count": count >= value,  # share: at least value % of the eligible
                  "share": bool(eligible) and count * 100 >= value * eligible}[kind]
    majority = rules["majority"]
    base = {"cast": cast, "ballots": count, "eligible": eligible or 0}[majority["base"]]
    if not winners or winners == ["no"]:
        clears = False
    elif method in ("multiple", "score"):
        clears = True  # no majority rule: the top option is the outcome
    else:
        share = Fraction(winning, base) if base > 0 else None
        clears = share is not None and (share > Fraction(1, 2) if majority["threshold"] == "simple"
                                        else share >= Fraction(2, 3))
    return {"ballots": count, "eligible": eligible, "quorum_met": quorum_met, "adopted": quorum_met and clears,
            "counts": counts, "winners": winners, "rounds": rounds, "base_votes": base,
            "winning_votes": winning, "tie": tie}


def _differ(path: str, given, ours) -> list[str]:
    if given is not MISSING and canonical(given) == canonical(ours):
        return []
    said = "nothing" if given is MISSING else json.dumps(given, ensure_ascii=False)
    return [f"differs at {path}: file says {said}, recount gives {json.dumps(ours, ensure_ascii=False)}"]


def check(document: dict) -> list[str]:
    """Every difference between the file and an independent recount of it; empty when it matches.
    Raises FormatError when the document is not a complete recount file."""
    rules = _rules(document)
    lines = _differ("rules_digest", document["rules_digest"], rules_digest(rules))
    receipts = document.get("receipts", [])
    lines += _differ("ballot_box_digest", document["ballot_box_digest"],
                     ballot_box_digest(document["poll"]["id"], document["ballots"], receipts))
    problems = _ballots(document, rules)[1]
    if problems:
        return lines + problems
    given, ours = document["result"], recount(document)
    for key, value in ours.items():
        theirs = given.get(key, MISSING)
        if key != "rounds" or not isinstance(theirs, list):
            lines += _differ(f"result.{key}", theirs, value)
            continue
        if len(theirs) != len(value):
            lines.append(f"differs at result.rounds: file says {len(theirs)} rounds, recount gives {len(value)}")
        for i, (their_round, our_round) in enumerate(zip(theirs, value)):
            for field, number in our_round.items():
                found = their_round.get(field, MISSING) if isinstance(their_round, dict) else MISSING
                lines += _differ(f"result.rounds[{i}].{field}", found, number)
    return lines


def summary(document: dict, result: dict) -> str:
    names = {str(o["id"]): o.get("text", "") for o in document["rules"]["options"]}
    winner = ", ".join(f"winner {w} ({names[w]})" if w in names else f"winner {w}" for w in result["winners"])
    return (f"matches: {result['ballots']} ballots, {document['rules']['method']}, {winner or 'no winner'}, "
            f"adopted: {'yes' if result['adopted'] else 'no'}")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python verify.py results.json")
        return 2
    try:
        with open(args[0], encoding="utf-8") as file:
            document = json.load(file)
        lines = check(document)
    except OSError as error:
        print(f"cannot read {args[0]}: {error.strerror}")
        return 2
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        print(f"{args[0]} is not a JSON file: {error}")
        return 2
    except FormatError as error:
        print(f"{args[0]} is not a complete {FORMAT} file: {error}")
        return 2
    print("\n".join(lines) if lines else summary(document, recount(document)))
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
