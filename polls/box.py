"""The ballot box: secret polls' ballots, in a SQLite file of their own, where nothing links a ballot to its voter.

Someone who reads the raw file, while a poll is open or after it closes, must not learn who cast which ballot.
Row order, rowids, page layout, free pages, journal remnants and timestamps would all give away the order of
voting, and that order together with who has voted (which the roll shows) would link ballots to voters. So
every row a poll will ever need is made when it opens, in a fixed order that has nothing to do with voting,
and a vote only overwrites fixed-size rows in place at uniformly random positions:

- ``box``: one row per poll: its key, slot size, number of slots, closing time, and whether it is sealed.
- ``voter``: rowid ``box_id << 32 | user_id``, one per person on the roll, ``voted`` flipped from 0 to 1.
- ``ballot``: rowid ``box_id << 32 | i``, ``slots`` rows of ``slot_size`` zero bytes; a ballot is its canonical
  JSON bytes, zero-padded to ``slot_size`` (so it never starts or ends with a zero byte: an empty slot starts
  with one).
- ``receipt``: rowid ``box_id << 32 | i``, ``slots`` rows of 32 zero bytes; a vote writes its receipt hash into
  a random empty one, chosen apart from the ballot's slot.

A value of the same size as the old one is overwritten in the same cell by SQLite, so a vote changes no page
layout and adds no page; 0 and 1 are stored with no body bytes at all, so the flag flips in place too. The
file keeps a rollback journal truncated at each commit (never a write-ahead log, which keeps old page images
around), and ``secure_delete`` zeroes whatever is deleted.

What this cannot hide: someone who copies the file just before and just after one vote sees which slots
changed, and whose flag. Unlinkability holds against whoever reads the file at any single moment (a backup, a
seized disk), not against someone watching every write.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from polls.groupcommit import GroupCommit

RECEIPT_SIZE = 32
_EMPTY_RECEIPT = bytes(RECEIPT_SIZE)
_LOW = 0xFFFFFFFF  # the low 32 bits of a rowid: the user id or the slot number
_PROBES = 64
_CACHED_PATHS = 16  # connections kept open per thread; tests make many boxes, a site has one

_SCHEMA = """
CREATE TABLE IF NOT EXISTS box (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, slot_size INTEGER NOT NULL,
                                slots INTEGER NOT NULL, closes_at REAL, sealed INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS voter (id INTEGER PRIMARY KEY, voted INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS ballot (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS receipt (id INTEGER PRIMARY KEY, hash BLOB NOT NULL);
"""
_TABLES = ("box", "voter", "ballot", "receipt")

# What an empty slot looks like, per table, as SQL. A ballot never starts with a zero byte, so its first byte
# tells; a receipt hash may, so the whole of it is compared.
_EMPTY = {"ballot": "substr(data, 1, 1) = x'00'", "receipt": "hash = zeroblob(32)"}


class BoxError(Exception):
    """Anything the ballot box refuses."""


class BoxClosed(BoxError):
    """No such box, or it is sealed or past its closing time: no vote goes in."""


class NotOnRoll(BoxError):
    """The voter is not on this poll's roll (or their account was deleted)."""


class AlreadyVoted(BoxError):
    """A secret ballot is final: the voter's flag is already set."""


class BoxOpen(BoxError):
    """The ballots of a box that is not sealed are never read out: no partial count of a secret poll."""


class UnknownBox(BoxError, KeyError):
    """No box has this key. Raised rather than answering "no ballots", so a lost box cannot count as empty."""


def slots_for(voters: int) -> int:
    """How many ballot (and receipt) slots a roll of ``voters`` gets.

    A vote picks random slots until it finds an empty one. With a quarter more slots than voters, at least a
    fifth of them are still empty when everyone has voted, so a vote needs five probes on average and 64
    probes all miss less than once in a million votes (then a scan finds the slot). The 16 extra keep tiny
    polls from being nearly full, for the same reason. The cost is a quarter more file space.
    """
    return voters + voters // 4 + 16


# Connections ------------------------------------------------------------------------------------------------

_local = threading.local()
_inherited: list[sqlite3.Connection] = []  # connections a forked child got from its parent; never used or closed


def _connection(path: Path) -> sqlite3.Connection:
    """This thread's connection to the box file, made (with the file and its schema) on first use.

    Cached per thread and per process: an SQLite connection must not be shared between threads without care,
    nor used across a fork. A connection inherited through a fork is kept (closing it could release the
    parent's file locks in the child's name) but never used.
    """
    if getattr(_local, "pid", None) != os.getpid():
        _inherited.extend(getattr(_local, "connections", {}).values())
        _local.pid, _local.connections = os.getpid(), {}
    connections: dict[str, sqlite3.Connection] = _local.connections
    name = os.path.abspath(path)
    conn = connections.get(name)
    if conn is None:
        conn = connections[name] = _open(Path(name))
        if len(connections) > _CACHED_PATHS:
            connections.pop(next(iter(connections))).close()
    return conn


def _open(path: Path, *, shared: bool = False) -> sqlite3.Connection:
    """A connection to the box file (made, with its schema, if need be). ``shared``: one that any thread may use,
    for a caller that makes sure only one does at a time."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():  # made here, so it is never readable by others (SQLite's journal takes its mode)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    conn = sqlite3.connect(path, timeout=20, isolation_level=None, check_same_thread=not shared)
    mode = conn.execute("PRAGMA journal_mode = TRUNCATE").fetchone()[0]
    if mode != "truncate":
        conn.close()
        raise BoxError(f"the ballot box would not leave journal mode {mode!r}")
    # FULL: a vote the voter was told about survives a power cut. MEMORY: sorts and statement journals
    # stay out of temporary files, where ballot bytes would outlive the transaction.
    for pragma in ("secure_delete = ON", "synchronous = FULL", "busy_timeout = 20000", "temp_store = MEMORY"):
        conn.execute(f"PRAGMA {pragma}")
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    if not set(_TABLES) <= names:
        with _write(conn):
            for statement in _SCHEMA.split(";"):
                conn.execute(statement)
    return conn


@contextmanager
def _write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction. IMMEDIATE takes the write lock first, so two writers wait for each other (up to
    the busy timeout) instead of one failing when it tries to upgrade a read lock."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def _read(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One read transaction: several SELECTs see the same state."""
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("COMMIT")


def _span(box_id: int) -> tuple[int, int]:
    """The first and last rowid a box may use in the voter, ballot and receipt tables."""
    return box_id << 32, box_id << 32 | _LOW


def _check_ballot(ballot: bytes, slot_size: int) -> None:
    if not isinstance(ballot, bytes) or not ballot:
        raise ValueError("a ballot is non-empty bytes")
    if len(ballot) > slot_size:
        raise ValueError(f"a ballot of {len(ballot)} bytes does not fit a slot of {slot_size}")
    if ballot[0] == 0 or ballot[-1] == 0:  # an empty slot starts with zero, and padding is stripped from the end
        raise ValueError("a ballot neither starts nor ends with a zero byte")


def _check_receipt(receipt: bytes) -> None:
    if not isinstance(receipt, bytes) or len(receipt) != RECEIPT_SIZE or receipt == _EMPTY_RECEIPT:
        raise ValueError(f"a receipt is a hash of {RECEIPT_SIZE} bytes, not all zero")


def _check_user(user_id: int) -> None:
    if not 0 < user_id <= _LOW:
        raise ValueError(f"voter id {user_id} is out of range")


def _free_slot(conn: sqlite3.Connection, table: str, box_id: int, slots: int) -> int:
    """The rowid of an empty slot, uniformly at random among the empty ones.

    Random probes, keeping the first empty one, are uniform over the empty slots; so is the fallback, which
    draws which empty slot to take and counts along to it.
    """
    base, last = _span(box_id)
    probe = f"SELECT {_EMPTY[table]} FROM {table} WHERE id = ?"
    for _ in range(_PROBES):
        rowid = base | secrets.randbelow(slots)
        if conn.execute(probe, (rowid,)).fetchone()[0]:
            return rowid
    where = f"FROM {table} WHERE id BETWEEN ? AND ? AND {_EMPTY[table]}"
    empty = conn.execute(f"SELECT count(*) {where}", (base, last)).fetchone()[0]
    if not empty:
        raise BoxError("the ballot box is full")  # cannot happen: there are more slots than voters
    return conn.execute(f"SELECT id {where} LIMIT 1 OFFSET ?", (base, last, secrets.randbelow(empty))).fetchone()[0]


def _cast_one(conn: sqlite3.Connection, key: str, voter_id: int, ballot: bytes, receipt: bytes) -> None:
    """One vote's checks and its three overwrites, inside a transaction the caller holds."""
    row = conn.execute("SELECT id, slot_size, slots, closes_at, sealed FROM box WHERE key = ?", (key,)).fetchone()
    if row is None or row[4] or (row[3] is not None and time.time() >= row[3]):
        raise BoxClosed(key)
    box_id, slot_size, slots = row[:3]
    voter = box_id << 32 | voter_id if 0 < voter_id <= _LOW else None
    flag = voter and conn.execute("SELECT voted FROM voter WHERE id = ?", (voter,)).fetchone()
    if not flag:
        raise NotOnRoll(voter_id)
    if flag[0]:
        raise AlreadyVoted(voter_id)
    _check_ballot(ballot, slot_size)
    conn.execute("UPDATE ballot SET data = ? WHERE id = ?",
                 (ballot.ljust(slot_size, b"\0"), _free_slot(conn, "ballot", box_id, slots)))
    conn.execute("UPDATE receipt SET hash = ? WHERE id = ?", (receipt, _free_slot(conn, "receipt", box_id, slots)))
    conn.execute("UPDATE voter SET voted = 1 WHERE id = ?", (voter,))


_writers: dict[tuple[int, str], GroupCommit] = {}
_writers_guard = threading.Lock()


def _writer(path: Path) -> GroupCommit:
    """The process's group commit for the box file at ``path`` (see ``polls/groupcommit.py``)."""
    key = (os.getpid(), os.path.abspath(path))  # a forked child makes its own
    with _writers_guard:
        writer = _writers.get(key)
        if writer is None:
            writer = _writers[key] = GroupCommit(
                lambda: _open(Path(key[1]), shared=True), _cast_one, (BoxError, ValueError),
                lambda error: BoxError(f"the ballot box took no vote: {error}"))
            idle = [k for k, w in _writers.items() if k != key and w.idle()]
            if len(_writers) > _CACHED_PATHS and idle:  # tests make many boxes; a site has one
                del _writers[idle[0]]  # its connection closes when nothing holds it any more
        return writer


class Box:
    """The ballot box file at ``path``, shared by every thread and process of the site.

    Cheap to make: it holds only the path (connections are cached per thread), so callers make one per use.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def _conn(self) -> sqlite3.Connection:
        return _connection(self.path)

    def _box(self, conn: sqlite3.Connection, key: str) -> tuple[int, int, int, float | None, int]:
        row = conn.execute("SELECT id, slot_size, slots, closes_at, sealed FROM box WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise UnknownBox(key)
        return row

    def close(self) -> None:
        """Close this thread's connection to the file (the next call opens another)."""
        connections = getattr(_local, "connections", {}) if getattr(_local, "pid", None) == os.getpid() else {}
        conn = connections.pop(os.path.abspath(self.path), None)
        if conn is not None:
            conn.close()

    # Opening ------------------------------------------------------------------------------------------------

    def create(self, key: str, roll: Iterable[int], slot_size: int, closes_at: float | None = None) -> None:
        """Make a poll's box, with every row it will ever need, in one transaction.

        Raises ValueError if the key is taken: a box is made once, so a second opening cannot reset its votes.
        """
        self._allocate(key, roll, slot_size, closes_at, sealed=False, voted=(), ballots=(), receipts=())

    def _allocate(self, key: str, roll: Iterable[int], slot_size: int, closes_at: float | None, *, sealed: bool,
                  voted: Iterable[int], ballots: list[bytes] | tuple[()], receipts: list[bytes] | tuple[()]) -> None:
        """Write a whole box at once, rows in rowid order: the same layout whether it is empty (``create``) or
        restored full (``load``). Ballots and receipts go to random slots, apart from each other."""
        if not isinstance(key, str) or not key:
            raise ValueError("a box key is non-empty text")
        if slot_size < 1:
            raise ValueError("a slot holds at least one byte")
        people = sorted(set(roll))  # sorted: the roll's order (joining dates, say) leaves no trace either
        for user_id in people:
            _check_user(user_id)
        voted = set(voted)
        if not voted <= set(people):
            raise ValueError("someone who voted is not on the roll")
        slots = slots_for(max(len(people), len(ballots), len(receipts)))
        ballot_at = dict(zip(secrets.SystemRandom().sample(range(slots), len(ballots)), ballots))
        receipt_at = dict(zip(secrets.SystemRandom().sample(range(slots), len(receipts)), receipts))
        empty = bytes(slot_size)
        conn = self._conn()
        with _write(conn):
            if conn.execute("SELECT 1 FROM box WHERE key = ?", (key,)).fetchone():
                raise ValueError(f"there is already a ballot box {key}")
            box_id = conn.execute(
                "INSERT INTO box (key, slot_size, slots, closes_at, sealed) VALUES (?, ?, ?, ?, ?)",
                (key, slot_size, slots, closes_at, int(sealed))).lastrowid
            if box_id > 0x7FFFFFFF:
                raise BoxError("no box id left")  # box_id << 32 must fit SQLite's signed 64-bit rowid
            base = box_id << 32
            conn.executemany("INSERT INTO voter (id, voted) VALUES (?, ?)",
                             ((base | u, int(u in voted)) for u in people))
            conn.executemany("INSERT INTO ballot (id, data) VALUES (?, ?)",
                             ((base | i, ballot_at[i].ljust(slot_size, b"\0") if i in ballot_at else empty)
                              for i in range(slots)))
            conn.executemany("INSERT INTO receipt (id, hash) VALUES (?, ?)",
                             ((base | i, receipt_at.get(i, _EMPTY_RECEIPT)) for i in range(slots)))

    # Voting -------------------------------------------------------------------------------------------------

    def cast(self, key: str, voter_id: int, ballot: bytes, receipt: bytes) -> None:
        """Put one ballot and its receipt hash in, and mark the voter as having voted, then return once that is
        on disk.

        Only three cells change, each overwritten in place with a value of the same size; nothing else is
        written (no counter, no time), so what the file holds afterwards says nothing of when or in which order.
        Votes cast at the same moment in this process share one transaction (``_Writer``): each is checked and
        written on its own (a refusal undoes only its own rows), and each voter is answered after the commit.
        """
        _check_receipt(receipt)
        _writer(self.path).submit(key, voter_id, ballot, receipt)

    def has_voted(self, key: str, voter_id: int) -> bool:
        conn = self._conn()
        with _read(conn):
            box_id = self._box(conn, key)[0]
            if not 0 < voter_id <= _LOW:
                return False
            row = conn.execute("SELECT voted FROM voter WHERE id = ?", (box_id << 32 | voter_id,)).fetchone()
        return bool(row and row[0])

    def turnout(self, key: str) -> int:
        """How many on the roll have voted. Not a partial count of anything: the roll shows who voted anyway."""
        conn = self._conn()
        with _read(conn):
            box_id = self._box(conn, key)[0]
            return conn.execute("SELECT count(*) FROM voter WHERE id BETWEEN ? AND ? AND voted = 1",
                                _span(box_id)).fetchone()[0]

    # Closing ------------------------------------------------------------------------------------------------

    def seal(self, key: str) -> None:
        """No ballot goes in any more, and the ballots may be read out. Sealing twice does nothing more."""
        conn = self._conn()
        with _write(conn):
            self._box(conn, key)
            conn.execute("UPDATE box SET sealed = 1 WHERE key = ? AND sealed = 0", (key,))

    def contents(self, key: str) -> tuple[list[bytes], list[bytes]]:
        """The ballots (padding stripped) and the receipt hashes of a sealed box, each in slot order, which is
        random. Raises BoxOpen before the seal: a partial count of a secret poll is impossible here."""
        conn = self._conn()
        with _read(conn):
            box_id, _, _, _, sealed = self._box(conn, key)
            if not sealed:
                raise BoxOpen(key)
            return self._filled(conn, box_id)

    @staticmethod
    def _filled(conn: sqlite3.Connection, box_id: int) -> tuple[list[bytes], list[bytes]]:
        # Filtering in SQL saves making a Python object for each empty slot.
        ballots = conn.execute("SELECT data FROM ballot WHERE id BETWEEN ? AND ? AND NOT substr(data, 1, 1) = x'00'",
                               _span(box_id)).fetchall()
        receipts = conn.execute("SELECT hash FROM receipt WHERE id BETWEEN ? AND ? AND NOT hash = zeroblob(32)",
                                _span(box_id)).fetchall()
        return [data.rstrip(b"\0") for (data,) in ballots], [hash_ for (hash_,) in receipts]

    def drop(self, key: str) -> None:
        """Delete the box and all its rows (``secure_delete`` zeroes them in the file). No box: nothing to do."""
        conn = self._conn()
        with _write(conn):
            row = conn.execute("SELECT id FROM box WHERE key = ?", (key,)).fetchone()
            if row is None:
                return
            for table in ("ballot", "receipt", "voter"):
                conn.execute(f"DELETE FROM {table} WHERE id BETWEEN ? AND ?", _span(row[0]))
            conn.execute("DELETE FROM box WHERE id = ?", (row[0],))

    def forget_voter(self, voter_id: int) -> None:
        """Take someone off every roll (their account is deleted). A ballot they cast stays: nothing links it to
        them, so it is not theirs any more, and the count must not change."""
        if not 0 < voter_id <= _LOW:
            return
        conn = self._conn()
        with _write(conn):
            ids = [row[0] for row in conn.execute("SELECT id FROM box")]
            conn.executemany("DELETE FROM voter WHERE id = ?", ((box_id << 32 | voter_id,) for box_id in ids))

    # Backups ------------------------------------------------------------------------------------------------

    def dump(self, key: str) -> dict:
        """A box as a backup keeps it: who is on the roll and who voted, and apart, sorted, the ballots and the
        receipts, so the backup holds no slot positions and no order.

        Unlike ``contents`` it works on an open box too (a backup must hold the votes so far); whoever can take
        a backup can therefore count an open poll.
        """
        conn = self._conn()
        with _read(conn):
            box_id, slot_size, _, closes_at, sealed = self._box(conn, key)
            flags = conn.execute("SELECT id, voted FROM voter WHERE id BETWEEN ? AND ?", _span(box_id)).fetchall()
            ballots, receipts = self._filled(conn, box_id)
        return {"slot_size": slot_size, "closes_at": closes_at, "sealed": bool(sealed),
                "roll": [rowid & _LOW for rowid, _ in flags], "voted": [rowid & _LOW for rowid, voted in flags if voted],
                "ballots": sorted(b.decode() for b in ballots), "receipts": sorted(r.hex() for r in receipts)}

    def load(self, key: str, dump: dict) -> None:
        """Make a box again from ``dump``: everything pre-allocated as ``create`` does, the ballots and receipts
        in fresh random slots, so the restored file is as unlinkable as the first. Raises ValueError if the key
        is taken (``drop`` it first)."""
        slot_size = int(dump["slot_size"])
        ballots = [text.encode() for text in dump["ballots"]]
        for ballot in ballots:
            _check_ballot(ballot, slot_size)
        receipts = [bytes.fromhex(r) for r in dump["receipts"]]
        for receipt in receipts:
            _check_receipt(receipt)
        closes_at = dump.get("closes_at")
        self._allocate(key, dump["roll"], slot_size, None if closes_at is None else float(closes_at),
                       sealed=bool(dump.get("sealed")), voted=dump.get("voted", ()), ballots=ballots,
                       receipts=receipts)
