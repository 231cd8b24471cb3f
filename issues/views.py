"""Issue pages: the public list, the work queue, raising, and an issue with its actions."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject as lazy
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from community import permissions as community_permissions
from community.http import current_community
from community.models import Community
from core import fragments as page_fragments
from core.http import error_messages, render_live
from issues import forms, permissions, selectors, services
from issues.models import Issue, IssueEvent, IssueFollow, Rating
from ledger import forms as ledger_forms
from ledger import permissions as ledger_permissions
from ledger import selectors as ledger_selectors
from ledger import services as ledger_services
from ledger.models import Task
from ledger.views import decision_detail, task_update_form


def issue_list(request):
    """The filter form and the page of results are the same for every reader: rendered once per state of the
    community's issues (a version their writes bump), language and query string, then read from the fragments
    cache; the work behind them is lazy, done only when they are rendered."""
    community = current_community(request)
    form = lazy(lambda: forms.IssueFilterForm(request.GET or None, community=community))
    filters = lazy(lambda: form.cleaned_data if form.is_valid() else {})

    def results():
        page = Paginator(selectors.issue_list(community, **filters), 20).get_page(request.GET.get("page"))
        page.object_list = selectors.with_followers(page.object_list)
        return page

    context = {
        "community": community,
        "form": form,
        "page": lazy(results),
        "grid_ids": lazy(lambda: [g.pk for g in community.grids.all()] if not filters.get("grid")
                         else [filters["grid"].pk]),
        "can_raise": community_permissions.home_grid(request.user, community) is not None,
        "has_queue": community_permissions.can_view_membership_queue(request.user, community),
        "fragment_version": page_fragments.version("issues", community.pk),
    }
    template = "issues/issue_list.html#results" if request.headers.get("HX-Request") else "issues/issue_list.html"
    return render(request, template, context)


@login_required
def work_queue(request):
    community = current_community(request)
    if not community_permissions.can_view_membership_queue(request.user, community):
        raise Http404
    context = {"community": community, **selectors.work_queue(request.user, community)}
    if community_permissions.is_grid_worker_in(request.user, community):
        context.update(selectors.my_day(request.user, community))
    return render(request, "issues/issue_queue.html", context)


@login_required
def worker_load(request, slug: str):
    community = get_object_or_404(Community, slug=slug)
    if not permissions.can_view_load(request.user, community):
        raise Http404
    return render(request, "issues/worker_load.html", {"community": community, **selectors.worker_load(community)})


@login_required
def issue_new(request):
    community = current_community(request)
    grids = selectors.grids_for_raising(request.user, community)
    if not grids:
        messages.info(request, _("To raise an issue, first ask to join your grid."))
        return redirect("community:join", slug=community.slug)
    on_behalf = community_permissions.is_committee(request.user, community) or community_permissions.is_grid_worker_in(
        request.user, community
    )
    form = forms.IssueForm(request.POST or None, request.FILES or None, grids=grids, on_behalf=on_behalf,
                           categories=community.categories.filter(active=True),
                           map_svg=selectors.building_map(community, grids))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issue = services.raise_issue(
                request.user, grid_id=data["grid"].pk, category_id=data["category"].pk, title=data["title"],
                body=data["body"], location=data["location"], name_public=data["name_public"],
                photos=data["photos"], contact=data["contact"], address=data["address"],
                building_id=data["building"].pk if data.get("building") else None,
                on_behalf_of=data.get("on_behalf_of", ""), channel=data.get("channel") or "online",
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_messages(error))
        else:
            if getattr(issue, "sent_again", False):
                messages.info(request, _("You sent this already; here is the result. Nothing was done twice."))
            else:
                messages.success(request, _("Your issue was raised. The grid workers have been told."))
            return redirect(issue)
    return render(request, "issues/issue_form.html", {"form": form, "community": community})


def issue_detail(request, pk: int, **bound):
    issue = get_object_or_404(selectors.issue_queryset(), pk=pk)
    return render_live(request, "issues/issue_detail.html", issue_context(request.user, issue, **bound))


def issue_context(user, issue: Issue, **bound) -> dict:
    """Everything the issue page shows, and the forms this person may use (bound ones keep input)."""
    following = bool(user.is_authenticated and IssueFollow.objects.filter(issue=issue, user=user).exists())
    looks_after = community_permissions.looks_after(user, issue.grid)
    tasks = issue.tasks.all()
    if not community_permissions.is_committee(user, issue.community):
        tasks = tasks.filter(decision__is_public=True)  # a closed meeting's tasks wait for its minutes
    tasks = list(ledger_selectors.tasks_with_updates(tasks))
    rated = bool(
        user.is_authenticated
        and Rating.objects.filter(issue=issue, user=user, round=issue.resolution_round).exists()
    )
    can_update = {t.pk for t in tasks if t.status not in Task.FINISHED and ledger_permissions.can_update_task(user, t)}
    task_forms = bound.pop("task_forms", {})
    context = {
        "issue": issue,
        "community": issue.community,
        "photos": list(issue.photos.all()),
        "consultations": list(issue.consultations.exclude(phase="draft")),
        "can_put_on_agenda": issue.is_open and community_permissions.is_committee(user, issue.community),
        "events": (events := list(issue.events.select_related("actor").order_by("created_at", "pk"))),
        "site_report_expected": issue.tier == Issue.Tier.EMERGENCY and issue.is_open
        and not any(e.kind == IssueEvent.Kind.ON_SITE_REPORT for e in events),
        "tasks": tasks,
        "task_forms": {pk: task_forms.get(pk) or task_update_form(pk) for pk in can_update},
        "followers": issue.follows.count(),
        "following": following,
        "case": issue.case if permissions.can_see_case(user, issue) else None,
        "looks_after": looks_after,
        "can_follow": permissions.can_follow(user, issue),
        "ratings": selectors.rating_summary(issue),
        "forms": {},
    }
    offer = {
        "comment": permissions.can_comment(user, issue),
        "triage": permissions.can_triage(user, issue),
        "ask": permissions.can_triage(user, issue),
        "decline": permissions.can_triage(user, issue),
        "merge": permissions.can_triage(user, issue),
        "assign": permissions.can_assign_task(user, issue),
        "report": permissions.can_handle(user, issue),
        "resolve": permissions.can_resolve(user, issue) and not context["site_report_expected"],
        "rate": permissions.can_rate(user, issue, following=following) and not rated,
        "edit": (own := user.is_authenticated and issue.reporter_id == user.pk and issue.status == Issue.Status.NEW),
        "withdraw": own,
        "hand_over": permissions.can_hand_over(user, issue),
        # the later apps' actions (put before a consultation) are for those who look after an open issue
        **{name: looks_after and issue.is_open for name in settings.YISHI_ISSUE_ACTIONS},
    }
    for name, allowed in offer.items():
        if allowed or f"{name}_form" in bound:
            context["forms"][name] = bound.get(f"{name}_form") or blank_form(name, issue)
    context["unfinished_tasks"] = any(t.status not in Task.FINISHED for t in tasks)
    return context


def blank_form(action: str, issue):
    extra = _form_extra(action, issue)
    if action == "edit":
        extra["initial"] = {"title": issue.title, "body": issue.body, "location": issue.location}
    return actions()[action][0](prefix=action, **extra)


# Actions: each binds its form, calls one service, and either redirects back to the
# issue or shows the issue again with the form still filled in and the reason why.
def _triage(user, issue, data):
    services.triage_issue(
        user, issue_id=issue.pk, tier=data["tier"], note=data["note"], task_title=data["task_title"],
        owner_user_id=data["owner_user"] and data["owner_user"].pk,
        owner_organisation_id=data["owner_organisation"] and data["owner_organisation"].pk,
        due_date=data["due_date"], consultation_id=data.get("consultation") and data["consultation"].pk,
    )


def _assign(user, issue, data):
    services.assign_task(
        user, issue_id=issue.pk, title=data["task_title"] or issue.title,
        owner_user_id=data["owner_user"] and data["owner_user"].pk,
        owner_organisation_id=data["owner_organisation"] and data["owner_organisation"].pk,
        due_date=data["due_date"],
    )


ACTIONS = {
    "comment": (forms.CommentForm, lambda u, i, d: services.comment_on_issue(u, issue_id=i.pk, text=d["text"]),
                gettext_lazy("Your comment was added.")),
    "ask": (forms.QuestionForm,
            lambda u, i, d: services.ask_for_information(u, issue_id=i.pk, question=d["question"]),
            gettext_lazy("Your question was sent to the reporter.")),
    "triage": (forms.TriageForm, _triage, gettext_lazy("The issue was triaged.")),
    "assign": (ledger_forms.TaskFieldsForm, _assign, gettext_lazy("The task was assigned.")),
    "decline": (forms.ReasonForm, lambda u, i, d: services.decline_issue(u, issue_id=i.pk, reason=d["reason"]),
                gettext_lazy("The issue was declined and the reporter told why.")),
    "merge": (forms.MergeForm, lambda u, i, d: services.merge_issue(u, issue_id=i.pk, into_id=d["into"]),
              gettext_lazy("The issue was merged.")),
    "report": (forms.ReportForm, lambda u, i, d: services.report_on_site(u, issue_id=i.pk, text=d["text"]),
               gettext_lazy("Your on-site report was added.")),
    "resolve": (forms.ResolveForm, lambda u, i, d: services.resolve_issue(u, issue_id=i.pk, note=d["note"]),
                gettext_lazy("The issue is resolved. The reporter and followers are asked to rate it.")),
    "edit": (forms.OwnIssueForm, lambda u, i, d: services.edit_own_issue(
        u, issue_id=i.pk, title=d["title"], body=d["body"], location=d["location"]),
        gettext_lazy("Your issue is corrected.")),
    "withdraw": (forms.WithdrawForm, lambda u, i, d: services.withdraw_issue(u, issue_id=i.pk, reason=d["reason"]),
                 gettext_lazy("Your issue is withdrawn. The grid workers are told.")),
    "hand_over": (forms.HandOverForm,
                  lambda u, i, d: services.hand_over_issue(u, issue_id=i.pk, to_user_id=d["to"].pk, note=d["note"]),
                  gettext_lazy("The issue was handed over. The grid worker and the reporter are told.")),
    "rate": (forms.RatingForm,
             lambda u, i, d: services.rate_issue(u, issue_id=i.pk, score=d["score"], comment=d["comment"]),
             gettext_lazy("Thank you for your rating.")),
}
COMMUNITY_FORMS = {"triage", "assign"}


def actions() -> dict:
    """This app's actions and those the later apps add (``YISHI_ISSUE_ACTIONS``: name → (form, call, done)).

    A later app's form takes the community, like triage's; e.g. consult's "put before a consultation".
    """
    return {**ACTIONS, **{name: import_string(path) for name, path in settings.YISHI_ISSUE_ACTIONS.items()}}


def _takes_community(action: str) -> bool:
    return action in COMMUNITY_FORMS or action in settings.YISHI_ISSUE_ACTIONS


def _form_extra(action: str, issue) -> dict:
    if action == "hand_over":
        return {"issue": issue}
    return {"community": issue.community} if _takes_community(action) else {}


@require_POST
@login_required
def issue_action(request, pk: int, action: str):
    if action not in actions():
        raise Http404
    issue = get_object_or_404(selectors.issue_queryset(), pk=pk)
    form_class, call, done = actions()[action]
    form = form_class(request.POST, prefix=action, **_form_extra(action, issue))
    if form.is_valid():
        try:
            call(request.user, issue, form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            for message in error_messages(error):
                form.add_error(None, message)
        else:
            messages.success(request, done)
            return redirect(issue)
    return issue_detail(request, pk, **{f"{action}_form": form})


@require_POST
@login_required
def follow(request, pk: int):
    try:
        if request.POST.get("follow") == "0":
            services.unfollow_issue(request.user, issue_id=pk)
        else:
            services.follow_issue(request.user, issue_id=pk)
    except ValidationError:
        raise Http404 from None
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect("issues:issue-detail", pk=pk)


@require_POST
@login_required
def task_update(request, pk: int):
    task = get_object_or_404(Task.objects.select_related("issue"), pk=pk)
    form = task_update_form(task.pk, request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            ledger_services.post_task_update(request.user, task_id=task.pk, text=data["text"], progress=data["progress"],
                                      status=data["status"], photo=data["photo"])
        except (ValidationError, PermissionDenied) as error:
            for message in error_messages(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("Your update was posted."))
            return redirect(task.issue or task.decision)
    if task.issue_id:
        return issue_detail(request, task.issue_id, task_forms={task.pk: form})
    return decision_detail(request, task.decision_id, task_forms={task.pk: form})
