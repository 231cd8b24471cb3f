"""Forms of the meeting pages: they bind and clean input; the services decide and write."""

from django import forms
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from community import selectors as community_selectors
from community.models import Membership, Organisation, User
from core.forms import shown_when
from core.text import WRITING_HELP, max_length
from ledger.forms import TaskFieldsForm
from meetings.models import AgendaItem, Meeting, Minutes


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=max_length(Meeting, "title"))
    description = forms.CharField(label=_("What it is about"), max_length=max_length(Meeting, "description"),
                                  required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}), help_text=WRITING_HELP)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Ends (optional)"), required=False,
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label=_("Place"), max_length=max_length(Meeting, "place"), required=False)
    online = forms.BooleanField(label=_("Also in the live room online"), required=False, initial=True)
    chair = forms.ModelChoiceField(label=pgettext_lazy("of a meeting", "Chair"), queryset=None)
    secretary = forms.ModelChoiceField(label=_("Secretary"), queryset=None)
    audience = forms.ChoiceField(label=_("Invite"), choices=Meeting.Audience.choices, widget=forms.RadioSelect)
    grid = forms.ModelChoiceField(label=_("Grid (when a grid is invited)"), queryset=None, required=False)
    organisations = forms.ModelMultipleChoiceField(label=_("Organisations invited"), queryset=None, required=False,
                                                   widget=forms.CheckboxSelectMultiple)
    people = forms.ModelMultipleChoiceField(
        label=_("People invited"), queryset=None, required=False,
        help_text=_("Type a name, a role, a grid or an organisation to find people."),
        widget=forms.CheckboxSelectMultiple(attrs={
            "data-filterable": "1", "data-filter-label": _("Find people by name, role, grid or organisation")}))
    quorum = forms.IntegerField(label=_("Quorum"), min_value=0, initial=0,
                                help_text=_("How many people must be checked in for decisions; 0 for none."))
    is_public = forms.BooleanField(label=_("Public: anyone may watch and read the minutes"), required=False,
                                   initial=True)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        staff = community_selectors.holders(Membership.Role.COMMITTEE, community=community)
        for name in ("chair", "secretary"):
            self.fields[name].queryset = staff.order_by("display_name")
            self.fields[name].label_from_instance = lambda u: u.public_name
        self.fields["grid"].queryset = community.grids.all()
        shown_when(self, grid="audience=grid")
        self.fields["organisations"].queryset = Organisation.objects.filter(community=community)
        self.fields["people"].queryset = User.objects.filter(
            memberships__community=community, is_active=True
        ).distinct().order_by("display_name").prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.filter(community=community)
                     .select_related("grid", "organisation")))
        self.fields["people"].label_from_instance = _person_label


def _person_label(user) -> str:
    """A name with what finds it: the person's roles here, their grid and organisation."""
    parts = [user.public_name]
    for membership in user.memberships.all():
        where = membership.grid or membership.organisation
        parts.append(f"{membership.get_role_display()}{f' ({where})' if where else ''}")
    return " · ".join(str(p) for p in parts)


class MeetingEditForm(MeetingForm):
    """The same fields, filled from the meeting, and why it changed (told to everyone invited with a new time)."""

    reason = forms.CharField(label=_("Why it changes (optional)"), max_length=max_length(Meeting, "change_reason"),
                             required=False,
                             help_text=_("Everyone invited is told of a new time or place, with this reason."))

    def __init__(self, *args, meeting: Meeting, **kwargs):
        invitations = list(meeting.invitations.all())
        initial = {
            "kind": meeting.kind, "title": meeting.title, "description": meeting.description,
            "starts_at": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": meeting.ends_at and timezone.localtime(meeting.ends_at).strftime("%Y-%m-%dT%H:%M"),
            "place": meeting.place, "online": meeting.online, "chair": meeting.chair_id,
            "secretary": meeting.secretary_id, "audience": meeting.audience, "grid": meeting.grid_id,
            "organisations": [i.organisation_id for i in invitations if i.organisation_id],
            "people": [i.user_id for i in invitations if i.user_id], "quorum": meeting.quorum,
            "is_public": meeting.is_public,
        }
        super().__init__(*args, community=meeting.community, initial=initial, **kwargs)


class AgendaItemEditForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=max_length(AgendaItem, "title"))
    description = forms.CharField(label=_("Details"), max_length=max_length(AgendaItem, "description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    minutes_allotted = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=480)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why it is cancelled"), max_length=max_length(Meeting, "change_reason"),
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Everyone invited reads this, by mail and on the meeting's page."))


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=max_length(AgendaItem, "title"))
    description = forms.CharField(label=_("Details"), max_length=max_length(AgendaItem, "description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    minutes_allotted = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=480, initial=10)
    issue = forms.IntegerField(label=_("Issue number (optional)"), min_value=1, required=False)
    consultation = forms.ModelChoiceField(label=_("Consultation (optional)"), queryset=None, required=False,
                                          empty_label=_("— none —"))
    proposal = forms.IntegerField(label=_("Proposal number (optional)"), min_value=1, required=False)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultation"].queryset = community.consultations.exclude(phase="draft")


class SuggestionForm(forms.Form):
    title = forms.CharField(label=_("Your suggestion"), max_length=max_length(AgendaItem, "title"))
    description = forms.CharField(label=_("Why it should be discussed"), required=False,
                                  max_length=max_length(AgendaItem, "description"),
                                  widget=forms.Textarea(attrs={"rows": 2}))


class OutcomeForm(TaskFieldsForm):
    outcome = forms.ChoiceField(label=_("Outcome"), widget=forms.RadioSelect,
                                choices=[c for c in AgendaItem.Outcome.choices if c[0]])
    text = forms.CharField(label=_("What was decided"), max_length=max_length(AgendaItem, "outcome_text"),
                           required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    due_in_working_days = None  # in the live room a date is quicker; the calendar's count is offered on pages
    field_order = ["outcome", "text", "task_title", "owner_organisation", "owner_user", "due_date"]


class MinutesForm(forms.Form):
    body = forms.CharField(label=_("Minutes"), max_length=max_length(Minutes, "body"), required=False,
                           widget=forms.Textarea(attrs={"rows": 14}), help_text=WRITING_HELP)
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
