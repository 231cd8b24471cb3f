"""Convert test contests of RCTab (the ranked-choice tabulator by Bright Spots) into fixtures for
tests/polls/test_tabulator_cases.py.

Where the source files come from
    Repository  https://github.com/BrightSpots/rcv  (RCTab, licensed MPL-2.0; its test data folder
                carries its own LICENSE.html)
    Commit      2167c240ddd25e40427cc3e7e1ecf46ef62f0b7f  (9 December 2025, after release 2.0.1)
    Folder      src/test/resources/network/brightspots/rcv/test_data/<case>/
    For every case this script reads the contest configuration (<case>_config.json), the cast vote
    records it names (ES&S .xlsx, Dominion CvrExport*.json, NIST common data format .json/.xml) and
    RCTab's expected round-by-round results (<case>_expected_detailed_report.json), which RCTab's
    own regression tests compare its output with.

How to re-run it
    git clone https://github.com/BrightSpots/rcv /tmp/rcv
    git -C /tmp/rcv checkout 2167c240ddd25e40427cc3e7e1ecf46ef62f0b7f
    python tests/polls/data/tabulator/convert_rctab.py /tmp/rcv
    (optional: --out DIR, and case names to convert only some). Standard library only. The script
    refuses a checkout at another commit unless --any-commit is given (the fixtures record the
    commit they were made from).

What the conversion does
    RCTab reads a ballot as ranks 1..n, each holding zero, one or several candidates, and walks it
    from the top every time the ballot's current candidate is out. Our ballots are plain rankings of
    distinct options. Each RCTab rule that these cases use is a fixed property of the ballot's
    position in that walk, so it is written into the ranking once, exactly as RCTab applies it
    (``normalise`` below mirrors Tabulator.computeTalliesForRound):

    - overvote (several candidates, or the "overvote" label, at one rank):
      "exhaustImmediately" -> the ranking ends before that rank;
      "alwaysSkipToNextRank" -> that rank is left out (it still counts as a marked rank for the
      skipped-rank rule, as in RCTab).
      ("exhaustIfMultipleContinuing" depends on who is still in: cases using it are not converted.)
    - skipped ranks: when the gap to the next marked rank is more than maxSkippedRanksAllowed empty
      ranks (counted from rank 0 for the first one), the ranking ends before it.
    - a candidate ranked again: with exhaustOnDuplicateCandidate the ranking ends at the repeat,
      otherwise the repeat is dropped (RCTab passes over it: it was already out when reached).
    - a ballot that marks nothing, or whose first mark already ends it, becomes an empty ranking;
      it is exhausted from the first round in both counts.
    - ES&S sheets: only maxRankingsAllowed rank columns are read, as RCTab does.
    - undeclared write-ins: RCTab eliminates them before any candidate whenever they have votes.
      In the converted cases its first round eliminates them, so they never count again; the
      converted rankings leave them out (after the rules above, for which a write-in mark counts
      as a mark). If they had votes in RCTab's first round, that round is kept for reference but
      marked "compare": false, since our first round is then RCTab's second. Write-ins with no
      votes in any published round are left out too; cases where write-ins have votes after
      RCTab's first round are not converted.

    Identical rankings are then counted together: "ballots" is a list of [ranking, count] pairs.

What a fixture holds
    source (repository, commit, paths), rules (RCTab's settings for the case and notes on how they
    relate to ours), options [{id, name}] in the configuration's candidate order, ballots,
    conversion (how RCTab's walk over each ballot ended: "end" of its marks, "blank", or
    cut short by an "overvote", "skipped_ranks" or a "repeated" candidate; and how many rankings
    had write-ins left out), and expected: RCTab's published rounds (per round each option's
    votes, the inactive ballots by RCTab category and their sum "exhausted", the options
    eliminated and elected) and the winner.

RCTab's other test contests, and why they are not converted
    - several seats, bottoms-up, sequential or Hare-quota counts (2013_minneapolis_park*,
      minneapolis_multi_seat_threshold, multi_seat_*, more_winners_than_candidates,
      test_set_multi_winner_*, test_set_allow_only_one_winner_per_round, sequential_*);
      "continue until two remain" or a first-round threshold (continue_*,
      first_round_determines_threshold_*); stopping early (stop_tabulation_early_test);
      excluded candidates (excluded_test); "exhaust if multiple continuing" overvotes
      (exhaust_if_multiple_continuing, test_set_overvote_delimiter, aliases_ess_xlsx): rules we
      do not have.
    - ties among candidates with votes settled by RCTab's (seeded) random or generated-permutation
      tie-break, which our tie rule settles differently or only agrees with by chance: the seven
      unisyn_xml_cdf_* contests, missing_precinct_example, tiebreak_seed_test,
      tiebreak_generate_permutation_test; and tiebreak_* in general, which exist to test RCTab's
      tie-break modes.
    - nist_xml_cdf_2: its one ballot ranks nobody; RCTab then eliminates down to one candidate and
      elects them with no votes, where our rule elects nobody.
    - 2018_maine_governor_primary and dominion_kansas: their cast vote records are not in the
      stored copy of the repository used here. 2013_minneapolis_mayor_scale repeats the 2013 file
      thirteen times; batch_example, dominion_no_precinct_data and
      tabulate_by_precinct_without_precincts repeat the ballots of converted cases.
    - formats this script has no reader for (Clear Ballot, Hart, generic CSV: clear_ballot_*,
      hart_*, generic_csv_test, csv_missing_header_test), blank cells read as write-ins
      (test_set_treat_blank_as_undeclared_write_in), and folders without expected results
      (conversions_*, invalid_*, max_ranking_enforcement, sample_interactive_tiebreak).
    - the remaining single-winner synthetic sets (test_set_0/3/4/7/8, skip_to_next_test,
      duplicate_test, aliases_cdf_json, uwi_cannot_win_test) convert and agree, but add little
      to the cases above.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import zipfile
import xml.etree.ElementTree as ET
from collections import Counter
from decimal import Decimal
from pathlib import Path

REPOSITORY = "https://github.com/BrightSpots/rcv"
COMMIT = "2167c240ddd25e40427cc3e7e1ecf46ef62f0b7f"
TEST_DATA = "src/test/resources/network/brightspots/rcv/test_data"
UWI = "Undeclared Write-ins"  # RCTab's name for undeclared write-ins
OVERVOTE = "\x00overvote"  # internal marker for an explicit overvote label
INACTIVE_KEYS = ("overvotes", "skippedRankings", "exhaustedChoices", "repeatedRankings")

# fixture name -> (RCTab case folder, what the contest is)
CASES = {
    "2013_minneapolis_mayor": (
        "2013_minneapolis_mayor",
        "Real election: Minneapolis mayor, 5 November 2013, the whole ES&S cast vote record "
        "(80,101 ballots, 35 candidates and write-ins, three ranks).",
    ),
    "2017_minneapolis_mayor": (
        "2017_minneapolis_mayor",
        "Real election: Minneapolis mayor, 7 November 2017, the whole ES&S cast vote record "
        "(105,928 ballots, 18 candidates and write-ins, three ranks).",
    ),
    "2015_portland_mayor": (
        "2015_portland_mayor",
        "Portland, Maine, mayor, 3 November 2015: RCTab's 99-ballot test file in the ES&S format "
        "with that race's 15 candidates (a test file, not the election's ballots).",
    ),
    "precinct_example": (
        "precinct_example",
        "RCTab's 100-ballot ES&S test file with the 2017 Minneapolis mayoral candidates and "
        "rules (overvotes skipped).",
    ),
    "2024_alaska_dominion": (
        "2024_alaska_dominion",
        "Part of the Dominion cast vote record of Alaska's general election of 5 November 2024, "
        "U.S. House (124 ballots, 4 candidates and write-ins); decided in the first round.",
    ),
    "dominion_multi_file": (
        "dominion_multi_file",
        "Part of the Dominion cast vote record of San Francisco's election of 3 November 2020, "
        "Board of Supervisors District 3 (25 ballots, 4 candidates and write-ins); decided in "
        "the first round.",
    ),
    "dominion_alaska": (
        "dominion_alaska",
        "Dominion export labelled 'AK 2020 Presidential Primary' (Alaska Democratic Party), "
        "1,000 records, 8 candidates and write-ins, five ranks (its result is not that "
        "primary's).",
    ),
    "dominion_wyoming": (
        "dominion_wyoming",
        "Dominion export labelled 'WY 2020 Presidential Primary' (Wyoming Democratic Party), "
        "1,000 records, 8 candidates and write-ins, five ranks (its result is not that "
        "primary's).",
    ),
    "test_set_1_exhaust_at_overvote": (
        "test_set_1_exhaust_at_overvote",
        "Synthetic: common data format test set 1, an overvote exhausts the ballot (15 ballots).",
    ),
    "test_set_2_overvote_skip_to_next": (
        "test_set_2_overvote_skip_to_next",
        "Synthetic: common data format test set 2, an overvote is skipped, no skipped rank "
        "allowed (15 ballots).",
    ),
    "test_set_5_two_skipped_choice_exhaust": (
        "test_set_5_two_skipped_choice_exhaust",
        "Synthetic: common data format test set 5, two skipped ranks in a row exhaust the ballot "
        "(15 ballots).",
    ),
    "test_set_6_duplicate_exhaust": (
        "test_set_6_duplicate_exhaust",
        "Synthetic: common data format test set 6, a repeated candidate exhausts the ballot "
        "(15 ballots).",
    ),
}

# Case-specific notes: what RCTab's published rounds and ours show about ties (the test itself
# checks the eliminations).
CASE_NOTES = {
    "2013_minneapolis_mayor": [
        "RCTab's tie-break mode here is 'random', but no elimination in this count (RCTab's or "
        "ours) is between options tied with votes, so no tie-break decides anything.",
    ],
    "2017_minneapolis_mayor": [
        "RCTab's tie-break mode here is 'random', but no elimination in this count (RCTab's or "
        "ours) is between options tied with votes.",
    ],
    "2015_portland_mayor": [
        "Two eliminations are ties: RCTab round 2 (Marshall and Rathband, 2 votes each) and "
        "round 7 (Lapchick and Vail, 7 each). RCTab eliminates the one later in the candidate "
        "list (Rathband, Vail); our rule reaches the same: Rathband by the listed order (equal "
        "first preferences and earlier rounds), Vail by fewer first preferences (6 against 7).",
    ],
    "precinct_example": [
        "RCTab's tie-break mode here is 'random'. Our count breaks ties only among options with "
        "1 vote each that RCTab eliminates together in one batch, so the order among them "
        "changes nothing.",
    ],
    "dominion_alaska": [
        "No elimination in this count is between options tied with votes.",
    ],
    "dominion_wyoming": [
        "No elimination in this count is between options tied with votes.",
    ],
}


class NotRepresentable(Exception):
    """A ballot whose treatment under the case's RCTab rules depends on the state of the count."""


# ----------------------------------------------------------------------------------------------
# Reading cast vote records: each reader yields one list of (rank, candidate label) per ballot,
# with labels as in the file (names, or codes that the configuration maps to names).


def _xlsx_rows(path: Path):
    """Rows of the first worksheet of an .xlsx file: (0-based row index, {0-based column: text})."""
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(path) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            root = ET.fromstring(z.read("xl/sharedStrings.xml"))
            for si in root.iter(ns + "si"):
                shared.append("".join(t.text or "" for t in si.iter(ns + "t")))
        workbook = ET.fromstring(z.read("xl/workbook.xml"))
        first = workbook.find(f"{ns}sheets/{ns}sheet")
        rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        rel_id = first.get(rel)
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = next(r.get("Target") for r in rels if r.get("Id") == rel_id)
        sheet = target.lstrip("/") if target.startswith("/") else "xl/" + target
        with z.open(sheet) as f:
            for _, elem in ET.iterparse(f):
                if elem.tag != ns + "row":
                    continue
                cells = {}
                for c in elem.iter(ns + "c"):
                    kind = c.get("t")
                    if kind == "inlineStr":
                        text = "".join(t.text or "" for t in c.iter(ns + "t"))
                    else:
                        v = c.find(ns + "v")
                        if v is None:
                            continue
                        text = shared[int(v.text)] if kind == "s" else (v.text or "")
                    letters = re.match(r"[A-Z]+", c.get("r")).group(0)
                    col = 0
                    for ch in letters:
                        col = col * 26 + ord(ch) - 64
                    cells[col - 1] = text
                yield int(elem.get("r")) - 1, cells
                elem.clear()


def read_ess(path: Path, source: dict, max_rankings: int | None):
    """ES&S sheet, as RCTab's StreamingCvrReader reads it: one row per ballot from
    firstVoteRowIndex, rank columns from firstVoteColumnIndex (at most maxRankingsAllowed of them);
    the skipped-rank label and blank cells mark nothing."""
    first_row = int(source["firstVoteRowIndex"]) - 1
    first_col = int(source["firstVoteColumnIndex"]) - 1
    delimiter = source.get("overvoteDelimiter") or ""
    if source.get("treatBlankAsUndeclaredWriteIn"):
        raise NotRepresentable("treatBlankAsUndeclaredWriteIn is not converted")
    for row, cells in _xlsx_rows(path):
        if row < first_row:
            continue
        rankings = []
        for col in sorted(cells):
            if col < first_col or (max_rankings is not None and col >= first_col + max_rankings):
                continue
            rank = col - first_col + 1
            text = cells[col].strip()
            parts = text.split(delimiter) if delimiter else [text]
            for part in parts:
                part = part.strip()
                if part == source.get("skippedRankLabel"):
                    continue
                if part == "":
                    raise NotRepresentable(f"empty candidate in a rank cell, row {row + 1}")
                if part == source.get("overvoteLabel"):
                    part = OVERVOTE
                elif part == source.get("undeclaredWriteInLabel"):
                    part = UWI
                rankings.append((rank, part))
        yield rankings


def read_dominion(folder: Path, source: dict):
    """Dominion CvrExport*.json, as RCTab's DominionCvrReader reads it: the current (or modified)
    record, every card, the configured contest; ambiguous marks are left out."""
    single = folder / "CvrExport.json"
    files = [single] if single.exists() else sorted(
        p for p in folder.iterdir() if re.fullmatch(r"CvrExport_\d+\.json", p.name)
    )
    contest_id = str(source["contestId"])
    uwi_label = source.get("undeclaredWriteInLabel")
    for file in files:
        data = json.loads(file.read_text(encoding="utf-8-sig"))
        for session in data["Sessions"]:
            record = session["Original"]
            if not record["IsCurrent"]:
                if "Modified" not in session:
                    continue
                record = session["Modified"]
            cards = record["Cards"] if "Cards" in record else [record]
            for card in cards:
                for contest in card["Contests"]:
                    if str(contest["Id"]) != contest_id:
                        continue
                    if 7 in contest["OutstackConditionIds"]:  # RCTab's EXCLUDE_CONTEST_CONDITION_ID
                        continue
                    rankings = []
                    for mark in contest["Marks"]:
                        if mark["IsAmbiguous"]:
                            continue
                        candidate = str(mark["CandidateId"])
                        if candidate == uwi_label:
                            candidate = UWI
                        rankings.append((int(mark["Rank"]), candidate))
                    yield rankings


def read_cdf_json(path: Path, source: dict):
    """NIST common data format (JSON), as RCTab's CommonDataFormatReader.parseJson reads it."""
    data = json.loads(path.read_text(encoding="utf-8"))
    candidates, contest = {}, None
    for election in data["Election"]:
        for c in election["Candidate"]:
            candidates[c["@id"]] = c
        for con in election["Contest"]:
            if con["Name"] == source["contestId"]:
                contest = con
    selections = {s["@id"]: s for s in contest["ContestSelection"]}
    for cvr in data["CVR"]:
        snapshot = next(s for s in cvr["CVRSnapshot"] if s["@id"] == cvr["CurrentSnapshotId"])
        cvr_contest = next(c for c in snapshot["CVRContest"] if c["ContestId"] == contest["@id"])
        rankings = []
        for sel in cvr_contest["CVRContestSelection"]:
            selection = selections[sel["ContestSelectionId"]]
            if selection.get("IsWriteIn") == "true":
                name = UWI
            else:
                name = candidates[selection["CandidateIds"][0]]["Name"]
                if name == source.get("overvoteLabel"):
                    name = OVERVOTE
            if "Rank" in sel:
                rankings.append((int(sel["Rank"]), name))
                continue
            for pos in sel["SelectionPosition"]:
                if "CVRWriteIn" in pos:
                    name = UWI
                if pos.get("HasIndication") == "no" or pos.get("IsAllocable") == "no":
                    continue
                rankings.append((int(pos["Rank"]), name))
        yield rankings


def read_cdf_xml(path: Path, source: dict):
    """NIST common data format (XML), as RCTab's CommonDataFormatReader.parseXml reads it."""
    root = ET.parse(path).getroot()
    ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    xsi = "{http://www.w3.org/2001/XMLSchema-instance}"

    def text(elem, tag):
        child = elem.find(ns + tag)
        return None if child is None else (child.text or "")

    candidates, contest = {}, None
    for election in root.findall(ns + "Election"):
        for c in election.findall(ns + "Candidate"):
            candidates[c.get("ObjectId")] = text(c, "Name")
        for con in election.findall(ns + "Contest"):
            if contest is None and text(con, "Name") == source["contestId"]:
                contest = con
    selections = {}
    for s in contest.findall(ns + "ContestSelection"):
        selections[s.get("ObjectId")] = s
    contest_id = contest.get("ObjectId")
    for cvr in root.findall(ns + "CVR"):
        current = text(cvr, "CurrentSnapshotId")
        snapshots = cvr.findall(ns + "CVRSnapshot")
        snapshot = next((s for s in snapshots if s.get("ObjectId") == current), None)
        cvr_contest = None
        if snapshot is not None:
            contests = snapshot.findall(ns + "CVRContest")
            cvr_contest = next((c for c in contests if text(c, "ContestId") == contest_id), None)
        if cvr_contest is None:
            continue  # RCTab skips a record without this contest
        rankings = []
        for sel in cvr_contest.findall(ns + "CVRContestSelection"):
            if text(sel, "Status") == "needs-adjudication":
                continue
            selection = selections[text(sel, "ContestSelectionId")]
            if text(selection, "IsWriteIn") == "true":
                name = UWI
            else:
                name = candidates[selection.find(ns + "CandidateIds").text.split()[0]]
                if name == source.get("overvoteLabel"):
                    name = OVERVOTE
            if text(sel, "Rank") is not None:
                rankings.append((int(text(sel, "Rank")), name))
                continue
            for pos in sel.findall(ns + "SelectionPosition"):
                if pos.find(ns + "CVRWriteIn") is not None:
                    name = UWI
                if text(pos, "HasIndication") == "no" or text(pos, "IsAllocable") == "no":
                    continue
                rankings.append((int(text(pos, "Rank")), name))
        yield rankings


# ----------------------------------------------------------------------------------------------
# One RCTab ballot -> one plain ranking


def normalise(raw, rules, name_of):
    """Return (ranking of candidate names, how it ended): RCTab's walk over the ballot's ranks,
    with every rule that can end or shorten it applied where RCTab applies it."""
    by_rank: dict[int, list[str]] = {}
    for rank, label in raw:
        if rank < 1:
            raise NotRepresentable(f"rank {rank}")
        by_rank.setdefault(rank, []).append(label)
    if not by_rank:
        return [], "blank"
    max_skipped = rules["maxSkippedRanksAllowed"]
    max_skipped = None if str(max_skipped) == "unlimited" else int(max_skipped)
    exhaust_on_duplicate = bool(rules.get("exhaustOnDuplicateCandidate"))
    overvote_rule = rules["overvoteRule"]
    ranking: list[str] = []
    last_rank, seen = 0, set()
    for rank in sorted(by_rank):
        labels = by_rank[rank]
        if max_skipped is not None and rank - last_rank > max_skipped + 1:
            return ranking, "skipped_ranks"
        last_rank = rank
        if exhaust_on_duplicate:
            for label in labels:
                if label in seen:
                    return ranking, "repeated"
                seen.add(label)
        if OVERVOTE in labels or len(labels) > 1:
            if overvote_rule == "exhaustImmediately":
                return ranking, "overvote"
            if overvote_rule == "alwaysSkipToNextRank":
                continue
            raise NotRepresentable(f"overvote rule {overvote_rule!r}")
        name = name_of(labels[0])
        if name not in ranking:
            ranking.append(name)
    return ranking, "end"


# ----------------------------------------------------------------------------------------------


def _number(text) -> int:
    value = Decimal(str(text))
    if value != value.to_integral_value():
        raise ValueError(f"not a whole number of votes: {text}")
    return int(value)


def convert(checkout: Path, fixture: str, out_dir: Path) -> dict:
    case, description = CASES[fixture]
    case_dir = checkout / TEST_DATA / case
    config_path = case_dir / f"{case}_config.json"
    report_path = case_dir / f"{case}_expected_detailed_report.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    report = json.loads(report_path.read_text(encoding="utf-8"))
    rules = config["rules"]

    # RCTab settings that have no counterpart here: a case using one is not converted.
    single = rules["winnerElectionMode"] == "singleWinnerMajority"
    if not single or str(rules["numberOfWinners"]) != "1":
        raise NotRepresentable("not a single-winner majority contest")
    for key in ("continueUntilTwoCandidatesRemain", "doesFirstRoundDetermineThreshold",
                "hareQuota"):
        if rules.get(key):
            raise NotRepresentable(f"{key} is on")
    if str(rules.get("stopTabulationEarlyAfterRound") or "").strip():
        raise NotRepresentable("stopTabulationEarlyAfterRound is set")
    if str(rules.get("minimumVoteThreshold") or "0").strip() not in ("", "0"):
        raise NotRepresentable("minimumVoteThreshold is set")
    if any(c.get("excluded") for c in config["candidates"]):
        raise NotRepresentable("excluded candidates")

    names = [c["name"] for c in config["candidates"]]
    alias = {}
    for c in config["candidates"]:
        alias[c["name"]] = c["name"]
        for a in c.get("aliases") or []:
            alias[a] = c["name"]
        if c.get("code"):
            alias[c["code"]] = c["name"]
    alias[UWI] = UWI

    def name_of(label):
        if label not in alias:
            raise NotRepresentable(f"unknown candidate label {label!r}")
        return alias[label]

    max_rankings = rules.get("maxRankingsAllowed")
    max_rankings = None if str(max_rankings) == "max" else int(max_rankings)

    groups: Counter = Counter()
    endings: Counter = Counter()
    sources = []
    for source in config["cvrFileSources"]:
        path = (case_dir / source["filePath"]).resolve()
        provider = source["provider"]
        if provider == "ess":
            records = read_ess(path, source, max_rankings)
        elif provider == "dominion":
            records = read_dominion(path, source)
        elif provider == "cdf" and path.suffix == ".json":
            records = read_cdf_json(path, source)
        elif provider == "cdf" and path.suffix == ".xml":
            records = read_cdf_xml(path, source)
        else:
            raise NotRepresentable(f"provider {provider!r} not converted")
        for raw in records:
            ranking, ending = normalise(raw, rules, name_of)
            groups[tuple(ranking)] += 1
            endings[ending] += 1
        sources.append(os.path.relpath(path, checkout.resolve()).replace(os.sep, "/"))

    # Undeclared write-ins. RCTab eliminates them before anyone else in any round where they have
    # votes, and elects nobody while they have votes. When its first round eliminates them they
    # are never in the count again: we write that into the rankings by leaving the write-in marks
    # out (after the rules above, which count them as marks). Our first round is then RCTab's
    # second; RCTab's first round is kept but marked not comparable if the write-ins had votes in
    # it. Write-ins with no votes in any published round are left out the same way (they count
    # for nobody in any of those rounds).
    results = report["results"]
    uwi_in_ballots = sum(k for r, k in groups.items() if UWI in r)
    uwi_votes = [_number(r["tally"].get(UWI, 0)) for r in results]
    uwi_out_in_round_1 = any(a.get("eliminated") == UWI for a in results[0]["tallyResults"])
    # Leaving the write-ins out changes no published count if they never have votes after the
    # first round and are either eliminated in it or never have votes at all.
    if any(uwi_votes[1:]) or (uwi_votes[0] and not uwi_out_in_round_1):
        raise NotRepresentable("undeclared write-ins have votes after RCTab's first round")
    if uwi_in_ballots:
        stripped: Counter = Counter()
        for r, k in groups.items():
            stripped[tuple(n for n in r if n != UWI)] += k
        groups = stripped
    ids = {name: i + 1 for i, name in enumerate(names)}
    ballots = sorted(
        ([[ids[n] for n in r], k] for r, k in groups.items()), key=lambda b: (-b[1], b[0])
    )

    # RCTab's published rounds
    summary = report.get("summary", {})
    undervotes = _number(summary.get("undervotes", 0))
    rounds, winner = [], None
    for r in results:
        tally = {ids[name]: _number(votes) for name, votes in r["tally"].items() if name != UWI}
        counts = {str(option): tally[option] for option in sorted(tally)}
        inactive = {k: _number(r["inactiveBallots"].get(k, 0)) for k in INACTIVE_KEYS}
        inactive["didNotRankAnyCandidates"] = undervotes
        eliminated = [
            ids[a["eliminated"]] for a in r["tallyResults"] if a.get("eliminated", UWI) != UWI
        ]
        elected = [ids[a["elected"]] for a in r["tallyResults"] if "elected" in a]
        if elected:
            winner = elected[0]
        published = {
            "round": r["round"],
            "counts": counts,
            "inactive": inactive,
            "exhausted": sum(inactive.values()),
            "eliminated": eliminated,
            "elected": elected,
            "compare": True,
        }
        if r["round"] == 1 and uwi_votes[0]:
            published["compare"] = False
            published["why_not"] = (
                f"RCTab's first round still counts {uwi_votes[0]} undeclared write-in votes, which "
                "it eliminates before anything else; the converted rankings leave write-ins out, "
                "so our first round is RCTab's second."
            )
            published["write_in_votes"] = uwi_votes[0]
        rounds.append(published)
    total = sum(k for _, k in ballots)
    if summary and _number(summary["totalNumBallots"]) != total:
        counted = summary["totalNumBallots"]
        raise ValueError(f"{fixture}: {total} ballots read, RCTab counted {counted}")
    for r in rounds:
        if sum(r["counts"].values()) + r["exhausted"] + r.get("write_in_votes", 0) != total:
            raise ValueError(f"{fixture}: round {r['round']} does not add up to {total}")

    notes = [
        "RCTab 'singleWinnerMajority': the threshold is floor(active / 2) + 1 votes, recomputed "
        "every round from the ballots still active, i.e. more than half of the continuing "
        "ballots, as ours.",
        "RCTab's inactive ballots (overvotes, skipped rankings, exhausted choices, repeated "
        "rankings) plus the ballots that ranked nobody ('undervotes' in its summary) are our "
        "exhausted ballots: 'exhausted' in each expected round is their sum.",
    ]
    if rules.get("batchElimination"):
        notes.append(
            "RCTab batch elimination is on: in one round it eliminates every lowest candidate "
            "whose combined votes are fewer than the next candidate's. We eliminate one at a time; "
            "such a batch could never overtake the next candidate, so our rounds pass through the "
            "same state one elimination at a time, and the test matches RCTab's rounds to ours by "
            "the options that have votes."
        )
    notes.append({
        "useCandidateOrder": "Tie-break 'useCandidateOrder' (the candidate later in the list is "
        "eliminated); our rule looks at first preferences and earlier rounds before the listed "
        "order.",
        "random": "Tie-break 'random'.",
        "stopCountingAndAsk": "Tie-break 'stopCountingAndAsk' (the operator decides).",
    }.get(rules["tiebreakMode"], f"Tie-break {rules['tiebreakMode']!r}.")
        + " The test requires every published elimination of an option with votes to be ours "
        "as well, so a tie settled differently would fail it.")
    notes.append(
        f"Ballots: overvotes '{rules['overvoteRule']}', at most {rules['maxSkippedRanksAllowed']} "
        f"skipped rank(s) in a row, repeated candidate "
        f"{'exhausts' if rules.get('exhaustOnDuplicateCandidate') else 'passed over'}, "
        f"max rankings {rules.get('maxRankingsAllowed')}; converted into plain rankings as the "
        "converter's docstring describes (counts under 'conversion')."
    )
    if uwi_in_ballots:
        notes.append(
            f"Undeclared write-ins: {uwi_in_ballots} ballots mark them. RCTab eliminates write-ins "
            "before any candidate in a round where they have votes; here they have no votes after "
            "its first round (which eliminates them, or is the last), so they count for nobody "
            "again and the converted rankings leave them out (after applying the rules above, for "
            "which a write-in mark is a mark)."
            + (" RCTab's first round, which still counts them, is kept for reference but not "
               "compared (compare: false): our first round is its second."
               if uwi_votes[0] else " They have no votes in its first round: every round compares.")
        )
    notes.extend(CASE_NOTES.get(fixture, []))

    fixture_data = {
        "name": fixture,
        "description": description,
        "source": {
            "repository": REPOSITORY,
            "commit": COMMIT,
            "case": f"{TEST_DATA}/{case}",
            "config": os.path.relpath(config_path, checkout).replace(os.sep, "/"),
            "cast_vote_records": sources,
            "expected": os.path.relpath(report_path, checkout).replace(os.sep, "/"),
            "generated_by": report.get("config", {}).get("generatedBy"),
            "contest": report.get("config", {}).get("contest"),
        },
        "rules": {
            "rctab": {k: rules.get(k) for k in (
                "winnerElectionMode", "numberOfWinners", "tiebreakMode", "overvoteRule",
                "maxSkippedRanksAllowed", "maxRankingsAllowed", "exhaustOnDuplicateCandidate",
                "batchElimination", "continueUntilTwoCandidatesRemain", "rulesDescription")},
            "notes": notes,
        },
        "options": [{"id": ids[n], "name": n} for n in names],
        "conversion": {
            "ballots": total,
            "distinct_rankings": len(ballots),
            "ended_by": dict(sorted(endings.items())),
            "write_ins_left_out": uwi_in_ballots,
        },
        "expected": {"total_ballots": total, "winner": winner, "rounds": rounds},
        "ballots": ballots,
    }
    out = out_dir / f"{fixture}.json"
    out.write_text(_dump(fixture_data), encoding="utf-8")
    return fixture_data


def _dump(data: dict) -> str:
    """JSON that reads well and diffs well: anything short on one line, one ballot group a line."""

    def fmt(value, level):
        flat = json.dumps(value, ensure_ascii=False)
        if not isinstance(value, (dict, list)) or not value or level + len(flat) <= 100:
            return flat
        pad = " " * (level + 1)
        if isinstance(value, dict):
            items = [f"{pad}{json.dumps(k)}: {fmt(v, level + 1)}" for k, v in value.items()]
            return "{\n" + ",\n".join(items) + "\n" + " " * level + "}"
        items = [pad + fmt(v, level + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + " " * level + "]"

    return fmt(data, 0) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkout", type=Path, help="a checkout of github.com/BrightSpots/rcv")
    parser.add_argument("cases", nargs="*", help="fixture names (default: all)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument(
        "--any-commit", action="store_true", help="accept a checkout at another commit"
    )
    args = parser.parse_args(argv)
    if not args.any_commit:
        try:
            git = ["git", "-C", str(args.checkout), "rev-parse", "HEAD"]
            head = subprocess.run(git, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            head = None
        if head != COMMIT:
            sys.exit(f"{args.checkout} is at {head}, not {COMMIT} (--any-commit converts anyway)")
    for fixture in args.cases or list(CASES):
        data = convert(args.checkout, fixture, args.out)
        conv = data["conversion"]
        print(
            f"{fixture}: {conv['ballots']} ballots, {conv['distinct_rankings']} distinct "
            f"rankings, {len(data['expected']['rounds'])} rounds, ended by {conv['ended_by']}"
        )


if __name__ == "__main__":
    main()
