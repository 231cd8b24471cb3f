"""The public follow-up ledger: decisions and their tasks' progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import permissions as community_permissions
from community.models import Membership
from core.http import attempt

from ledger import forms, permissions, selectors, services
from ledger.models import Decision, Task


def outcomes(request):
    from community.http import current_community  # the issue views import this module

    community = current_community(request)
    tasks = Task.objects.select_related("owner_user", "owner_organisation").order_by("due_date", "pk")
    decisions = (
        Decision.objects.select_related("community", "issue", "decided_by")
        .annotate(
            task_count=Count("tasks", distinct=True),
            done_count=Count("tasks", filter=Q(tasks__status="done"), distinct=True),
        )
        .prefetch_related(Prefetch("tasks", queryset=tasks))
        .filter(is_public=True, community=community)  # one community's ledger, as every other list
        .order_by("-decided_at", "-pk")
    )
    filters = forms.OutcomeFilterForm(request.GET or None, community=community)
    if filters.is_valid():
        decisions = filters.apply(decisions)
    page = Paginator(decisions, 20).get_page(request.GET.get("page"))
    return render(request, "ledger/outcomes.html", {"page": page, "community": community, "filters": filters})


def _decision(request, pk: int) -> Decision:
    decision = get_object_or_404(Decision.objects.select_related("community", "issue", "decided_by"), pk=pk)
    if not permissions.can_view_decision(request.user, decision):
        raise Http404
    return decision


def decision_detail(request, pk: int, task_forms=None, new_task=None, no_follow_up=None):
    decision = _decision(request, pk)
    tasks = list(selectors.tasks_with_updates(decision.tasks.all()))
    follows_up = permissions.can_follow_up(request.user, decision)
    task_forms = task_forms or {}
    editable = {
        t.pk: task_forms.get(t.pk) or forms.TaskUpdateForm(prefix=f"task{t.pk}", initial={"status": "in_progress"})
        for t in tasks
        if t.status not in Task.FINISHED and permissions.can_update_task(request.user, t)
    }
    return render(request, "ledger/decision_detail.html", {
        "decision": decision, "tasks": tasks, "task_forms": editable,
        "new_task": (new_task or forms.NewTaskForm(community=decision.community)) if follows_up else None,
        "no_follow_up": (no_follow_up or forms.NoFollowUpForm()) if follows_up and not tasks else None,
    })


@require_POST
@login_required
def decision_add_task(request, pk: int):
    decision = _decision(request, pk)
    form = forms.NewTaskForm(request.POST, community=decision.community)
    if attempt(form, lambda d: services.add_task(request.user, decision_id=decision.pk, **forms.task_fields(d))):
        messages.success(request, _("The task is added; its owner is told."))
        return redirect(decision)
    return decision_detail(request, pk, new_task=form)


@require_POST
@login_required
def decision_no_follow_up(request, pk: int):
    decision = _decision(request, pk)
    form = forms.NoFollowUpForm(request.POST)
    if attempt(form, lambda d: services.mark_no_follow_up(request.user, decision_id=decision.pk, reason=d["reason"])):
        messages.success(request, _("Saved: this decision needs no follow-up."))
        return redirect(decision)
    return decision_detail(request, pk, no_follow_up=form)


def task_update_form(task_id: int, *args) -> forms.TaskUpdateForm:
    """Each task's form has its own prefix, so several fit on one page."""
    return forms.TaskUpdateForm(*args, prefix=f"task{task_id}", initial={"status": "in_progress"})


@login_required
def our_tasks(request):
    """The tasks a person owns, or their organisations own: what is open first, by due date, each with its form
    to post progress."""
    organisations = [m.organisation_id for m in community_permissions.memberships(request.user)
                     if m.role == Membership.Role.ORG_REP and m.organisation_id]
    owned = Task.objects.filter(Q(owner_user=request.user) | Q(owner_organisation__in=organisations))
    tasks = list(selectors.tasks_with_updates(owned.select_related("decision", "issue").order_by("due_date", "pk")))
    editable = {t.pk: task_update_form(t.pk) for t in tasks
                if t.status not in Task.FINISHED and permissions.can_update_task(request.user, t)}
    return render(request, "ledger/our_tasks.html", {
        "open_tasks": [t for t in tasks if t.status not in Task.FINISHED],
        "finished_tasks": [t for t in tasks if t.status in Task.FINISHED],
        "task_forms": editable,
    })
