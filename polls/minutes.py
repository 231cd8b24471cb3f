"""The votes section of a meeting's minutes record (plugged in through ``YISHI_MINUTES_SECTIONS``)."""

from django.utils.translation import gettext as _

from polls.models import Poll
from polls.services import counts_in_ballot_order


def votes_section(meeting) -> str:
    lines = []
    for poll in Poll.objects.filter(meeting=meeting, status=Poll.Status.CLOSED).prefetch_related("options"):
        result = poll.result or {}
        options = list(poll.options.all())
        names = {str(o.pk): o.text for o in options}
        labels = {"yes": _("Yes"), "no": _("No"), "abstain": _("Abstain")}
        counts = ", ".join(f"{labels.get(k) or names.get(k, k)} {v}"
                           for k, v in counts_in_ballot_order(poll, result.get("counts", {}), options))
        outcome = _("adopted") if result.get("adopted") else _("not adopted")
        lines.append(f"- **{poll.title}** — {counts}; {result.get('ballots', 0)}/{result.get('eligible', 0)}; {outcome}")
    return "\n".join(["### " + _("Votes"), "", *lines]) if lines else ""
