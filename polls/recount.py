"""The public record of a closed poll: the recount page (a receipt looked up), the recount file, the ballots and
receipts as CSV or JSON, the standalone verifier, and every closed poll's result as CSV."""

import json
from pathlib import Path

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from community import services as community_services
from community.http import current_community
from core.http import (
    csv_response,
)
from polls import services, verify
from polls.models import OpenVote, Poll
from polls.views import _visible


def _closed(request, pk: int) -> Poll:
    poll = _visible(request, pk)
    if poll.status != Poll.Status.CLOSED or poll.kind == Poll.Kind.OWNERS:  # its page lists the units instead
        raise Http404
    return poll


def recount(request, pk: int):
    """The recount page; a receipt code is checked by POST, so it never lands in an address or an access log."""
    poll = _closed(request, pk)
    code = request.POST.get("code", "").strip()[:40] if request.method == "POST" else ""
    receipts = services.receipts_of(poll) if poll.result is not None else []
    found = None
    if code and poll.result is not None:
        found = services.receipt_hash(poll.pk, code) in set(receipts)
    context = {
        "poll": poll,
        "community": poll.community,
        "options": list(poll.options.all()),
        "code": code,
        "found": found,
        "ballot_count": (poll.result or {}).get("ballots"),
        "receipt_count": len(receipts),
        "verifier": VERIFIER.read_text(encoding="utf-8"),
    }
    return render(request, "polls/recount.html", context)


VERIFIER = Path(verify.__file__)


def verifier(request):
    """The standalone verifier, to save and run: ``python verify.py results.json``."""
    response = HttpResponse(VERIFIER.read_bytes(), content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="verify.py"'
    return response


def recount_document(request, poll: Poll) -> dict:
    """The recount file (docs/voting.md): the rules, every ballot, the receipts, the digests and the result."""
    options = list(poll.options.all())
    if poll.secret:
        ballots = [json.loads(t) for t in services.ballot_texts(poll)]
    else:
        votes = OpenVote.objects.filter(poll=poll).select_related("user").order_by("user__display_name", "pk")
        ballots = [{"voter": v.user.public_name, "choices": v.choices} for v in votes]  # open: who voted what
    return {
        "format": verify.FORMAT,
        "poll": {"id": poll.pk, "question": poll.title, "url": request.build_absolute_uri(poll.get_absolute_url())},
        "rules": services.rules_of(poll, options),
        "rules_digest": poll.rules_digest,
        "ballots": ballots,
        "receipts": services.receipts_of(poll),
        "ballot_box_digest": poll.ballot_box_digest,
        "result": poll.result,
    }


def _csv_rows(poll: Poll, ballots: list, options: list):
    """One column per rank (ranked), per option (multiple: 1 or 0; score: the score), or one "choice" column;
    option names, not numbers, so a spreadsheet reads it as it is. Open ballots start with the voter."""
    names = {o.pk: o.text for o in options}
    labels = {"yes": _("Yes"), "no": _("No"), "abstain": _("Abstain")}
    if poll.method == Poll.Method.RANKED:
        header = [_("rank %(n)s") % {"n": n} for n in range(1, len(options) + 1)]
        row = lambda c: [names.get(o, o) for o in c] + [""] * (len(options) - len(c))  # noqa: E731
    elif poll.method == Poll.Method.MULTIPLE:
        header = [o.text for o in options]
        row = lambda c: [1 if o.pk in c else 0 for o in options]  # noqa: E731
    elif poll.method == Poll.Method.SCORE:
        header = [o.text for o in options]
        row = lambda c: [c.get(str(o.pk), "") for o in options]  # noqa: E731
    else:
        header = [_("choice")]
        row = lambda c: [labels.get(c) or names.get(c, c)]  # noqa: E731
    if poll.secret:
        yield header
        for choices in ballots:
            yield row(choices)
    else:
        yield [_("voter"), *header]
        for ballot in ballots:
            yield [ballot["voter"], *row(ballot["choices"])]


def download(request, pk: int, what: str, fmt: str):
    """After the poll is counted: the recount file (results.json), the ballots as CSV (one column per rank or
    option) or JSON, the receipt hashes."""
    poll = _closed(request, pk)
    if poll.result is None or fmt not in ("json", "csv") or what not in ("results", "ballots", "receipts") or (
            what == "results" and fmt != "json") or (what == "receipts" and not poll.secret):
        raise Http404
    name = f"poll-{poll.pk}-{what}.{fmt}"
    community_services.record_export(request.user, community=poll.community, export=name)
    document = recount_document(request, poll)
    if what == "results":
        response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
    elif fmt == "json":
        response = JsonResponse({"poll": poll.pk, "method": poll.method, "options": {
            str(o["id"]): o["text"] for o in document["rules"]["options"]}, what: document[what]},
            json_dumps_params={"ensure_ascii": False})
    elif what == "ballots":
        return csv_response(_csv_rows(poll, document["ballots"], list(poll.options.all())), name)
    else:
        return csv_response([["receipt_hash"], *([r] for r in document["receipts"])], name)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def results_csv(request):
    """Every closed public poll's result: one row per option (or yes / no / abstain)."""
    community = current_community(request)
    polls = community.polls.filter(status=Poll.Status.CLOSED).prefetch_related("options").select_related("meeting")
    header = ["poll_id", "question", "method", "secret", "closed_at", "option", "count", "ballots", "eligible",
              "quorum_met", "adopted", "winner"]
    community_services.record_export(request.user, community=community, export=f"{community.slug}-poll-results.csv")
    return csv_response([header, *_result_rows(polls)], f"{community.slug}-poll-results.csv")


def _result_rows(polls):
    for poll in polls.order_by("pk"):
        if poll.meeting_id and not poll.meeting.is_public:
            continue
        result = poll.result or {}
        options = list(poll.options.all())
        names = {str(o.pk): o.text for o in options}
        for key, value in services.counts_in_ballot_order(poll, result.get("counts", {}), options):
            yield [poll.pk, poll.title, poll.method, poll.secret, poll.closed_at.isoformat(), names.get(key, key),
                   value, result.get("ballots"), result.get("eligible"), result.get("quorum_met"),
                   result.get("adopted"), key in result.get("winners", [])]
