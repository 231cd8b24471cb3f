"""Owners' decisions: set one up, its page (rules, each owner's vote, the result by area and by owners)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from community.http import current_community
from core.http import error_messages
from polls import services
from polls.forms import OwnersDecisionForm
from polls.models import Poll
from polls.views import _visible


@login_required
def owners_new(request):
    community = current_community(request)
    if not services.can_manage(request.user, community):
        raise PermissionDenied(_("The committee sets owners' decisions up."))
    form = OwnersDecisionForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            poll = services.create_owners_decision(
                request.user, community_id=community.pk, title=d["title"], body=d["body"], matter=d["matter"],
                building_id=d["building"] and d["building"].pk, opens_at=d["opens_at"], closes_at=d["closes_at"],
                show_unit_votes=d["show_unit_votes"], announce_days=d["announce_days"] or 7)
        except (ValidationError, PermissionDenied) as error:
            for message in error_messages(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("The owners' decision is saved as a draft. Check it, then open it: the "
                                        "roll of owners is taken from the register then."))
            return redirect(poll)
    return render(request, "polls/owners_form.html", {"form": form, "community": community})


def owners_detail(request, poll: Poll):
    parties = services.parties_of(request.user, poll) if poll.status == Poll.Status.OPEN else []
    official = services.is_official(request.user, poll.community)
    context = {
        "poll": poll, "community": poll.community, "mine": parties, "official": official,
        "can_manage": services.can_manage(request.user, poll),
        "special": poll.matter in (6, 7, 8), "result": poll.result,
    }
    if official and poll.status != Poll.Status.DRAFT:
        context["paper"] = services.paper_state(poll)
        context["roll"] = list(poll.parties.select_related("ballot").order_by("pk"))
        context["proxies"] = list(poll.proxies.select_related("party", "proxy", "witnessed_by").order_by("pk"))
    return render(request, "polls/owners_detail.html", context)


@require_POST
@login_required
def owner_vote(request, pk: int):
    poll = _visible(request, pk)
    try:
        services.cast_owner_ballot(request.user, poll_id=poll.pk, party_id=int(request.POST.get("party") or 0),
                                   choice=request.POST.get("choice", ""))
    except (ValidationError, PermissionDenied) as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Your vote is counted. Thank you."))
    return redirect(f"{poll.get_absolute_url()}#vote-title")


def _official_post(request, pk: int, action) -> object:
    poll = _visible(request, pk)
    try:
        outcome = action(poll)
    except (ValidationError, PermissionDenied) as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, outcome)
    return redirect(f"{poll.get_absolute_url()}#paper-title")


PAPER_OUTCOMES = {
    "waiting": gettext_lazy("Keyed in. A second official keys the same paper ballot; then it counts."),
    "counted": gettext_lazy("Keyed in the same way twice: the paper ballot is counted."),
    "differs": gettext_lazy("The two keyings differ. Look at the paper and settle it below."),
    "duplicate": gettext_lazy("This unit had voted already: the paper ballot is kept on record but not counted."),
}


@require_POST
@login_required
def paper_ballot(request, pk: int):
    def act(poll):
        outcome = services.key_paper_ballot(request.user, poll_id=poll.pk, party_id=_int(request.POST.get("party")),
                                            choice=request.POST.get("choice", ""))
        return PAPER_OUTCOMES[outcome]
    return _official_post(request, pk, act)


@require_POST
@login_required
def settle_paper(request, pk: int):
    def act(poll):
        services.settle_paper_ballot(request.user, poll_id=poll.pk, party_id=_int(request.POST.get("party")),
                                     choice=request.POST.get("choice", ""))
        return _("Settled: the paper ballot is counted as you read it.")
    return _official_post(request, pk, act)


@require_POST
@login_required
def proxy(request, pk: int):
    def act(poll):
        services.record_proxy(request.user, poll_id=poll.pk, party_id=_int(request.POST.get("party")),
                              proxy_email=request.POST.get("proxy_email", ""), form=request.FILES.get("form"))
        return _("The proxy is recorded: they can now vote for these units, once.")
    return _official_post(request, pk, act)


def _int(value) -> int:
    return int(value) if (value or "").isdigit() else 0
