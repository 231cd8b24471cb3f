"""Owners' decisions under Article 278 of the Civil Code: who takes part, and who agrees, by exclusive floor area
and by headcount (docs/owners.md).

Pure functions, no database: the poll gives the electorate (each voting party's area and choice), this says
whether the decision is taken.

- **Participation**: owners holding at least two thirds of the exclusive floor area *and* at least two thirds of
  the owners by headcount take part (vote yes, no, or abstain).
- **Approval**: for matters 6–8 of the article (raising the maintenance fund; rebuilding or altering buildings
  and their facilities; changing the use of common parts or running a business in them), at least three
  quarters of the participating area *and* three quarters of the participating owners agree; for the other
  matters, more than half of each.
- **Headcount** (the Supreme People's Court's interpretation on building ownership, art. 9): one exclusive part
  (unit) counts as one owner, but one buyer's several units count as one, and the developer's unsold or
  undelivered units count as one together. A *party* here is what counts as one: the units whose owners are
  exactly the same people (or no one yet: the developer), their areas summed. A party casts one choice.

Every comparison is exact (fractions of areas in square metres with their decimals), so a vote at exactly two
thirds or three quarters meets the threshold ("以上" includes the figure) and one at exactly half does not
("过半数" is more than half).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

# The article's matters, by number, and whether each needs the three-quarters approval.
MATTERS = {
    1: "rules_of_procedure",  # 制定和修改业主大会议事规则
    2: "management_statute",  # 制定和修改管理规约
    3: "owners_committee",  # 选举业主委员会或者更换业主委员会成员
    4: "property_manager",  # 选聘和解聘物业服务企业或者其他管理人
    5: "use_maintenance_fund",  # 使用建筑物及其附属设施的维修资金
    6: "raise_maintenance_fund",  # 筹集建筑物及其附属设施的维修资金
    7: "rebuild_or_alter",  # 改建、重建建筑物及其附属设施
    8: "common_parts_use",  # 改变共有部分的用途或者利用共有部分从事经营活动
    9: "other_major_matter",  # 有关共有和共同管理权利的其他重大事项
}
SPECIAL = {6, 7, 8}
PARTICIPATION = Fraction(2, 3)
CHOICES = ("yes", "no", "abstain")


@dataclass(frozen=True)
class Party:
    """What counts as one owner: ``area`` is the sum of its units' exclusive floor area (m²); ``choice`` is
    "yes", "no", "abstain", or None (did not take part)."""

    area: Decimal
    choice: str | None = None


def approval_threshold(matter: int) -> tuple[Fraction, bool]:
    """The share of participants that must agree, and whether reaching it exactly is enough."""
    if matter not in MATTERS:
        raise ValueError(f"Article 278 has no matter {matter!r}")
    return (Fraction(3, 4), True) if matter in SPECIAL else (Fraction(1, 2), False)


def _share(part: Fraction, whole: Fraction) -> dict:
    percent = float(part / whole * 100) if whole else 0.0
    return {"part": _text(part), "whole": _text(whole), "percent": round(percent, 2)}


def _text(value: Fraction) -> str:
    """An area or a headcount as text: whole numbers bare, areas with their two decimals."""
    if value.denominator == 1:
        return str(value.numerator)
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01")))


def _meets(part: Fraction, whole: Fraction, share: Fraction, inclusive: bool) -> bool:
    if whole == 0:
        return False  # nothing to take part in, or nobody took part: nothing is decided
    return part >= share * whole if inclusive else part > share * whole


def decide(matter: int, parties: Iterable[Party]) -> dict:
    """The double majority over ``parties`` (the whole electorate, those who did not vote included)."""
    threshold, inclusive = approval_threshold(matter)
    parties = list(parties)
    for party in parties:
        if party.choice is not None and party.choice not in CHOICES:
            raise ValueError(f"not a choice: {party.choice!r}")
        if Decimal(party.area) < 0:
            raise ValueError("an area is never negative")
    area = lambda ps: sum((Fraction(Decimal(p.area)) for p in ps), Fraction(0))  # noqa: E731
    took_part = [p for p in parties if p.choice is not None]
    agreed = [p for p in took_part if p.choice == "yes"]
    total_area, total_heads = area(parties), Fraction(len(parties))
    part_area, part_heads = area(took_part), Fraction(len(took_part))
    yes_area, yes_heads = area(agreed), Fraction(len(agreed))
    participation = {
        "area": {**_share(part_area, total_area), "met": _meets(part_area, total_area, PARTICIPATION, True)},
        "heads": {**_share(part_heads, total_heads), "met": _meets(part_heads, total_heads, PARTICIPATION, True)},
    }
    approval = {
        "area": {**_share(yes_area, part_area), "met": _meets(yes_area, part_area, threshold, inclusive)},
        "heads": {**_share(yes_heads, part_heads), "met": _meets(yes_heads, part_heads, threshold, inclusive)},
    }
    quorum = participation["area"]["met"] and participation["heads"]["met"]
    return {
        "matter": matter,
        "special": matter in SPECIAL,
        "threshold": {"share": f"{threshold.numerator}/{threshold.denominator}", "inclusive": inclusive},
        "participation": participation,
        "approval": approval,
        "counts": {choice: sum(1 for p in took_part if p.choice == choice) for choice in CHOICES},
        "participation_met": quorum,
        "adopted": quorum and approval["area"]["met"] and approval["heads"]["met"],
    }


def parties_of(units: Iterable[tuple[object, Decimal, frozenset]]) -> dict[frozenset, Decimal]:
    """Group units into parties: ``units`` are (unit id, area, owner ids); units with the same owners (or with
    none: the developer's) are one party, their areas summed. Returns {owner ids: area}."""
    parties: dict[frozenset, Decimal] = {}
    for _unit, area, owners in units:
        key = frozenset(owners)
        parties[key] = parties.get(key, Decimal(0)) + Decimal(area)
    return parties
