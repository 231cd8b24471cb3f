"""Poll pages: the list, set-up, voting with a receipt, results with charts, and the public recount."""


from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject as lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from community.http import current_community
from core import fragments as page_fragments
from core.http import (
    Confirm,
    attempt,
    confirm_page,
    confirmed,
    error_messages,
    render_live,
)
from core.text import whole_number
from polls import services, wording
from polls.forms import DraftForm, PollForm, ballot_form
from polls.models import Observer, Option, Poll

RECEIPT_DAYS = 30


def _receipt_cookie(poll_id: int) -> str:
    return f"yishi-receipt-{poll_id}"


def _receipt_of(request, poll: Poll) -> str | None:
    """The receipt this browser was given for this poll, in a cookie signed for this person.

    A cookie, not the session: casting a ballot then writes to the database once, so a busy vote
    cannot count a ballot and then fail to say so."""
    if not request.user.is_authenticated:
        return None
    return request.get_signed_cookie(_receipt_cookie(poll.pk), default=None, salt=f"receipt:{request.user.pk}",
                                      max_age=RECEIPT_DAYS * 86400)


def _visible(request, pk: int, related=("community", "grid", "meeting", "decision", "consultation"),
             fields=()) -> Poll:
    polls = Poll.objects.select_related(*related) if related else Poll.objects.all()
    poll = get_object_or_404(polls.only(*fields) if fields else polls, pk=pk)
    if not services.can_view(request.user, poll):
        raise Http404
    return poll


def poll_list(request):
    community = current_community(request)
    polls = list(community.polls.select_related("meeting").order_by("-created_at"))
    manage = services.can_manage(request.user, community)
    polls = [p for p in polls if p.status != Poll.Status.DRAFT or manage]
    polls = [p for p in polls if not p.meeting_id or p.meeting.is_public or manage]
    context = {
        "community": community,
        "open": [p for p in polls if p.status == Poll.Status.OPEN],
        "closed": [p for p in polls if p.status == Poll.Status.CLOSED],
        "drafts": [p for p in polls if p.status == Poll.Status.DRAFT],
        "can_manage": manage,
    }
    return render(request, "polls/poll_list.html", context)


@login_required
def poll_new(request):
    community = current_community(request)
    if not services.can_manage(request.user, community):
        raise PermissionDenied(_("The committee sets polls up, or the chair inside a meeting."))
    form = PollForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            poll = services.create_poll(
                request.user, community_id=community.pk, title=d["title"], body=d["body"], method=d["method"],
                options=form.option_list(), min_choices=d["min_choices"], max_choices=d["max_choices"],
                audience=d["audience"], grid_id=d["grid"] and d["grid"].pk, opens_at=d["opens_at"],
                closes_at=d["closes_at"], secret=d["secret"], quorum_kind=d["quorum_kind"],
                quorum_value=d["quorum_value"], threshold=d["threshold"], threshold_base=d["threshold_base"],
                live_results=d["live_results"],
            )
        except (ValidationError, PermissionDenied) as error:
            for message in error_messages(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("The poll is saved as a draft. Check it, then open it for voting."))
            return redirect(poll)
    return render(request, "polls/poll_form.html", {"form": form, "community": community})


@login_required
def poll_edit(request, pk: int):
    """A draft's question and options, checked and corrected before it opens."""
    poll = _visible(request, pk)
    if not services.can_manage(request.user, poll, poll.meeting):
        raise PermissionDenied(_("Only those who set the poll up edit it."))
    if poll.status != Poll.Status.DRAFT:
        messages.info(request, _("This poll is open or closed: its question and options are fixed."))
        return redirect(poll)
    options = list(poll.options.select_related("proposal"))
    form = DraftForm(request.POST or None, poll=poll, options=options)
    if request.method == "POST" and attempt(form, lambda d: services.edit_draft(
            request.user, poll_id=poll.pk, title=d["title"], body=d["body"], options=form.option_texts(),
            remove=form.removed(), new_options=form.added())):
        messages.success(request, _("The draft is saved. Check the ballot below, then open it for voting."))
        return redirect(poll)
    return render(request, "polls/poll_edit.html", {"form": form, "poll": poll, "community": poll.community})


OPEN_VOTES_PER_PAGE = 100


def _options(poll: Poll) -> list[Option]:
    """The poll's options in ballot order, to keep in the fragments cache: read without the poll (``poll.options``
    would attach the poll to each, and the cache would keep a copy of it)."""
    return list(Option.objects.filter(poll_id=poll.pk))


def poll_detail(request, pk: int, ballot=None):
    # Past its closing time but not yet counted, it reads "voting ended". Its decision is only linked to, by id.
    poll = _visible(request, pk, related=("community", "grid", "meeting", "consultation"))
    if poll.kind == Poll.Kind.OWNERS:
        from polls.owners_views import owners_detail  # it imports this module

        return owners_detail(request, poll)
    user = request.user
    manage = services.can_manage(user, poll, poll.meeting)
    version = page_fragments.version("poll", poll.pk)
    # Options and observers change only with the poll's version (polls/apps.py): kept under it, not read each time.
    options, observers = page_fragments.remembered(("poll-page", poll.pk, version), lambda: (
        _options(poll), list(Observer.objects.filter(poll_id=poll.pk).select_related("user").only(*OBSERVER_FIELDS))))
    eligible = bool(user.is_authenticated and (
        poll.voters.filter(user=user).exists() if poll.status != Poll.Status.DRAFT
        else services.eligible_users(poll).filter(pk=user.pk).exists()))
    voted = services.has_voted(user, poll)
    context = {
        "poll": poll,
        "community": poll.community,
        "options": options,
        "can_manage": manage,
        "eligible": eligible,
        "voted": voted,
        "ballot": ballot or (ballot_form(poll, options, initial=_current(poll, user))
                             if poll.is_open and eligible and (not voted or not poll.secret) else None),
        "receipt": _receipt_of(request, poll),
        "results": lazy(lambda: _results(poll, options)),  # lazy: read when its cached fragment is stale
        "rules_said": wording.rules_sentences(poll),
        "observers": _observers(request, poll, manage, observers),
        "tiebreak": wording.tiebreak_names(poll, options),
        "fragment_version": version,
    }
    if not poll.secret and poll.shows_counts:  # who voted what, a hundred names a page
        votes = poll.open_votes.select_related("user").order_by("user__display_name", "pk")
        page = lazy(lambda: Paginator(votes, OPEN_VOTES_PER_PAGE).get_page(request.GET.get("votes")))
        context["votes_page"] = page
        context["open_votes"] = lazy(lambda: [(v.user.public_name, describe(poll, v.choices, options))
                                              for v in page.object_list])
    return render_live(request, "polls/poll_detail.html", context)


def describe(poll: Poll, choices, options: list) -> str:
    """A ballot in words: "Yes", "Green", "1. Lift, 2. Canteen", "Green 5, Blue 0"."""
    names = {o.pk: o.text for o in options}
    if poll.method == Poll.Method.YES_NO:
        return {"yes": _("Yes"), "no": _("No"), "abstain": _("Abstain")}.get(choices, str(choices))
    if poll.method == Poll.Method.SINGLE:
        return names.get(choices, "?")
    if poll.method == Poll.Method.MULTIPLE:
        return ", ".join(names.get(c, "?") for c in choices)
    if poll.method == Poll.Method.RANKED:
        return ", ".join(f"{n}. {names.get(c, '?')}" for n, c in enumerate(choices, start=1))
    return ", ".join(f"{names.get(int(k), '?')} {v}" for k, v in choices.items())


def _current(poll: Poll, user) -> object:
    """An open ballot's current choices, to show when the voter comes back to change them."""
    if poll.secret or not user.is_authenticated:
        return None
    vote = poll.open_votes.filter(user=user).first()
    return vote.choices if vote else None


def _results(poll: Poll, options: list) -> dict | None:
    """What the results section shows: from the frozen result once closed, or counted live if allowed."""
    if not poll.shows_counts or (poll.status == Poll.Status.CLOSED and poll.result is None):
        return None  # closed a moment ago and being counted: the page says so
    result = poll.result if poll.status == Poll.Status.CLOSED else services.live_count(poll)
    names = {str(o.pk): o.text for o in options}
    labels = {"yes": _("Yes"), "no": _("No"), "abstain": _("Abstain")}
    rows = [(labels.get(key) or names.get(key, key), value)
            for key, value in services.counts_in_ballot_order(poll, result["counts"], options)]
    bars = _bars(rows)
    rounds = result.get("rounds", [])
    matrix = {  # one row per option, one column per round ("" once eliminated)
        "numbers": list(range(1, len(rounds) + 1)),
        "rows": [(names[key], [r["counts"].get(key, "") for r in rounds]) for key in names] if rounds else [],
        "exhausted": [r["exhausted"] for r in rounds],
        "eliminated": [_eliminated(r, names) for r in rounds],
    }
    charts = []  # ranked: one chart per round; an eliminated option stays, greyed, with no votes
    out: set[str] = set()
    for n, r in enumerate(rounds, start=1):
        round_bars = _bars([(names[key], r["counts"].get(key, 0)) for key in names], out=out)
        gone = _eliminated(r, names)
        charts.append({"number": n, "bars": round_bars, "height": _height(round_bars), "eliminated": gone,
                       "tie_break": wording.settled_by(r.get("tie_break")),
                       "tied": _(" and ").join(names.get(str(o), str(o)) for o in r.get("tied", []))})
        out.update(names.get(str(o), "") for o in _ids(r.get("eliminated")))
    return {**result, "bars": bars, "height": _height(bars), "rounds_table": matrix if rounds else None,
            "round_charts": charts, "winner_names": [labels.get(w) or names.get(w, w) for w in result["winners"]],
            "verdict": wording.verdict(poll, result, names) if poll.status == Poll.Status.CLOSED else []}


def _ids(eliminated) -> list:
    """A round's eliminated options: a list; a result counted before zero-vote options went out together
    holds one id or None."""
    return eliminated if isinstance(eliminated, list) else [] if eliminated is None else [eliminated]


def _eliminated(round_: dict, names: dict) -> str:
    return ", ".join(names.get(str(o), str(o)) for o in _ids(round_.get("eliminated")))


BAR_STEP = 46  # a label line above each bar, so a long (or Chinese) option name fits the width


def _bars(rows: list, *, out: set | frozenset = frozenset()) -> list[dict]:
    """Bars of an SVG chart, 400 wide: the option's name on its own line, the bar and its count under it."""
    top = max((v for _k, v in rows), default=0) or 1
    return [{"label": label, "value": value, "width": round(320 * value / top), "y": 24 + BAR_STEP * n,
             "text_x": 6 + round(320 * value / top), "label_y": 18 + BAR_STEP * n, "value_y": 40 + BAR_STEP * n,
             "out": label in out}
            for n, (label, value) in enumerate(rows)]


def _height(bars: list) -> int:
    return 8 + BAR_STEP * len(bars)


VOTE_READS = ("community", "kind", "title", "method", "min_choices", "max_choices", "meeting", "status", "opens_at",
              "closes_at", "secret", "box_key")


@require_POST
@login_required
def vote(request, pk: int):
    # What a vote reads of the poll, no more (a meeting, when the poll has one, is read by the visibility check).
    poll = _visible(request, pk, related=(), fields=VOTE_READS)
    # A crowd voting at once reads the options once: they are kept under the poll's version, which any write to
    # an option bumps.
    options = page_fragments.remembered(("poll-options", poll.pk, page_fragments.version("poll", poll.pk)),
                                        lambda: _options(poll))
    form = ballot_form(poll, options, request.POST)
    if form.is_valid():
        try:
            code = services.cast_ballot(request.user, poll_id=poll.pk, choices=form.cleaned_data["choices"],
                                        poll=poll, option_ids=[o.pk for o in options])
        except (ValidationError, PermissionDenied) as error:
            if getattr(error, "code", None) == "already_voted":  # sent again (an old tab, a retry): said plainly
                context = {"poll": poll, "receipt": _receipt_of(request, poll)}
                return render(request, "polls/already_voted.html", context)
            for message in error_messages(error):
                form.add_error(None, message)
        else:
            back = request.POST.get("next", "")  # voted in place, in a meeting's room: back there
            if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
                back = ""
            if back and code:  # the poll's page shows the receipt; away from it, the message does
                messages.success(request, _("Your vote is counted. Your receipt: %(code)s — keep it to check the "
                                            "count on the poll's recount page.") % {"code": code})
            else:
                messages.success(request, _("Your vote is counted."))
            response = redirect(back or poll)
            if code:
                response.set_signed_cookie(
                    _receipt_cookie(poll.pk), code, salt=f"receipt:{request.user.pk}", max_age=RECEIPT_DAYS * 86400,
                    path=poll.get_absolute_url(), secure=settings.SESSION_COOKIE_SECURE, httponly=True,
                    samesite="Lax")
            return response
    return poll_detail(request, pk, ballot=form)


CONFIRM = {
    "open": Confirm(
        gettext_lazy("Open the vote?"),
        gettext_lazy("Its question, options and rules are fixed, and the voter roll is drawn from who may vote now. "
                     "It cannot go back to draft."),
        gettext_lazy("Yes, open the vote")),
    "close": Confirm(
        gettext_lazy("Close the vote and count it?"),
        gettext_lazy("Nobody can vote after this. The ballots are counted and the result is published at once. "
                     "A closed vote cannot be reopened."),
        gettext_lazy("Yes, close and count"), danger=True),
}


@require_POST
@login_required
def poll_action(request, pk: int, action: str):
    poll = _visible(request, pk)
    calls = {"open": services.open_poll, "close": services.close_poll}
    if action not in calls:
        raise Http404
    if not confirmed(request):  # neither can be undone: asked first, on a page that says what happens
        return confirm_page(request, CONFIRM[action], action=request.path, back_url=poll.get_absolute_url(),
                            back_label=poll.title)
    try:
        calls[action](request.user, poll_id=poll.pk)
    except (ValidationError, PermissionDenied) as error:
        for message in error_messages(error):
            messages.error(request, message)
    return redirect(poll)


# Observers -----------------------------------------------------------------------------------------------


@require_POST
@login_required
def observers(request, pk: int):
    """Those who set the poll up name its observers: committee members ticked, residents who vote by name or email."""
    poll = _visible(request, pk)
    if not services.can_manage(request.user, poll, poll.meeting):
        raise PermissionDenied(_("Only those who set the poll up name its observers."))
    named, unknown = services.people_named(poll, request.POST.get("others", ""))
    ids = named | {int(v) for v in request.POST.getlist("committee") if v.isdigit()}
    if unknown:
        messages.error(request, _("Nobody who votes in this poll is called %(names)s: write a name exactly as shown, "
                                  "or an email address. Nothing was changed.") % {"names": ", ".join(unknown)})
        return redirect(f"{poll.get_absolute_url()}#observers-title")
    try:
        services.set_observers(request.user, poll_id=poll.pk, user_ids=sorted(ids))
    except (ValidationError, PermissionDenied) as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("The observers are saved. Once the poll is counted, each of them confirms the "
                                    "ballot box digest here."))
    return redirect(f"{poll.get_absolute_url()}#observers-title")


@require_POST
@login_required
def confirm_digest(request, pk: int):
    poll = _visible(request, pk)
    try:
        services.confirm_digest(request.user, poll_id=poll.pk, digest=request.POST.get("digest", ""))
    except (ValidationError, PermissionDenied) as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Thank you: your confirmation of the ballot box digest is published with your name."))
    return redirect(f"{poll.get_absolute_url()}#observers-title")


# What the observers' list shows of them: kept in the fragments cache, so never a password hash or an e-mail address.
OBSERVER_FIELDS = ("poll_id", "user_id", "confirmed_digest", "confirmed_at", "user__display_name", "user__deleted_at")


def _observers(request, poll: Poll, manage: bool, observers: list) -> dict:
    """The observers' section: who they are and what they confirmed; the form to name them; the button to confirm."""
    mine = next((o for o in observers if o.user_id == request.user.pk), None)
    committee = []
    if manage and poll.status != Poll.Status.CLOSED:
        chosen = {o.user_id for o in observers}
        members = services.observer_candidates(poll).filter(
            memberships__community=poll.community, memberships__role="committee").order_by("display_name", "pk")
        committee = [(u, u.pk in chosen) for u in members[:50]]
        shown = {u.pk for u, _c in committee}
        others = "\n".join(poll.observers.exclude(user_id__in=shown).values_list("user__email", flat=True))
    else:
        others = ""
    return {"list": observers, "mine": mine, "committee": committee, "others": others,
            "can_name": manage and poll.status != Poll.Status.CLOSED}


# Polls run inside a meeting, and a consultation's vote --------------------------------------------------


@require_POST
@login_required
def meeting_poll(request, pk: int):
    """The chair puts a question to the attendees of a live meeting and opens it at once."""
    from meetings.models import Meeting

    meeting = get_object_or_404(Meeting.objects.select_related("community"), pk=pk)
    try:
        services.put_question_to_meeting(
            request.user, meeting_id=meeting.pk, title=request.POST.get("title", ""),
            method=request.POST.get("method", "yes_no"), options=request.POST.get("options", "").splitlines(),
            secret=request.POST.get("secret") == "on", agenda_item_id=whole_number(request.POST.get("item")),
        )
    except (ValidationError, PermissionDenied) as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("The vote is open: the attendees checked in can vote now."))
    return redirect(meeting)


@require_POST
@login_required
def consultation_poll(request, pk: int):
    """The voting phase: the shortlisted (or accepted) proposals go on a ranked, secret poll."""
    from consult.models import Consultation

    consultation = get_object_or_404(Consultation.objects.select_related("community", "grid"), pk=pk)
    try:
        poll = services.put_proposals_to_vote(request.user, consultation_id=consultation.pk,
                                              method=request.POST.get("method", "ranked"))
    except (ValidationError, PermissionDenied) as error:
        for message in error_messages(error):
            messages.error(request, message)
        return redirect(consultation)
    messages.success(request, _("The proposals are on a draft ballot. Check the options, then open it for voting."))
    return redirect(poll)
