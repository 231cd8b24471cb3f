"""The rules and the outcome of a poll in plain sentences, in the reader's language (docs/voting.md)."""

from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from polls.models import Poll

Method = Poll.Method


def _threshold(poll: Poll) -> str:
    return _("more than half") if poll.threshold == Poll.Threshold.SIMPLE else _("at least two thirds")


def _base(poll: Poll) -> str:
    """What the majority is a share of, for this method."""
    if poll.threshold_base == Poll.Base.ELIGIBLE:
        return _("of everyone eligible")
    if poll.threshold_base == Poll.Base.BALLOTS:
        return _("of all ballots")
    if poll.method == Method.RANKED:
        return _("of the ballots still counting in the final round")
    if poll.method == Method.YES_NO:
        return _("of the yes and no votes")
    return _("of the votes cast")


def _short_base(poll: Poll) -> str:
    """The same base, in the few words a result line can hold."""
    if poll.threshold_base == Poll.Base.ELIGIBLE:
        return _("of everyone eligible")
    if poll.threshold_base == Poll.Base.BALLOTS:
        return _("of all ballots")
    if poll.method == Method.RANKED:
        return _("of continuing ballots")
    if poll.method == Method.YES_NO:
        return _("of the yes and no votes")
    return _("of the votes cast")


def rules_sentences(poll: Poll) -> list[str]:
    """How this poll is decided, said before anyone votes: the majority, its base, and how abstentions count."""
    values = {"threshold": _threshold(poll), "base": _base(poll)}
    if poll.method in (Method.MULTIPLE, Method.SCORE):
        said = [_("The option with the most votes is the outcome; no majority is needed.") if poll.method == Method.MULTIPLE
                else _("The option with the highest total score is the outcome; no majority is needed.")]
    elif poll.method == Method.YES_NO:
        said = [_("The motion is carried if yes has %(threshold)s %(base)s.") % values]
        said.append({
            Poll.Base.CAST: _("Abstentions count towards the quorum, not towards the majority."),
            Poll.Base.BALLOTS: _("Abstentions count towards the quorum and in the majority's base: an abstention "
                                 "weighs like a no."),
            Poll.Base.ELIGIBLE: _("Abstentions count towards the quorum; an abstention, like not voting at all, "
                                  "weighs like a no."),
        }[poll.threshold_base])
    elif poll.method == Method.RANKED:
        said = [_("Ballots are counted in rounds (instant runoff): the option with the fewest votes is eliminated "
                  "and its ballots go to their next choice. The winner needs %(threshold)s %(base)s.") % values]
        if poll.threshold_base == Poll.Base.CAST:
            said.append(_("A ballot whose ranked options are all eliminated no longer counts; it still counts "
                          "towards the quorum."))
    else:
        said = [_("The option with the most votes wins if it has %(threshold)s %(base)s.") % values]
    return said


def percent(share: Fraction) -> str:
    return f"{float(share) * 100:.1f}"


SETTLED_BY = {
    "first_preferences": lambda: _("the fewest first preferences"),
    "previous_rounds": lambda: _("the fewest votes in the rounds before"),
    "tiebreak_order": lambda: _("the tie-break order drawn when the vote opened"),
}


def settled_by(rule: str | None) -> str:
    return SETTLED_BY[rule]() if rule in SETTLED_BY else ""


def verdict(poll: Poll, result: dict, names: dict) -> list[str]:
    """The outcome of a closed poll in sentences: who won, with what share of which base against what was
    required, the quorum, and a tie if one had to be settled. ``names`` maps option ids (text) to their names."""
    labels = {"yes": _("Yes"), "no": _("No")}
    winners = [labels.get(w) or names.get(w, w) for w in result.get("winners", [])]
    said = []
    if "base_votes" not in result:  # a result counted before the bases were published
        return said
    tie = result.get("tie")
    if tie:
        tied = [names.get(str(o), str(o)) for o in tie["between"]]
        said.append(_("%(options)s were tied; the tie was settled by %(rule)s.")
                    % {"options": _(" and ").join(tied), "rule": settled_by(tie["settled_by"])})
    if not result.get("quorum_met", True):
        said.append(_("The quorum was not met (%(ballots)s ballots), so nothing is adopted.")
                    % {"ballots": result["ballots"]})
    if not winners:
        if result.get("ballots"):
            said.append(_("No option came out ahead.") if poll.method != Method.YES_NO
                        else _("Yes and no are equal: the motion is not carried."))
        return said
    if poll.method in (Method.MULTIPLE, Method.SCORE):
        said.append(_("The outcome: %(winner)s.") % {"winner": winners[0]})
        return said
    base, votes = result["base_votes"], result["winning_votes"]
    share = Fraction(votes, base) if base else Fraction(0)
    values = {"winner": winners[0], "percent": percent(share), "votes": votes, "total": base,
              "base": _short_base(poll), "threshold": _threshold(poll)}
    clears = base > 0 and (share > Fraction(1, 2) if poll.threshold == Poll.Threshold.SIMPLE
                           else share >= Fraction(2, 3))
    if poll.method == Method.YES_NO:
        if result["winners"] == ["no"]:
            said.append(_("No has more votes than yes: the motion is not carried."))
        elif clears:
            said.append(_("Yes has %(percent)s %% %(base)s (%(votes)s of %(total)s); %(threshold)s was "
                          "required.") % values)
        else:
            said.append(_("Yes is ahead with %(percent)s %% %(base)s (%(votes)s of %(total)s), but a majority of "
                          "%(threshold)s was required.") % values)
    elif clears:
        said.append(_("%(winner)s has %(percent)s %% %(base)s (%(votes)s of %(total)s); %(threshold)s was "
                      "required.") % values)
    else:
        said.append(_("%(winner)s is ahead with %(percent)s %% %(base)s (%(votes)s of %(total)s); a majority of "
                      "%(threshold)s was required.") % values)
    return said


def tiebreak_names(poll: Poll, options: list) -> list[str]:
    names = {o.pk: o.text for o in options}
    return [names.get(pk, pgettext("an option no longer on the ballot", "(removed)")) for pk in poll.tiebreak or []]
