"""The ballot box file on its own: what goes in, what comes out, and what the raw bytes give away (nothing about
who cast which ballot, and in which order)."""

import json
import os
import random
import threading
import time

import pytest

from polls import box as ballot_box

SLOT = 64


def _ballot(n: int) -> bytes:
    return json.dumps({"choice": f"option-{n:05d}"}).encode()


def _receipt(n: int) -> bytes:
    return n.to_bytes(4, "big") * 8


@pytest.fixture
def box(tmp_path):
    made = ballot_box.Box(tmp_path / "boxes" / "ballots.sqlite3")
    yield made
    made.close()


def test_a_round_trip_and_every_refusal(box):
    box.create("k", roll=[3, 1, 2], slot_size=SLOT)
    assert box.turnout("k") == 0 and not box.has_voted("k", 1)
    box.cast("k", 1, _ballot(1), _receipt(1))
    assert box.has_voted("k", 1) and box.turnout("k") == 1
    with pytest.raises(ballot_box.AlreadyVoted):
        box.cast("k", 1, _ballot(2), _receipt(2))
    with pytest.raises(ballot_box.NotOnRoll):
        box.cast("k", 9, _ballot(2), _receipt(2))
    with pytest.raises(ValueError):
        box.cast("k", 2, b"x" * (SLOT + 1), _receipt(2))  # too big for its slot
    with pytest.raises(ValueError):
        box.cast("k", 2, _ballot(2), bytes(32))  # an empty receipt
    assert box.turnout("k") == 1  # the refused casts left no trace
    with pytest.raises(ballot_box.BoxOpen):
        box.contents("k")  # no partial count
    box.seal("k")
    box.seal("k")  # twice does nothing more
    with pytest.raises(ballot_box.BoxClosed):
        box.cast("k", 2, _ballot(2), _receipt(2))
    assert box.contents("k") == ([_ballot(1)], [_receipt(1)])
    with pytest.raises(ValueError):
        box.create("k", roll=[1], slot_size=SLOT)  # a second opening cannot reset the votes
    with pytest.raises(ballot_box.UnknownBox):
        box.turnout("nobody")


def test_a_box_past_its_closing_time_takes_no_ballot(box):
    box.create("late", roll=[1], slot_size=SLOT, closes_at=time.time() - 1)
    with pytest.raises(ballot_box.BoxClosed):
        box.cast("late", 1, _ballot(1), _receipt(1))
    assert box.turnout("late") == 0


def test_a_dump_holds_no_order_and_loads_into_fresh_random_slots(box):
    box.create("k", roll=range(1, 41), slot_size=SLOT)
    for voter in range(1, 31):
        box.cast("k", voter, _ballot(voter), _receipt(voter))
    dump = box.dump("k")
    assert dump["roll"] == list(range(1, 41)) and dump["voted"] == list(range(1, 31))
    assert dump["ballots"] == sorted(b.decode() for b in map(_ballot, range(1, 31)))
    assert dump["receipts"] == sorted(_receipt(n).hex() for n in range(1, 31))
    box.drop("k")
    box.load("k", dump)
    assert box.dump("k") == dump
    with pytest.raises(ballot_box.AlreadyVoted):
        box.cast("k", 30, _ballot(99), _receipt(99))
    box.cast("k", 31, _ballot(31), _receipt(31))
    box.seal("k")
    ballots, receipts = box.contents("k")
    assert sorted(ballots) == sorted(map(_ballot, range(1, 32))) and len(receipts) == 31


def test_a_deleted_account_leaves_its_ballot_and_the_count(box):
    box.create("k", roll=[1, 2], slot_size=SLOT)
    box.cast("k", 1, _ballot(1), _receipt(1))
    box.forget_voter(1)
    assert not box.has_voted("k", 1) and box.turnout("k") == 0
    box.seal("k")
    assert box.contents("k")[0] == [_ballot(1)]


def _spearman(xs: list[int], ys: list[int]) -> float:
    def ranks(values):
        order = sorted(range(len(values)), key=values.__getitem__)
        out = [0] * len(values)
        for rank, i in enumerate(order):
            out[i] = rank
        return out
    rx, ry, n = ranks(xs), ranks(ys), len(xs)
    return 1 - 6 * sum((a - b) ** 2 for a, b in zip(rx, ry)) / (n * (n * n - 1))


def test_the_raw_file_does_not_give_away_the_order_of_voting(box):
    """300 votes: each ballot and receipt is in the file exactly once, at a position that does not follow the
    order of voting (Spearman's rho near 0); no write-ahead log, and the journal is empty between votes."""
    box.create("k", roll=range(1, 301), slot_size=SLOT)
    for voter in range(1, 301):
        box.cast("k", voter, _ballot(voter), _receipt(voter))
    journal = box.path.with_name(box.path.name + "-journal")
    assert not box.path.with_name(box.path.name + "-wal").exists()
    assert not journal.exists() or journal.stat().st_size == 0
    raw = box.path.read_bytes()
    positions, receipt_positions = [], []
    for voter in range(1, 301):
        assert raw.count(_ballot(voter)) == 1 and raw.count(_receipt(voter)) == 1
        positions.append(raw.index(_ballot(voter)))
        receipt_positions.append(raw.index(_receipt(voter)))
    assert abs(_spearman(list(range(300)), positions)) < 0.2
    assert abs(_spearman(list(range(300)), receipt_positions)) < 0.2
    assert abs(_spearman(positions, receipt_positions)) < 0.2  # a ballot's receipt is not next to it either
    assert oct(os.stat(box.path).st_mode & 0o777) == "0o600"


def test_one_vote_changes_a_few_pages_in_place_and_not_the_file_size(box):
    box.create("k", roll=range(1, 201), slot_size=SLOT)
    for voter in range(1, 101):
        box.cast("k", voter, _ballot(voter), _receipt(voter))
    before = box.path.read_bytes()
    box.cast("k", 150, _ballot(150), _receipt(150))
    after = box.path.read_bytes()
    assert len(after) == len(before)
    page = 4096
    changed = [i for i in range(0, len(after), page) if after[i:i + page] != before[i:i + page]]
    assert len(changed) <= 4, changed  # the header, a ballot page, a receipt page, a voter page


def test_dropping_a_box_erases_its_bytes_from_the_file(box):
    box.create("gone", roll=range(1, 21), slot_size=SLOT)
    box.create("kept", roll=[1], slot_size=SLOT)
    for voter in range(1, 21):
        box.cast("gone", voter, _ballot(voter), _receipt(voter))
    box.cast("kept", 1, _ballot(777), _receipt(777))
    box.drop("gone")
    raw = box.path.read_bytes()
    assert not any(_ballot(voter) in raw or _receipt(voter) in raw for voter in range(1, 21))
    assert _ballot(777) in raw
    with pytest.raises(ballot_box.UnknownBox):
        box.turnout("gone")


def test_concurrent_voters_all_count_once_and_a_double_vote_wins_once(tmp_path):
    path = tmp_path / "ballots.sqlite3"
    ballot_box.Box(path).create("k", roll=range(1, 41), slot_size=SLOT)
    outcomes: list[str] = []
    lock = threading.Lock()

    def vote(voter: int, n: int):
        try:
            ballot_box.Box(path).cast("k", voter, _ballot(n), _receipt(n))
            result = "ok"
        except ballot_box.AlreadyVoted:
            result = "again"
        with lock:
            outcomes.append((voter, result))

    work = [(voter, voter) for voter in range(1, 41)] + [(7, 1007), (7, 2007)]
    random.Random(3).shuffle(work)
    threads = [threading.Thread(target=vote, args=pair) for pair in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r for v, r in outcomes if v == 7) == ["again", "again", "ok"]
    assert sum(r == "ok" for _, r in outcomes) == 40
    reader = ballot_box.Box(path)
    assert reader.turnout("k") == 40
    reader.seal("k")
    ballots, receipts = reader.contents("k")
    assert len(ballots) == 40 and len(set(receipts)) == 40
