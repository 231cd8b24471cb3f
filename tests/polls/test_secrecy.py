"""Secret means secret in the files too: the raw database files, read from outside while a secret poll is open
and after it closes, link no ballot and no receipt to a voter (docs/voting.md, "The ballot box")."""

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import Membership
from polls import services
from tests.conftest import make_user
from tests.polls.conftest import make_poll

pytestmark = pytest.mark.django_db(transaction=True)  # commits reach the files, as on a server

VOTERS = 80


def _spearman(xs: list, ys: list) -> float:
    def ranks(values):
        order = sorted(range(len(values)), key=values.__getitem__)
        out = [0] * len(values)
        for rank, index in enumerate(order):
            out[index] = rank
        return out

    rx, ry, n = ranks(xs), ranks(ys), len(xs)
    return 1 - 6 * sum((a - b) ** 2 for a, b in zip(rx, ry)) / (n * (n * n - 1))


def _main_files() -> list[Path]:
    if connection.vendor != "sqlite":
        return []
    name = Path(str(connection.settings_dict["NAME"]))
    return [p for p in (name, Path(f"{name}-wal"), Path(f"{name}-journal")) if p.exists()]


@pytest.fixture
def crowd(community, grid):
    people = []
    for i in range(VOTERS):
        user = make_user(f"secret{i}@test.org", f"Secret {i}")
        Membership.objects.create(user=user, community=community, role="resident", grid=grid)
        people.append(user)
    return people


def test_a_secret_vote_writes_nothing_to_the_database(chair, community, crowd):
    poll = make_poll(chair, community, method="ranked", options=["Lift", "Canteen", "Garden"])
    lift, canteen, garden = [o.pk for o in poll.options.all()]
    connection.close()  # a checkpoint-free snapshot: what is on disk now
    before = [p.read_bytes() for p in _main_files()]
    with CaptureQueriesContext(connection) as queries:
        code = services.cast_ballot(crowd[0], poll_id=poll.pk, choices=[garden, lift])
    writes = [q["sql"] for q in queries.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert code and writes == []  # on SQLite and PostgreSQL alike: only reads (is the poll open, is she on the roll)
    assert [p.read_bytes() for p in _main_files()] == before


def test_the_raw_files_link_no_ballot_or_receipt_to_its_voter_open_or_closed(chair, community, crowd):
    poll = make_poll(chair, community, method="ranked", options=["Lift", "Canteen", "Garden", "Hall"])
    ids = [o.pk for o in poll.options.all()]
    box_file = services.box_path()
    receipts = []
    for n, voter in enumerate(crowd):  # voters in the order of their ids: the order an attacker would try
        ranking = [ids[n % 4], ids[(n // 4) % 4]] if ids[n % 4] != ids[(n // 4) % 4] else [ids[n % 4]]
        code = services.cast_ballot(voter, poll_id=poll.pk, choices=ranking)
        receipts.append(bytes.fromhex(services.receipt_hash(poll.pk, code)))
    assert not Path(f"{box_file}-wal").exists()
    journal = Path(f"{box_file}-journal")
    assert not journal.exists() or journal.stat().st_size == 0  # no old page images left behind

    def offsets() -> list[int]:
        raw = box_file.read_bytes()
        found = []
        for receipt in receipts:
            assert raw.count(receipt) == 1  # once in the box: no copy in a journal, a free page or a log
            found.append(raw.index(receipt))
        return found

    while_open = offsets()
    rho = _spearman(list(range(VOTERS)), while_open)
    assert abs(rho) < 0.4, rho  # random slots: the order of voting is not the order in the file (sd ≈ 0.11)
    for path in _main_files():
        raw = path.read_bytes()
        assert not any(r in raw or r.hex().encode() in raw for r in receipts), path

    closed = services.close_poll(chair, poll_id=poll.pk)
    assert closed.result["ballots"] == VOTERS and len(closed.ballot_box_digest) == 64
    assert offsets() == while_open  # nothing rewritten at the close: the same bytes where they were
    assert not journal.exists() or journal.stat().st_size == 0
    connection.close()
    for path in _main_files():
        raw = path.read_bytes()  # the published receipts live in the box, never in the database
        assert not any(r in raw or r.hex().encode() in raw for r in receipts), path
