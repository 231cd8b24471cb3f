"""The public follow-up ledger: decisions and their tasks' progress; and a person's notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consult import forms, permissions, services
from consult import selectors_issues as selectors
from consult.models import Decision, Task


def outcomes(request):
    from consult.views.issues import current_community  # the issue views import this module

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
    page = Paginator(decisions, 20).get_page(request.GET.get("page"))
    return render(request, "consult/outcomes.html", {"page": page, "community": community})


def decision_detail(request, pk: int, task_forms=None):
    decision = get_object_or_404(Decision.objects.select_related("community", "issue", "decided_by"), pk=pk)
    if not permissions.can_view_decision(request.user, decision):
        raise Http404
    tasks = list(selectors.tasks_with_updates(decision.tasks.all()))
    task_forms = task_forms or {}
    editable = {
        t.pk: task_forms.get(t.pk) or forms.TaskUpdateForm(prefix=f"task{t.pk}", initial={"status": "in_progress"})
        for t in tasks
        if t.status not in Task.FINISHED and permissions.can_update_task(request.user, t)
    }
    return render(request, "consult/decision_detail.html",
                  {"decision": decision, "tasks": tasks, "task_forms": editable})


@login_required
def notifications(request):
    items = request.user.notifications.all()[:100]
    return render(request, "consult/notifications.html", {"items": items})


@require_POST
@login_required
def notifications_read(request):
    services.mark_notifications_read(request.user)
    messages.success(request, _("All notifications are marked read."))
    return redirect("consult:notifications")
