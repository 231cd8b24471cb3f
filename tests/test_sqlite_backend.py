"""The embedded database's backend (config/sqlite): writers queue in the process, connections are kept.

Each test has a database file of its own under tmp_path, reached through an extra connection alias,
so the suite's test database is not involved.
"""

import sqlite3
import threading

import pytest
from django.db import OperationalError, close_old_connections, connections, transaction

from config.sqlite.base import forget_idle

# serial: threads timed against the lock timeout, which a busy machine would stretch
pytestmark = pytest.mark.serial

ALIAS = "scratch"


@pytest.fixture
def scratch(tmp_path, django_db_blocker):
    """An alias "scratch" on a fresh file with one table; returns a function that changes its timeout."""
    path = tmp_path / "one.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE ballot (id INTEGER PRIMARY KEY, voter INTEGER UNIQUE)")

    def configure(timeout=20):
        connections.settings[ALIAS] = connections.configure_settings({"default": {}, ALIAS: {
            "ENGINE": "config.sqlite", "NAME": str(path),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": timeout,
                        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
        }})[ALIAS]

    configure()
    with django_db_blocker.unblock():
        yield path, configure
        connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]
    forget_idle(path)


def stored(path) -> list:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT voter FROM ballot ORDER BY voter")]


def cast(voter: int) -> None:
    with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM ballot")  # read, then write: what a vote does
        cursor.execute("INSERT INTO ballot (voter) VALUES (%s)", [voter])


def run_at_once(target, count: int) -> list:
    barrier, failures = threading.Barrier(count), []

    def one(n):
        barrier.wait()
        try:
            target(n)
        except Exception as error:  # noqa: BLE001 - collected and asserted on
            failures.append(error)
        finally:
            close_old_connections()
            connections[ALIAS].close()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return failures


def test_two_hundred_writers_at_once_all_get_their_turn(scratch):
    path, _ = scratch
    assert run_at_once(cast, 200) == []
    assert stored(path) == list(range(200))


def test_autocommit_writes_take_turns_too(scratch):
    path, _ = scratch

    def insert(n):
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("INSERT INTO ballot (voter) VALUES (%s)", [n])

    assert run_at_once(insert, 100) == []
    assert stored(path) == list(range(100))


def test_a_writer_that_waits_past_the_timeout_gets_the_usual_error_and_writes_nothing(scratch):
    path, configure = scratch
    configure(timeout=0.3)
    holding, release = threading.Event(), threading.Event()

    def long_writer():
        with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
            cursor.execute("INSERT INTO ballot (voter) VALUES (1)")
            holding.set()
            release.wait(10)
        connections[ALIAS].close()

    first = threading.Thread(target=long_writer)
    first.start()
    assert holding.wait(10)
    with pytest.raises(OperationalError, match="database is locked"):
        cast(2)
    release.set()
    first.join(10)
    cast(3)  # the turn is free again: nothing stayed locked by the refused writer
    assert stored(path) == [1, 3]


def test_a_rolled_back_or_failed_transaction_frees_the_turn(scratch):
    path, configure = scratch
    configure(timeout=0.5)
    cast(1)
    with pytest.raises(Exception, match="UNIQUE"):
        cast(1)  # a duplicate: the transaction fails and is rolled back
    with pytest.raises(ZeroDivisionError):
        with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
            cursor.execute("INSERT INTO ballot (voter) VALUES (2)")
            1 / 0
    assert run_at_once(lambda n: cast(10 + n), 5) == []  # other threads are not locked out
    assert stored(path) == [1, 10, 11, 12, 13, 14]


def test_a_kept_connection_never_outlives_its_file(scratch):
    """A connection kept for reuse is not handed out once the file was replaced (a new database)."""
    path, _ = scratch
    cast(1)
    connections[ALIAS].close()  # kept for reuse
    path.unlink()
    for extra in ("-wal", "-shm"):
        path.with_name(path.name + extra).unlink(missing_ok=True)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE ballot (id INTEGER PRIMARY KEY, voter INTEGER UNIQUE)")
        conn.execute("INSERT INTO ballot (voter) VALUES (99)")
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT voter FROM ballot")
        assert cursor.fetchall() == [(99,)]
