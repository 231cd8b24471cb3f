"""CSV exports of public data: issues (public fields only) and decisions with their tasks."""


from django.utils import timezone

from community import services as community_services
from community.http import current_community
from core.http import csv_response
from issues.models import Issue
from ledger.models import Decision, Task


def _when(value) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def issues_csv(request):
    """Every issue of the community, public fields only: never who raised it, their contact or address."""
    community = current_community(request)
    issues = (Issue.objects.filter(community=community).select_related("grid", "category")
              .order_by("pk").iterator(chunk_size=500))
    header = ["id", "title", "grid", "category", "status", "tier", "channel", "location", "created_at",
              "response_due_at", "first_response_at", "resolved_at", "closed_at", "reopened", "url"]
    rows = ([i.pk, i.title, i.grid.local_name, i.category.local_name, i.status, i.tier, i.channel, i.location,
             _when(i.created_at), _when(i.response_due_at), _when(i.first_response_at), _when(i.resolved_at),
             _when(i.closed_at), i.reopened_count, request.build_absolute_uri(i.get_absolute_url())]
            for i in issues)
    community_services.record_export(request.user, community=community, export=f"{community.slug}-issues.csv")
    return csv_response(_prepend(header, rows), f"{community.slug}-issues.csv")


def decisions_csv(request):
    """Every public decision with its tasks: one row per task (a decision without tasks has one row)."""
    community = current_community(request)
    tasks = (Task.objects.filter(decision__community=community, decision__is_public=True)
             .select_related("decision", "owner_user", "owner_organisation").order_by("decision_id", "pk"))
    lonely = Decision.objects.filter(community=community, is_public=True, tasks=None).order_by("pk")
    header = ["decision_id", "decision", "source", "decided_at", "issue_id", "task_id", "task", "owner",
              "due_date", "status", "progress", "overdue"]
    rows = [
        *([d.pk, d.title, d.source, _when(d.decided_at), d.issue_id or "", "", "", "", "", "", "", ""]
          for d in lonely),
        *([t.decision_id, t.decision.title, t.decision.source, _when(t.decision.decided_at),
           t.decision.issue_id or "", t.pk, t.title, str(t.owner), t.due_date.isoformat(), t.status, t.progress,
           t.is_overdue] for t in tasks.iterator(chunk_size=500)),
    ]
    community_services.record_export(request.user, community=community, export=f"{community.slug}-decisions.csv")
    return csv_response(_prepend(header, iter(rows)), f"{community.slug}-decisions.csv")


def _prepend(header, rows):
    yield header
    yield from rows
