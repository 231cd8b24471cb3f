"""Group commit: the writes of one process to one SQLite file, several per transaction, one connection.

Each caller hands in its write and waits. If no write of the process is under way, the caller's own thread
takes every write queued so far, runs each in a savepoint of its own (a write that raises an expected error
undoes only itself, and its caller gets that error), and commits them together; writes arriving meanwhile queue
for the next transaction. Every caller returns after the commit that holds its write, so with
``synchronous = FULL`` a write its caller was told about is on disk, as with one transaction each; a crowd
writing at once waits for the disk once per batch instead of once per write.

The connection is opened on first use, and again when the file was replaced (another inode) or a transaction
failed; only the thread writing a batch uses it. A failed BEGIN or COMMIT leaves nothing of its batch written,
and every caller in it gets an error.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path


class _Write:
    __slots__ = ("args", "done", "error")

    def __init__(self, args: tuple) -> None:
        self.args, self.done, self.error = args, False, None


class GroupCommit:
    """``submit(*args)`` runs ``work(conn, *args)`` inside a shared write transaction and returns once committed.

    ``connect()`` opens the connection (it must allow use from any thread, in autocommit mode); ``expected`` is
    the type of error ``work`` raises to refuse one write; ``failed(error)`` makes the error given to every caller
    of a batch that could not be committed.
    """

    def __init__(self, connect: Callable[[], sqlite3.Connection], work: Callable[..., None],
                 expected: type[Exception] | tuple[type[Exception], ...],
                 failed: Callable[[Exception], Exception]) -> None:
        self.connect, self.work, self.expected, self.failed = connect, work, expected, failed
        self.ready = threading.Condition()
        self.queue: list[_Write] = []
        self.busy = False
        self.conn: sqlite3.Connection | None = None
        self.path: Path | None = None
        self.inode: int | None = None
        self.batches = 0  # transactions committed (read by tests)

    def idle(self) -> bool:
        return not self.busy and not self.queue

    def submit(self, *args) -> None:
        write = _Write(args)
        with self.ready:
            self.queue.append(write)
            while self.busy and not write.done:
                self.ready.wait()
            lead = not write.done
            if lead:
                self.busy, batch, self.queue = True, self.queue, []
        if lead:
            try:
                self._commit(batch)
            finally:
                with self.ready:
                    self.busy = False
                    self.ready.notify_all()
        if write.error is not None:
            raise write.error

    def _connection(self) -> sqlite3.Connection:
        inode = _inode(self.path) if self.path else None
        if self.conn is None or inode != self.inode:
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            conn = self.connect()
            self.path = Path(conn.execute("PRAGMA database_list").fetchone()[2])
            self.conn, self.inode = conn, _inode(self.path)
        return self.conn

    def _commit(self, batch: list[_Write]) -> None:
        try:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                for write in batch:
                    conn.execute("SAVEPOINT one")
                    try:
                        self.work(conn, *write.args)
                    except self.expected as error:
                        conn.execute("ROLLBACK TO one")
                        write.error = error
                    conn.execute("RELEASE one")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            self.batches += 1
        except Exception as error:  # nothing of this batch is written: everyone in it is told
            for write in batch:
                write.error = self.failed(error)
            if self.conn is not None:
                self.conn.close()
                self.conn = None
        finally:
            for write in batch:
                write.done = True


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None
