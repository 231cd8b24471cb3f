"""Pages of the community structure: home, community, grid, account, membership queue."""


from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from community import permissions, selectors, services
from community.forms import ApiTokenForm, MembershipRequestForm, ProfileForm, RejectForm
from community.models import ApiToken, Community, Language, MembershipRequest


def _show_errors(request, error: ValidationError | PermissionDenied) -> None:
    for message in getattr(error, "messages", None) or [str(error)]:
        messages.error(request, message)


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
            return redirect("community:account")
    return render(request, "community/membership_request_form.html", {"form": form, "community": community})


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
            return redirect("community:account")
    context = {
        "form": form,
        "memberships": request.user.memberships.select_related("community", "grid", "organisation"),
        "requests": request.user.membership_requests.select_related("grid__community", "decided_by"),
        "communities": Community.objects.all(),
    }
    return render(request, "community/account.html", context)


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
    return render(request, "community/api_tokens.html", context)


@require_POST
@login_required
def revoke_api_token(request, pk: int):
    try:
        token = services.revoke_api_token(request.user, token_id=pk)
    except ValidationError:
        raise Http404 from None
    messages.success(request, _("The token “%(name)s” was revoked: it no longer works.") % {"name": token.name})
    return redirect("community:api-tokens")


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
    return redirect("community:account")


@login_required
def membership_queue(request, slug: str):
    community = get_object_or_404(Community, slug=slug)
    if not permissions.can_view_membership_queue(request.user, community):
        raise Http404
    context = {
        "community": community,
        "pending": selectors.membership_queue(request.user, community),
        "decided": selectors.recent_membership_decisions(request.user, community),
    }
    return render(request, "community/membership_queue.html", context)


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
    return redirect("community:membership-queue", slug=slug)


@require_POST
def set_language(request):
    """Switch the language; a signed-in person keeps it as their preference."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in Language.values:
        services.update_profile(
            request.user,
            display_name=request.user.display_name,
            language=language,
            age_band=request.user.age_band,
        )
    return i18n.set_language(request)
