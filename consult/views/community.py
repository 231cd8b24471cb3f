"""Pages of the community structure: home, community, grid, account, membership queue."""

import asyncio
import contextlib

from allauth.account.decorators import reauthentication_required
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from consult import permissions, selectors, services
from consult import selectors_issues as issue_selectors
from consult.forms import ApiTokenForm, MembershipRequestForm, ProfileForm, RejectForm
from consult.models import ApiToken, Community, Grid, MembershipRequest


def _show_errors(request, error: ValidationError | PermissionDenied) -> None:
    for message in getattr(error, "messages", None) or [str(error)]:
        messages.error(request, message)


def home(request):
    communities = list(Community.objects.all()[:2])
    if len(communities) == 1:
        return community_detail(request, slug=communities[0].slug, template="consult/home.html")
    return render(request, "consult/community_list.html", {"communities": Community.objects.all()})


def community_detail(request, slug: str, template: str = "consult/community_detail.html"):
    community = get_object_or_404(Community, slug=slug)
    context = {
        "community": community,
        "grids": selectors.grids_with_counts(community),
        "organisations": selectors.organisations_with_reps(community),
        "committee": selectors.committee_of(community),
        "counts": selectors.community_counts(community),
        "home_grid": permissions.home_grid(request.user, community),
        "can_view_queue": permissions.can_view_membership_queue(request.user, community),
        "can_view_audit": permissions.can_view_audit_log(request.user, community),
        "figures": issue_selectors.figures(community.issues.all()),
        "by_grid": issue_selectors.figures(community.issues.all(), by="grid"),
        "recent_issues": issue_selectors.with_followers(issue_selectors.issue_list(community)[:5]),
        "open_consultations": community.consultations.filter(
            phase__in=["collecting", "deliberation", "voting"]
        ).order_by("-phase_changed_at")[:3],
    }
    if context["can_view_queue"]:
        context["queue_count"] = selectors.membership_queue(request.user, community).count()
    return render(request, template, context)


def grid_detail(request, slug: str, number: int):
    grid = get_object_or_404(Grid.objects.select_related("community"), community__slug=slug, number=number)
    looks_after = permissions.looks_after(request.user, grid)
    context = {
        "grid": grid,
        "community": grid.community,
        "workers": selectors.workers_of(grid),
        "resident_count": selectors.residents_of(grid).count(),
        "organisations": selectors.organisations_with_reps(grid.community),
        "is_resident": permissions.is_resident_of(request.user, grid),
        "can_request": permissions.can_request_membership(request.user, grid),
        "residents": selectors.residents_of(grid) if looks_after else None,
        "figures": issue_selectors.figures(grid.issues.all()),
        "by_category": issue_selectors.figures(grid.issues.all(), by="category"),
        "by_organisation": issue_selectors.figures(grid.issues.all(), by="organisation"),
        "recent_issues": issue_selectors.with_followers(issue_selectors.issue_list(grid.community, grid=grid)[:5]),
    }
    return render(request, "consult/grid_detail.html", context)


@login_required
def join(request, slug: str):
    community = get_object_or_404(Community, slug=slug)
    form = MembershipRequestForm(request.POST or None, community=community,
                                 initial={"grid": request.GET.get("grid")})
    if request.method == "POST" and form.is_valid():
        try:
            services.request_membership(
                request.user,
                grid_id=form.cleaned_data["grid"].pk,
                unit=form.cleaned_data["unit"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your request was sent. A grid worker will answer it."))
            return redirect("consult:account")
    return render(request, "consult/membership_request_form.html", {"form": form, "community": community})


@login_required
def account(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("consult:account")
    context = {
        "form": form,
        "memberships": request.user.memberships.select_related("community", "grid", "organisation"),
        "requests": request.user.membership_requests.select_related("grid__community", "decided_by"),
        "communities": Community.objects.all(),
    }
    return render(request, "consult/account.html", context)


@never_cache
@login_required
@reauthentication_required
def api_tokens(request):
    """Personal API tokens: create (the secret is shown on this one response only), list, revoke."""
    form = ApiTokenForm(request.POST or None)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = services.create_api_token(request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = ApiTokenForm()
    context = {
        "form": form,
        "created": created,
        "secret": secret,
        "tokens": ApiToken.objects.filter(user=request.user),
    }
    return render(request, "consult/api_tokens.html", context)


@require_POST
@login_required
def revoke_api_token(request, pk: int):
    try:
        token = services.revoke_api_token(request.user, token_id=pk)
    except ValidationError:
        raise Http404 from None
    messages.success(request, _("The token “%(name)s” was revoked: it no longer works.") % {"name": token.name})
    return redirect("consult:api-tokens")


@require_POST
@login_required
def withdraw_request(request, pk: int):
    get_object_or_404(MembershipRequest, pk=pk, user=request.user)  # another's request: 404
    try:
        services.withdraw_membership_request(request.user, request_id=pk)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("Your request was withdrawn."))
    return redirect("consult:account")


@login_required
def membership_queue(request, slug: str):
    community = get_object_or_404(Community, slug=slug)
    if not permissions.can_view_membership_queue(request.user, community):
        raise Http404
    context = {
        "community": community,
        "pending": selectors.membership_queue(request.user, community),
        "decided": selectors.recent_decisions(request.user, community),
    }
    return render(request, "consult/membership_queue.html", context)


@require_POST
@login_required
def decide_request(request, slug: str, pk: int, decision: str):
    membership_request = get_object_or_404(MembershipRequest, pk=pk, grid__community__slug=slug)
    if not permissions.looks_after(request.user, membership_request.grid):
        raise Http404
    form = RejectForm(request.POST)
    try:
        if decision == "approve":
            services.approve_membership_request(request.user, request_id=pk)
            messages.success(request, _("%(name)s is now a verified resident.")
                             % {"name": membership_request.user.public_name})
        elif form.is_valid():
            services.reject_membership_request(request.user, request_id=pk, reason=form.cleaned_data["reason"])
            messages.success(request, _("The request was declined and the resident told why."))
        else:
            messages.error(request, _("Give the resident a reason, so they know what to do next."))
    except (ValidationError, PermissionDenied) as error:
        _show_errors(request, error)
    return redirect("consult:membership-queue", slug=slug)


@require_POST
def set_language(request):
    """Switch the language; a signed-in person keeps it as their preference."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in {"en", "zh-hans"}:
        services.update_profile(
            request.user,
            display_name=request.user.display_name,
            language=language,
            age_band=request.user.age_band,
        )
    return i18n.set_language(request)


@never_cache
def healthz(request):
    """Liveness for load balancers: the database and the channel layer answer."""
    status = {"database": "ok", "channel_layer": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 - report any failure, do not raise
        status["database"] = f"error: {error.__class__.__name__}"
    try:
        async_to_sync(_layer_round_trip)(get_channel_layer())
    except Exception as error:  # noqa: BLE001
        status["channel_layer"] = f"error: {error.__class__.__name__}"
    healthy = all(value == "ok" for value in status.values())
    return JsonResponse({"status": "ok" if healthy else "error", **status}, status=200 if healthy else 503)


async def _layer_round_trip(layer) -> None:
    """A message to a fresh channel and back, within a few seconds; then the channel is let go."""
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "healthz"})
    await asyncio.wait_for(layer.receive(channel), timeout=5)
    # The pub/sub layer unsubscribes a channel only when a receive on it is cancelled: without this,
    # every probe would leave a subscription behind in Redis and in the process.
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(layer.receive(channel), timeout=0.01)


def media(request, path: str):
    """Uploaded photos. They are re-encoded on upload, so each file is a plain image."""
    from django.conf import settings
    from django.views.static import serve

    return serve(request, path, document_root=settings.MEDIA_ROOT)
