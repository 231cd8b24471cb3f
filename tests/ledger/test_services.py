"""The ledger: record_decision is the one way a decision is made; its tasks follow up the issue it settles."""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ledger.models import Decision, Task
from ledger.services import record_decision

TOMORROW = timezone.localdate() + timedelta(days=1)


def test_a_decision_is_recorded_with_its_tasks_following_its_issue(chair, community, issue, organisation):
    decision = record_decision(
        chair, community=community, title="Fix the lift", source=Decision.Source.COMMITTEE, issue=issue,
        tasks=[{"title": "Call the engineer", "owner_organisation_id": organisation.pk, "due_date": TOMORROW}],
    )
    decision.refresh_from_db()
    assert (decision.decided_by, decision.issue, decision.source) == (chair, issue, "committee")
    assert list(decision.tasks.values_list("title", "issue", "owner_organisation")) == [
        ("Call the engineer", issue.pk, organisation.pk)
    ]


def test_a_decision_without_tasks_is_saved_on_its_own(chair, community):
    decision = record_decision(chair, community=community, title="No change", source=Decision.Source.POLL)
    assert Decision.objects.filter(pk=decision.pk, is_public=True).exists() and not decision.tasks.exists()


def test_a_decision_whose_task_is_invalid_is_not_saved(chair, community):
    with pytest.raises(ValidationError), transaction.atomic():
        record_decision(chair, community=community, title="Half made", source=Decision.Source.MEETING,
                        tasks=[{"title": "Nobody's job", "due_date": TOMORROW}])
    assert not Decision.objects.exists() and not Task.objects.exists()


def test_an_unknown_source_is_a_programming_error(chair, community):
    with pytest.raises(ValueError):
        record_decision(chair, community=community, title="?", source="whim")


def test_no_module_but_the_ledgers_services_constructs_a_decision():
    root = Path(__file__).resolve().parents[2]
    makers = []
    for path in root.glob("*/**/*.py"):
        rel = path.relative_to(root).as_posix()
        if rel.split("/")[0] in {"tests", "bench", ".venv"} or "/migrations/" in rel:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                if name in {"Decision", "Decision.objects.create", "Decision.objects.get_or_create"}:
                    makers.append(rel)
    assert makers == ["ledger/services.py"]


def test_the_committee_gives_a_votes_decision_tasks_later_and_the_outcomes_stop_waiting(client, chair, community,
                                                                                       organisation, org_rep,
                                                                                       resident):
    from django.core.exceptions import PermissionDenied

    from ledger import services

    decision = record_decision(chair, community=community, title="Plant trees", source=Decision.Source.POLL)
    page = client.get("/outcomes/").content.decode()
    assert 'badge-pending">Waiting for its tasks' in page and "0 of 0" not in page
    with pytest.raises(PermissionDenied):
        services.add_task(resident, decision_id=decision.pk, title="Mine", owner_organisation_id=organisation.pk,
                          due_date=TOMORROW)
    client.force_login(chair)
    response = client.post(f"/outcomes/{decision.pk}/tasks", {"task-task_title": "Buy saplings",
                                                               "task-due_date": ""})
    assert response.status_code == 200 and "Buy saplings" in response.content.decode()  # the input kept
    assert not decision.tasks.exists()
    response = client.post(f"/outcomes/{decision.pk}/tasks", {
        "task-task_title": "Buy saplings", "task-owner_organisation": organisation.pk,
        "task-due_date": TOMORROW.isoformat()})
    assert response.status_code == 302
    assert list(decision.tasks.values_list("title", flat=True)) == ["Buy saplings"]
    assert org_rep.notifications.filter(url=decision.get_absolute_url()).exists()  # the owner is told
    assert "0 of 1 task done" in client.get("/outcomes/").content.decode()
    with pytest.raises(ValidationError, match="has tasks already"):
        services.mark_no_follow_up(chair, decision_id=decision.pk, reason="Nothing")


def test_a_decision_that_needs_no_task_says_why_on_the_outcomes(client, chair, community):
    from ledger import services

    decision = record_decision(chair, community=community, title="Keep the hall as it is",
                               source=Decision.Source.POLL)
    with pytest.raises(ValidationError):
        services.mark_no_follow_up(chair, decision_id=decision.pk, reason="  ")
    services.mark_no_follow_up(chair, decision_id=decision.pk, reason="The vote rejected the plan.")
    page = client.get("/outcomes/").content.decode()
    assert "No follow-up needed: The vote rejected the plan." in page and 'badge-pending">Waiting' not in page


def test_the_outcomes_filter_by_source_state_grid_and_organisation(client, chair, community, grid, organisation,
                                                                   issue):
    trees = record_decision(chair, community=community, title="Plant trees", source=Decision.Source.POLL)
    lift = record_decision(chair, community=community, title="Fix the lift", source=Decision.Source.COMMITTEE,
                           issue=issue, tasks=[{"title": "Call", "owner_organisation_id": organisation.pk,
                                                "due_date": TOMORROW}])

    def shown(query):
        page = client.get("/outcomes/" + query).content.decode()
        return {d.title for d in (trees, lift) if f'href="{d.get_absolute_url()}"' in page}

    assert shown("") == {"Plant trees", "Fix the lift"}
    assert shown("?source=poll") == {"Plant trees"}
    assert shown("?status=waiting") == {"Plant trees"}
    assert shown("?status=open") == {"Fix the lift"}
    assert shown(f"?grid={grid.pk}") == {"Fix the lift"}
    assert shown(f"?organisation={organisation.pk}") == {"Fix the lift"}
    assert shown("?status=done") == set()
    assert client.get("/outcomes/?grid=nonsense").status_code == 200  # a bad filter shows everything
