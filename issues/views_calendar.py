"""The community's working calendar page: national holidays, make-up days, local days, deadlines.

It lives with the issues because it also sets each category's deadlines (the community app does not
know categories); the calendar itself and its services are the community app's.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from community import permissions
from community.models import Community
from community.selectors import calendar_month, describe_deadline
from community.services import calendar as calendar_services
from core.http import error_messages
from issues.deadlines import resolution_deadline, response_deadline
from issues.forms_calendar import CategoryDeadlinesForm, DeadlinesForm, LocalDayForm
from issues.services.categories import set_category_deadlines


def _month(request) -> date:
    text = request.GET.get("month") or request.POST.get("month") or ""
    try:
        year, month = (int(x) for x in text.split("-"))
        return date(year, month, 1) if 2000 <= year <= 2100 else None
    except ValueError:
        return None


@login_required
def calendar_page(request, slug: str):
    community = get_object_or_404(Community, slug=slug)
    if not permissions.can_view_calendar(request.user, community):
        raise Http404
    keeper = permissions.can_keep_calendar(request.user, community)
    forms = {"day_form": LocalDayForm(), "deadlines_form": DeadlinesForm(initial={
        f: getattr(community, f) for f in DeadlinesForm.base_fields})}
    if request.method == "POST":
        if not keeper:
            raise PermissionDenied
        done, forms = _post(request, community, forms)
        if done:
            return redirect(f"{request.path}?month={(_month(request) or timezone.localdate()):%Y-%m}")
    return render(request, "issues/calendar.html", _context(request, community, keeper, forms))


def _post(request, community: Community, forms: dict) -> tuple[bool, dict]:
    """Run the one change the form asked for; (True, forms) when done, else the forms with their errors."""
    action, user = request.POST.get("action"), request.user
    form = {"add-day": LocalDayForm, "deadlines": DeadlinesForm, "category": CategoryDeadlinesForm,
            "remove-day": None}.get(action, False)
    if form is False:
        messages.error(request, _("Choose what to change."))
        return False, forms
    bound = form(request.POST) if form else None
    try:
        if bound is not None and not bound.is_valid():
            raise ValidationError([f"{bound.fields[name].label or ''}: {' '.join(errors)}".lstrip(": ")
                                   for name, errors in bound.errors.items()])
        if action == "add-day":
            calendar_services.add_local_day(user, community_id=community.pk, **bound.cleaned_data)
            messages.success(request, _("The day is on the calendar."))
        elif action == "remove-day":
            day_id = request.POST.get("local_day", "")
            calendar_services.remove_local_day(user, community_id=community.pk,
                                               local_day_id=int(day_id) if day_id.isdigit() else 0)
            messages.success(request, _("The day is off the calendar."))
        elif action == "deadlines":
            calendar_services.set_deadlines(user, community_id=community.pk, **bound.cleaned_data)
            messages.success(request, _("The deadlines are saved. Issues raised from now on follow them."))
        else:
            data = dict(bound.cleaned_data)
            category_id = data.pop("category")
            if not community.categories.filter(pk=category_id).exists():
                raise ValidationError(_("Choose one of the community's categories."))
            set_category_deadlines(user, category_id=category_id, **data)
            messages.success(request, _("The category's deadlines are saved."))
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
        if action in ("add-day", "deadlines"):
            forms["day_form" if action == "add-day" else "deadlines_form"] = bound
        return False, forms
    return True, forms


def _context(request, community: Community, keeper: bool, forms: dict) -> dict:
    first = _month(request) or timezone.localdate().replace(day=1)
    month = calendar_month(community, first.year, first.month)
    categories = []
    for category in community.categories.all():
        categories.append({
            "category": category,
            "response": describe_deadline(*response_deadline(community, category)),
            "resolution": describe_deadline(*resolution_deadline(community, category)),
            "own": bool(category.response_deadline or category.resolution_deadline),
            "form": CategoryDeadlinesForm(initial={
                "category": category.pk, "response_amount": category.response_deadline,
                "response_unit": category.response_deadline_unit, "resolution_amount": category.resolution_deadline,
                "resolution_unit": category.resolution_deadline_unit}),
        })
    return {
        "community": community, "keeper": keeper, "month": first, **month, **forms,
        "previous": date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1),
        "next": date(first.year + (first.month == 12), first.month % 12 + 1, 1),
        "response": describe_deadline(community.response_deadline, community.response_deadline_unit),
        "resolution": describe_deadline(community.resolution_deadline, community.resolution_deadline_unit),
        "categories": categories, "today": timezone.localdate(),
    }
