"""Atom feeds and CSV exports: public data only, escaped, and never a reporter's details."""

import csv
import io
from datetime import timedelta

from django.utils import timezone

from issues import services as issues_services
from meetings import services as meeting_services
from polls import services as poll_services
from tests.conftest import CANARY
from tests.consult.conftest import new_consultation
from tests.meetings.conftest import schedule


def rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode())))


def test_the_issue_export_has_public_fields_only(client, issue):
    response = client.get("/issues/issues.csv?community=canary")
    assert response["Content-Type"].startswith("text/csv")
    table = rows(response)
    assert table[0][:4] == ["id", "title", "grid", "category"] and table[1][0] == str(issue.pk)
    text = str(table)
    assert "139 0000 1111" not in text and "rita@test.org" not in text and "Rita" not in text


def test_decisions_export_one_row_per_task_and_leaves_out_closed_meetings(client, chair, community, issue,
                                                                          grid_worker, organisation, resident):
    issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="routine", task_title="Fix the lift",
                                  owner_organisation_id=organisation.pk,
                                  due_date=timezone.localdate() + timedelta(days=3))
    closed = schedule(chair, community, is_public=False, invite=[resident])
    item = meeting_services.add_agenda_item(chair, meeting_id=closed.pk, title="Secret staffing")
    meeting_services.open_meeting(chair, meeting_id=closed.pk)
    meeting_services.record_item_outcome(chair, item_id=item.pk, outcome="decided", text="Hire")
    table = rows(client.get("/outcomes/decisions.csv?community=canary"))
    assert any(r[6] == "Fix the lift" for r in table[1:]) and "Secret staffing" not in str(table)


def test_atom_feeds_list_public_items_escaped(client, chair, community, issue, grid_worker, organisation):
    issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="routine", task_title="Fix",
                                  owner_organisation_id=organisation.pk,
                                  due_date=timezone.localdate() + timedelta(days=3))
    new_consultation(chair, community)
    draft = new_consultation(chair, community, phase="draft")
    schedule(chair, community)
    hidden = schedule(chair, community, is_public=False)
    for url in ["/outcomes/feed.atom", "/consultations/feed.atom", "/meetings/feed.atom"]:
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200 and "application/atom+xml" in response["Content-Type"]
        assert "<entry>" in body and CANARY not in body  # escaped inside the XML
    assert f"/consultations/{draft.pk}/" not in client.get("/consultations/feed.atom").content.decode()
    assert f"/meetings/{hidden.pk}/" not in client.get("/meetings/feed.atom").content.decode()


def test_poll_results_export(client, chair, community, resident):
    poll = poll_services.create_poll(chair, community_id=community.pk, title="Green?", options=[])
    poll_services.open_poll(chair, poll_id=poll.pk)
    poll_services.cast_ballot(resident, poll_id=poll.pk, choices="yes")
    assert len(rows(client.get("/polls/results.csv?community=canary"))) == 1  # open: nothing yet
    poll_services.close_poll(chair, poll_id=poll.pk)
    table = rows(client.get("/polls/results.csv?community=canary"))
    assert ["yes", "1"] == table[1][5:7] and table[1][-2] == "True"
