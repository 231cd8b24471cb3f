"""Secret ballots cast at the same moment share a transaction of the ballot box: each voter still gets their own
answer, nobody is counted twice or lost, a refused vote undoes only itself, and an answered vote survives the
process dying at once."""

import json
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from polls import box as ballot_box
from polls.groupcommit import GroupCommit

SLOT = 64


def _ballot(n: int) -> bytes:
    return json.dumps({"choice": f"option-{n:05d}"}).encode()


def _receipt(n: int) -> bytes:
    return n.to_bytes(4, "big") * 8


def _run_at_once(jobs) -> list:
    """Every job in a thread of its own, released together; each one's result or exception, in order."""
    start = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i, job):
        start.wait()
        try:
            results[i] = job()
        except Exception as error:  # the answer a voter would get
            results[i] = error

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_a_crowd_voting_at_once_is_counted_exactly_once_each(tmp_path):
    path = tmp_path / "ballots.sqlite3"
    ballot_box.Box(path).create("k", roll=range(1, 121), slot_size=SLOT)
    jobs = [lambda v=v: ballot_box.Box(path).cast("k", v, _ballot(v), _receipt(v)) for v in range(1, 121)]
    jobs += [lambda v=v: ballot_box.Box(path).cast("k", v, _ballot(v + 500), _receipt(v + 500)) for v in (3, 3, 40)]
    jobs += [lambda: ballot_box.Box(path).cast("k", 999, _ballot(999), _receipt(999))]  # not on the roll
    jobs += [lambda: ballot_box.Box(path).cast("k", 50, b"x" * (SLOT + 1), _receipt(50))]  # too big a ballot
    results = _run_at_once(jobs)

    by_voter: dict[int, list] = {}
    voters = list(range(1, 121)) + [3, 3, 40, 999, 50]
    for voter, result in zip(voters, results):
        by_voter.setdefault(voter, []).append(result)
    assert sorted(type(r).__name__ for r in by_voter[3]) == ["AlreadyVoted", "AlreadyVoted", "NoneType"]
    assert sorted(type(r).__name__ for r in by_voter[40]) == ["AlreadyVoted", "NoneType"]
    assert isinstance(by_voter[999][0], ballot_box.NotOnRoll)
    assert sorted(type(r).__name__ for r in by_voter[50]) == ["NoneType", "ValueError"]
    assert all(r == [None] for v, r in by_voter.items() if v not in (3, 40, 999, 50))

    box = ballot_box.Box(path)
    assert box.turnout("k") == 120
    box.seal("k")
    ballots, receipts = box.contents("k")
    assert len(ballots) == len(receipts) == 120  # the refused ones left nothing, the accepted ones all there
    told_yes = {i for i, r in enumerate(results) if r is None}
    expected = {(_ballot(v + 500) if i >= 120 else _ballot(v)) for i, v in enumerate(voters) if i in told_yes}
    assert set(ballots) == expected


def test_writes_queued_while_one_commits_go_in_together_each_with_its_own_answer(tmp_path):
    path = tmp_path / "group.sqlite3"
    setup = sqlite3.connect(path)
    setup.execute("CREATE TABLE t (n INTEGER PRIMARY KEY)")
    setup.commit()
    setup.close()
    first_running, others_queued = threading.Event(), threading.Event()

    def work(conn, n):
        if n == 0:  # the first write holds its transaction open until every other write has queued
            first_running.set()
            assert others_queued.wait(30)
        if n % 5 == 4:
            raise LookupError(n)  # a refused write
        conn.execute("INSERT INTO t (n) VALUES (?)", (n,))

    group = GroupCommit(lambda: sqlite3.connect(path, isolation_level=None, check_same_thread=False), work,
                        LookupError, RuntimeError)
    first = threading.Thread(target=group.submit, args=(0,))
    first.start()
    assert first_running.wait(30)
    results: list = [None] * 20

    def submit(n):
        try:
            group.submit(n)
        except LookupError as error:
            results[n] = error

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(1, 20)]
    for thread in threads:
        thread.start()
    while len(group.queue) < 19:
        threading.Event().wait(0.01)
    others_queued.set()
    first.join()
    for thread in threads:
        thread.join()

    assert group.batches == 2  # the first on its own, then the nineteen that queued behind it
    refused = {n for n in range(20) if isinstance(results[n], LookupError)}
    assert refused == {4, 9, 14, 19}
    rows = {n for (n,) in sqlite3.connect(path).execute("SELECT n FROM t")}
    assert rows == set(range(20)) - refused


def test_a_batch_that_cannot_commit_leaves_nothing_and_tells_everyone(tmp_path):
    path = tmp_path / "locked.sqlite3"
    setup = sqlite3.connect(path)
    setup.execute("CREATE TABLE t (n INTEGER PRIMARY KEY)")
    setup.commit()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock past the busy timeout

    def work(conn, n):
        conn.execute("INSERT INTO t (n) VALUES (?)", (n,))

    group = GroupCommit(lambda: sqlite3.connect(path, timeout=0.05, isolation_level=None, check_same_thread=False),
                        work, LookupError, lambda error: RuntimeError(f"not taken: {error}"))
    results = _run_at_once([lambda n=n: group.submit(n) for n in range(6)])
    assert all(isinstance(r, RuntimeError) for r in results)
    holder.execute("ROLLBACK")
    group.submit(7)  # the lock is free again: the next write goes in on a fresh connection
    assert [n for (n,) in sqlite3.connect(path).execute("SELECT n FROM t")] == [7]


def test_a_vote_answered_survives_the_process_dying_right_after(tmp_path):
    path = tmp_path / "ballots.sqlite3"
    ballot_box.Box(path).create("k", roll=[1, 2, 3], slot_size=SLOT)
    # A server process: votes, is answered, and dies at once without closing anything.
    script = (f"import os, sys\nfrom polls import box\nbox.Box({str(path)!r}).cast('k', 2, {_ballot(2)!r}, {_receipt(2)!r})\n"
              "sys.stdout.write('recorded'); sys.stdout.flush(); os._exit(0)")
    run = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2], capture_output=True,
                         text=True, timeout=60)
    assert run.stdout == "recorded", run.stderr
    fresh = ballot_box.Box(path)
    assert fresh.has_voted("k", 2) and fresh.turnout("k") == 1
    fresh.seal("k")
    assert fresh.contents("k") == ([_ballot(2)], [_receipt(2)])
