"""My account → Your data: download everything held about you, or delete your account."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from community import personal_data, services
from community.forms_privacy import DeleteAccountForm
from community.services.accounts import deletion_blockers


@never_cache
@login_required
@reauthentication_required
def download_data(request):
    """One JSON file with everything the platform holds about the signed-in person."""
    response = HttpResponse(personal_data.as_json(request.user), content_type="application/json; charset=utf-8")
    filename = f"yishi-my-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
def delete_account(request):
    """Asks for the password and a confirmation, then erases the account and signs the person out everywhere."""
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_account(request.user, user_id=request.user.pk)
        except (ValidationError, PermissionDenied) as error:
            for message in getattr(error, "messages", None) or [str(error)]:
                messages.error(request, message)
        else:
            logout(request)
            messages.success(request, _("Your account was deleted. What you wrote in public stays, under "
                                        "“Former member”; nothing links it to you any more."))
            return redirect("insights:home")
    context = {"form": form, "blockers": deletion_blockers(request.user)}
    return render(request, "community/account_delete.html", context)
