"""SQLite with the writers of one process taking turns in the process, not in SQLite.

SQLite has one writer at a time. When a crowd writes at once (a thousand people voting the
moment a poll opens), every thread that finds the database locked sleeps in SQLite's busy
handler and retries, in growing sleeps, and most of the time the lock is free nobody is awake
to take it: the writes trickle through at a few dozen a second and the last ones pass the busy
timeout and fail. Here a process-wide lock per database file is taken before a write
transaction begins (``BEGIN IMMEDIATE``, every ``atomic()`` block) or a write runs in autocommit,
and released as soon as it ends, so the next writer starts the moment the previous one commits.
Waiting is bounded by the same timeout as SQLite's own, with the same error.

Other processes sharing the file (a management command, a second server) still meet SQLite's
busy handler, as before. Reads never wait.

Connections are kept for reuse too. Under ASGI every request runs in a thread of its own, so
Django's persistent connections (per thread) never persist and every request would open the file,
register Django's functions and run the pragmas again (about a millisecond, a fifth of a vote).
A connection closed outside a transaction and without an error goes back to a small idle list
per database file instead, and the next request takes it; the list is emptied when the file is
replaced (the test database is created or destroyed, or the file's inode changed).
"""

import os
import threading
from sqlite3 import OperationalError

from django.db.backends.sqlite3 import base, creation

_locks: dict[str, threading.Lock] = {}
_idle: dict[str, list] = {}  # database file -> [(inode, sqlite3 connection)]
_guard = threading.Lock()
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
IDLE_MAX = 16


def _lock_for(name) -> threading.Lock:
    with _guard:
        return _locks.setdefault(str(name), threading.Lock())


def _inode(name: str) -> int | None:
    try:
        return os.stat(name).st_ino
    except OSError:
        return None


def forget_idle(name=None) -> None:
    """Close the kept connections (of one database file, or all)."""
    with _guard:
        names = [str(name)] if name is not None else list(_idle)
        gone = [conn for n in names for _, conn in _idle.pop(n, [])]
    for conn in gone:
        conn.close()


class DatabaseCreation(creation.DatabaseCreation):
    def _create_test_db(self, *args, **kwargs):
        forget_idle()
        return super()._create_test_db(*args, **kwargs)

    def _destroy_test_db(self, *args, **kwargs):
        forget_idle()
        return super()._destroy_test_db(*args, **kwargs)


class CursorWrapper(base.SQLiteCursorWrapper):
    wrapper = None  # the DatabaseWrapper, set by create_cursor

    def execute(self, query, params=None):
        wrapper = self.wrapper
        if wrapper.holds_write_lock or not query.lstrip()[:7].upper().startswith(_WRITES):
            return super().execute(query, params)
        wrapper._acquire()  # a write in autocommit: its own short turn
        try:
            return super().execute(query, params)
        finally:
            wrapper._release()

    def executemany(self, query, param_list):
        wrapper = self.wrapper
        if wrapper.holds_write_lock:
            return super().executemany(query, param_list)
        wrapper._acquire()
        try:
            return super().executemany(query, param_list)
        finally:
            wrapper._release()


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation
    holds_write_lock = False

    def _file(self) -> str | None:
        """The database file, if it is one (not in memory, not a URI)."""
        name = str(self.settings_dict["NAME"])
        return None if self.is_in_memory_db() or name.startswith("file:") else name

    def get_new_connection(self, conn_params):
        name = self._file()
        if name and not os.path.exists(name):
            # Made by us, readable by the site's user only; SQLite gives its journal, WAL and shared-memory
            # files the database's own permissions.
            os.close(os.open(name, os.O_CREAT | os.O_WRONLY, 0o600))
        if name:
            inode = _inode(name)
            with _guard:
                idle = _idle.get(name, [])
                stale = [conn for ino, conn in idle if ino != inode]
                kept = [(ino, conn) for ino, conn in idle if ino == inode]
                _idle[name] = kept
                reused = kept.pop()[1] if kept else None
            for conn in stale:
                conn.close()
            if reused is not None:
                return reused
        return super().get_new_connection(conn_params)

    def _write_lock(self) -> threading.Lock:
        return _lock_for(self.settings_dict["NAME"])

    def _acquire(self) -> None:
        if self.is_in_memory_db():  # one shared connection: nobody to take turns with
            return
        timeout = self.settings_dict.get("OPTIONS", {}).get("timeout", 5)
        if not self._write_lock().acquire(timeout=timeout):
            with self.wrap_database_errors:
                raise OperationalError("database is locked")
        self.holds_write_lock = True

    def _release(self) -> None:
        if self.holds_write_lock:
            self.holds_write_lock = False
            self._write_lock().release()

    def create_cursor(self, name=None):
        cursor = self.connection.cursor(factory=CursorWrapper)
        cursor.wrapper = self
        return cursor

    def _start_transaction_under_autocommit(self):
        self._acquire()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release()
            raise

    def _set_autocommit(self, autocommit):
        try:
            super()._set_autocommit(autocommit)
        finally:
            if autocommit:  # the transaction is over (committed or rolled back)
                self._release()

    def _close(self):
        try:
            name, conn = self._file(), self.connection
            if name and conn is not None and not conn.in_transaction and not self.errors_occurred:
                inode = _inode(name)
                with _guard:
                    idle = _idle.setdefault(name, [])
                    if inode is not None and len(idle) < IDLE_MAX:
                        idle.append((inode, conn))
                        return None
            return super()._close()
        finally:
            self._release()
