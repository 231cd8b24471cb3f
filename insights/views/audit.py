"""``/c/<slug>/audit/``: the community's audit log, for its committee and for staff."""

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import KINDS, PLATFORM_WIDE, SENTENCES, actions_of_kind
from audit.models import AuditEntry
from community import permissions
from community.models import Community
from consult.models import ModerationReason

PER_PAGE = 50
# Details holding a choice's code are shown with the choice's label, in the reader's language.
CHOICES = {
    "tier": lambda: apps.get_model("issues.Issue").Tier,
    "channel": lambda: apps.get_model("issues.Issue").Channel,
    "phase": lambda: apps.get_model("consult.Consultation").Phase,
    "answer": lambda: apps.get_model("consult.Proposal").Answer,
    "reason_code": lambda: ModerationReason,
    "outcome": lambda: apps.get_model("meetings.AgendaItem").Outcome,
    "role": lambda: apps.get_model("community.Membership").Role,
}
KIND_WORDS = {"comment": gettext_lazy("comment"), "proposal": gettext_lazy("proposal")}


class FilterForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What"), required=False)
    person = forms.TypedChoiceField(label=gettext_lazy("Who"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything")), *((k, label) for k, (label, _p) in KINDS.items())]
        self.fields["person"].choices = [("", _("Everyone")), *((p.pk, p.public_name) for p in people)]


def _label(key: str, code):
    if key not in CHOICES or not isinstance(code, str):
        return code
    values = CHOICES[key]()
    return values(code).label if code in values.values else code


SITE_ROLES = {"is_superuser": gettext_lazy("superuser"), "is_staff": gettext_lazy("staff"),
              "suspended": gettext_lazy("suspended")}


def _role(value) -> str:
    if not value:
        return _("none")
    if "site" in value:  # staff, superuser or suspended: over the whole platform
        flags = [str(SITE_ROLES.get(flag, flag)) for flag in value["site"]]
        return _("%(roles)s (the whole platform)") % {"roles": ", ".join(flags) if flags else _("none")}
    role = _label("role", value.get("role"))
    return f"{role} ({value['where']})" if value.get("where") else str(role)


def sentence(entry: AuditEntry) -> str:
    """The entry as a sentence in the reader's language; user text stays text (the template escapes it)."""
    details = dict(entry.details or {})
    for key, value in details.items():
        details[key] = _label(key, value)
    if entry.action == AuditEntry.Action.ROLE_CHANGED:
        details = {"before": _role(details.get("before")), "after": _role(details.get("after"))}
    if "kind" in details:
        details["kind"] = KIND_WORDS.get(details["kind"], details["kind"])
    if "reason_code" in details:
        details["reason"] = details.pop("reason_code")
    template = SENTENCES.get(entry.action)
    if template is None:
        return entry.get_action_display()
    return str(template) % _Details(details)


class _Details(dict):
    """A detail an older entry lacks reads as empty, so the sentence still reads."""

    def __missing__(self, key):
        return ""


def entries_of(community: Community):
    """The community's entries, and those of the whole platform: backups, and powers over the whole platform
    (a role change whose community was deleted since is not one of those)."""
    platform = Q(community=None) & (Q(action__in=PLATFORM_WIDE - {AuditEntry.Action.ROLE_CHANGED})
                                    | Q(action=AuditEntry.Action.ROLE_CHANGED, details__after__has_key="site"))
    return AuditEntry.objects.filter(Q(community=community) | platform).select_related("actor")


def forget_deleted(entries: list[AuditEntry]) -> None:
    """A person who deleted their account reads as "Former member", as everywhere else: the entry keeps what
    was done, and by whom only as long as that person is still here (one query for the page's people)."""
    people = {e.target_id for e in entries if e.target_type == "community.user"}
    gone = {u.pk: u.public_name for u in get_user_model().objects.filter(pk__in=people, deleted_at__isnull=False)}
    for entry in entries:
        if entry.actor_id and entry.actor.deleted_at is not None:
            entry.actor_name = str(entry.actor.public_name)
        if entry.target_type == "community.user" and entry.target_id in gone:
            entry.target_label = str(gone[entry.target_id])


@login_required
def audit_log(request, slug: str):
    """Newest first, 50 a page, filtered by kind and by person."""
    community = get_object_or_404(Community, slug=slug)
    if not permissions.can_view_audit_log(request.user, community):
        raise Http404
    entries = entries_of(community)
    people = get_user_model().objects.filter(pk__in=entries.exclude(actor=None).values("actor")).order_by(
        "display_name", "pk")
    form = FilterForm(request.GET or None, people=people)
    if form.is_valid():
        if form.cleaned_data["kind"]:
            entries = entries.filter(action__in=actions_of_kind(form.cleaned_data["kind"]))
        if form.cleaned_data["person"]:
            entries = entries.filter(actor_id=form.cleaned_data["person"])
    page = Paginator(entries.order_by("-when", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    entries = list(page)
    forget_deleted(entries)
    rows = [(entry, sentence(entry)) for entry in entries]
    return render(request, "insights/auditentry_list.html",
                  {"community": community, "form": form, "page": page, "rows": rows})
