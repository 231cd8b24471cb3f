"""A closed poll's public record as its users meet it: observers named and confirming the digest, the recount
file checked by the downloaded verifier, the ballots in a spreadsheet, a receipt looked up."""

import csv
import io
import json
import subprocess
import sys

import pytest
from django.test import Client

from polls import services
from polls.models import Observer
from tests.polls.conftest import make_poll

pytestmark = pytest.mark.django_db


def _ranked(chair, community, voters):
    poll = make_poll(chair, community, method="ranked", options=["North", "South", "East"], max_choices=3)
    north, south, east = poll.options.order_by("position").values_list("pk", flat=True)
    plans = [[north, south], [south, north], [east, north, south], [north], [south, east]]
    codes = [services.cast_ballot(voter, poll_id=poll.pk, choices=plan) for voter, plan in zip(voters, plans)]
    return poll, (north, south, east), codes


def test_the_chair_names_observers_and_an_observer_confirms_the_published_digest(client, chair, community, voters):
    poll, _ids, _codes = _ranked(chair, community, voters)
    client.force_login(chair)
    url = f"/polls/{poll.pk}/observers"
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "Name the observers" in page
    refused = client.post(url, {"committee": str(chair.pk), "others": "Nobody Of That Name"}, follow=True)
    assert "Nobody who votes in this poll is called Nobody Of That Name" in refused.content.decode()
    assert not Observer.objects.filter(poll=poll).exists()  # nothing was changed
    client.post(url, {"committee": str(chair.pk), "others": f"{voters[1].email}\n"})
    assert set(Observer.objects.filter(poll=poll).values_list("user_id", flat=True)) == {chair.pk, voters[1].pk}

    observer = Client()
    observer.force_login(voters[1])
    early = observer.post(f"/polls/{poll.pk}/confirm-digest", {"digest": "0" * 64}, follow=True)
    assert "published when the poll is closed and counted" in early.content.decode()
    closed = services.close_poll(chair, poll_id=poll.pk)
    late = client.post(url, {"committee": str(chair.pk)}, follow=True)
    assert "Observers are named before the poll closes." in late.content.decode()
    wrong = observer.post(f"/polls/{poll.pk}/confirm-digest", {"digest": "f" * 64}, follow=True)
    assert "This is not the published ballot box digest" in wrong.content.decode()
    outsider = Client()
    outsider.force_login(voters[2])
    refused = outsider.post(f"/polls/{poll.pk}/confirm-digest", {"digest": closed.ballot_box_digest}, follow=True)
    assert "Only the poll&#x27;s observers confirm" in refused.content.decode()
    done = observer.post(f"/polls/{poll.pk}/confirm-digest", {"digest": closed.ballot_box_digest.upper()},
                         follow=True)
    assert "your confirmation of the ballot box digest is published" in done.content.decode()
    public = Client().get(poll.get_absolute_url()).content.decode()
    assert voters[1].public_name in public and "confirmed the digest on" in public
    assert closed.ballot_box_digest[:16] in public  # shortened on the poll page, whole on the recount page
    assert closed.ballot_box_digest in Client().get(f"/polls/{poll.pk}/recount/").content.decode()


def test_the_recount_file_is_checked_by_the_downloaded_verifier(tmp_path, chair, community, voters):
    poll, _ids, _codes = _ranked(chair, community, voters)
    assert Client().get(f"/polls/{poll.pk}/results.json").status_code == 404  # nothing before the close
    services.close_poll(chair, poll_id=poll.pk)
    public = Client()
    script = tmp_path / "verify.py"
    response = public.get("/polls/verify.py")
    assert response["Content-Disposition"] == 'attachment; filename="verify.py"'
    script.write_bytes(response.content)
    document = json.loads(b"".join(public.get(f"/polls/{poll.pk}/results.json").streaming_content)
                          if public.get(f"/polls/{poll.pk}/results.json").streaming
                          else public.get(f"/polls/{poll.pk}/results.json").content)
    assert len(document["ballots"]) == 5 and len(document["receipts"]) == 5
    recount = tmp_path / "results.json"
    recount.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run([sys.executable, "-I", str(script), str(recount)], capture_output=True, text=True,
                         cwd=tmp_path, timeout=60)
    assert run.returncode == 0 and run.stdout.startswith("matches: 5 ballots, ranked"), run.stdout + run.stderr
    document["ballots"][0] = list(reversed(document["ballots"][0]))  # one stored ballot changed afterwards
    recount.write_text(json.dumps(document), encoding="utf-8")
    run = subprocess.run([sys.executable, "-I", str(script), str(recount)], capture_output=True, text=True,
                         cwd=tmp_path, timeout=60)
    assert run.returncode == 1 and run.stdout.startswith("differs at ballot_box_digest"), run.stdout


def test_the_ballots_read_in_a_spreadsheet_one_column_per_rank(chair, community, voters):
    poll, (north, south, east), _codes = _ranked(chair, community, voters)
    services.close_poll(chair, poll_id=poll.pk)
    response = Client().get(f"/polls/{poll.pk}/ballots.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")
                                       if response.streaming else response.content.decode("utf-8-sig"))))
    assert rows[0] == ["rank 1", "rank 2", "rank 3"]
    assert sorted(rows[1:]) == sorted([["North", "South", ""], ["South", "North", ""], ["East", "North", "South"],
                                       ["North", "", ""], ["South", "East", ""]])

    motion = make_poll(chair, community, secret=False)
    services.cast_ballot(voters[0], poll_id=motion.pk, choices="yes")
    services.cast_ballot(voters[1], poll_id=motion.pk, choices="abstain")
    services.close_poll(chair, poll_id=motion.pk)
    response = Client().get(f"/polls/{motion.pk}/ballots.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")
                                       if response.streaming else response.content.decode("utf-8-sig"))))
    assert rows[0] == ["voter", "choice"]
    assert sorted(rows[1:]) == sorted([[voters[0].public_name, "Yes"], [voters[1].public_name, "Abstain"]])


def test_a_voter_finds_their_receipt_among_the_counted(chair, community, voters):
    poll, _ids, codes = _ranked(chair, community, voters)
    services.close_poll(chair, poll_id=poll.pk)
    found = Client().post(f"/polls/{poll.pk}/recount/", {"code": codes[2].lower()}).content.decode()
    missing = Client().post(f"/polls/{poll.pk}/recount/", {"code": "NOT-A-CODE"}).content.decode()
    assert "Yes: a ballot with this receipt is among those counted." in found
    assert "No ballot has this receipt." in missing
    assert "there are 5 receipts for 5 ballots" in found
