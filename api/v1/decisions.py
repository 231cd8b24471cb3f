"""The public ledger: decisions, their tasks and progress reports."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import paginate

from api.v1.community import in_community
from api.v1.pagination import Pages
from api.v1.schemas import Day, DecisionOut, Error, Id
from ledger.models import Decision, Task, TaskUpdate

router = Router(tags=["decisions"])


def public_decisions():
    tasks = (Task.objects.select_related("owner_user", "owner_organisation").order_by("due_date", "pk")
             .prefetch_related(Prefetch("updates", queryset=TaskUpdate.objects.order_by("created_at", "pk"))))
    return (Decision.objects.filter(is_public=True).select_related("community")
            .prefetch_related(Prefetch("tasks", queryset=tasks)))


@router.get("/decisions", response={200: list[DecisionOut], 422: Error}, summary="Decisions with their tasks")
@paginate(Pages)
def decision_list(request, community: str | None = None, source: Decision.Source | None = None,
                  issue: Id | None = None, consultation: Id | None = None, since: Day | None = None,
                  until: Day | None = None):
    """Latest first; `since`/`until` filter the day decided (inclusive)."""
    decisions = in_community(public_decisions(), community)
    if source:
        decisions = decisions.filter(source=source)
    if issue is not None:
        decisions = decisions.filter(issue_id=issue)
    if consultation is not None:
        decisions = decisions.filter(consultation_id=consultation)
    if since:
        decisions = decisions.filter(decided_at__date__gte=since)
    if until:
        decisions = decisions.filter(decided_at__date__lte=until)
    return decisions.order_by("-decided_at", "-pk")


@router.get("/decisions/{decision_id}", response={200: DecisionOut, 404: Error, 422: Error}, summary="A decision")
def decision_detail(request, decision_id: Id):
    return get_object_or_404(public_decisions(), pk=decision_id)
