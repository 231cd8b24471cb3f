"""Forms of the issue pages: raising, filtering, triage, questions, merges, ratings."""

from django import forms
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from community.models import Building, Grid, Membership, User
from core.text import WRITING_HELP, max_length
from issues.models import Issue, IssueCase, IssueEvent, Rating
from ledger.forms import TaskFieldsForm


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Up to four photos in one input; their content is checked by the service."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


class BuildingPicker(forms.RadioSelect):
    """The buildings as radio buttons, with the map above them: a click on a building ticks its button
    (static/js/map-pick.js); without the script, or with a screen reader, the buttons are the choice."""

    map_svg = ""

    def render(self, name, value, attrs=None, renderer=None):
        picker = f'<div class="map-box map-picker">{self.map_svg}</div>' if self.map_svg else ""
        return mark_safe(picker + super().render(name, value, attrs, renderer))


class IssueForm(forms.Form):
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Grid.objects.none(), empty_label=None)
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, empty_label=_("Choose a category"))
    title = forms.CharField(label=_("Title"), max_length=max_length(Issue, "title"),
                            help_text=_("One line that says what is wrong, e.g. “Lift in Building 3 stuck”."))
    body = forms.CharField(label=_("What happened"), max_length=max_length(Issue, "body"),
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=format_lazy("{} {}", _("What is wrong, where, and since when."), WRITING_HELP))
    location = forms.CharField(label=_("Where"), max_length=max_length(Issue, "location"), required=False,
                               help_text=_("Public. A place others recognise, e.g. “east gate of Building 3”."))
    building = forms.ModelChoiceField(
        label=_("Which building?"), queryset=Building.objects.none(), required=False, widget=BuildingPicker,
        empty_label=_("None of them, or not sure"), blank=True,
        help_text=_("Public. Tap it on the map or choose it in the list; say more under “Where”."))
    photos = MultiplePhotoField(label=_("Photos"), required=False,
                                help_text=_("Up to 4 photos, straight from your phone's camera (up to 25 MB each). Large photos are made smaller; location data is removed."))
    name_public = forms.BooleanField(label=_("Show my name with this issue"), required=False)
    contact = forms.CharField(label=_("Contact"), max_length=max_length(IssueCase, "contact"), required=False,
                              help_text=_("Private: only your grid workers and the committee see it."))
    address = forms.CharField(label=_("Exact address"), max_length=max_length(IssueCase, "address"), required=False,
                              help_text=_("Private: only your grid workers and the committee see it."))
    on_behalf_of = forms.CharField(label=_("Resident's name"), max_length=max_length(IssueCase, "reporter_name"),
                                   required=False,
                                   help_text=_("For a resident met on a door visit or by phone."))
    channel = forms.ChoiceField(label=_("How you met them"), required=False,
                                choices=[c for c in Issue.Channel.choices if c[0] != "online"])

    def __init__(self, *args, grids, categories, on_behalf: bool, map_svg: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
        self.fields["category"].queryset = categories
        buildings = Building.objects.filter(grid__in=grids).select_related("grid").order_by("grid__number", "name")
        if buildings.exists():
            field = self.fields["building"]
            field.queryset = buildings
            if len(grids) > 1:
                field.label_from_instance = lambda b: f"{b.name} ({b.grid})"
            field.widget.map_svg = map_svg
        else:
            del self.fields["building"]
        if not on_behalf:
            del self.fields["on_behalf_of"], self.fields["channel"]
        else:
            self.fields["on_behalf_of"].help_text = _(
                "For a resident met on a door visit or by phone; their name stays private. "
                "Leave empty to raise the issue as yourself, in the grid where you live."
            )
            self.fields["name_public"].help_text = _("Only for an issue you raise as yourself.")


SEARCH_LENGTH = 200  # the longest query, as on the consultation search


class IssueFilterForm(forms.Form):
    SORTS = [
        ("-created_at", _("Newest first")),
        ("created_at", _("Oldest first")),
        ("-updated_at", _("Recently active")),
        ("-followers", _("Most followed")),
    ]
    q = forms.CharField(label=_("Words"), required=False, max_length=SEARCH_LENGTH,  # a query, not a field
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. lift, Building 3")}))
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Grid.objects.none(), required=False,
                                  empty_label=_("All grids"))
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, required=False,
                                      empty_label=_("All categories"))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), ("open", _("Open")), *Issue.Status.choices])
    tier = forms.ChoiceField(label=_("Tier"), required=False, choices=[("", _("Any tier")), *Issue.Tier.choices])
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORTS)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = community.grids.all()
        self.fields["grid"].label_from_instance = str
        self.fields["category"].queryset = community.categories.all()


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=max_length(IssueEvent, "text"),
                           widget=forms.Textarea(attrs={"rows": 3}))


class QuestionForm(forms.Form):
    question = forms.CharField(label=_("What do you need to know?"), max_length=max_length(IssueEvent, "text"),
                               widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=max_length(IssueEvent, "text"),
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("The reporter will read this."))


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("Number of the issue it duplicates"), min_value=1)


class TriageForm(TaskFieldsForm):
    tier = forms.ChoiceField(label=_("Tier"), choices=Issue.Tier.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note for the timeline"), max_length=max_length(IssueEvent, "text"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    consultation = forms.ModelChoiceField(
        label=_("Major: put it before a consultation"), queryset=None, required=False,
        empty_label=_("— not now —"), help_text=_("Optional, for a major issue: an open consultation on the matter."),
    )
    field_order = ["tier", "note", "task_title", "owner_organisation", "owner_user", "due_date", "due_in_working_days",
                   "consultation"]

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, community=community, **kwargs)
        self.fields["consultation"].queryset = community.consultations.filter(
            phase__in=["collecting", "deliberation", "voting"]
        )
        if not self.fields["consultation"].queryset.exists():
            del self.fields["consultation"]


class ReportForm(forms.Form):
    text = forms.CharField(label=_("On-site report"), max_length=max_length(IssueEvent, "text"),
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("What was found and what was done."))


class ResolveForm(forms.Form):
    note = forms.CharField(label=_("How it was resolved"), max_length=max_length(IssueEvent, "text"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How well was it done?"), coerce=int, widget=forms.RadioSelect,
        choices=[(5, _("5 — very well")), (4, _("4 — well")), (3, _("3 — acceptable")), (2, _("2 — badly")),
                 (1, _("1 — very badly"))],
    )
    comment = forms.CharField(label=_("Comment"), max_length=max_length(Rating, "comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class OwnIssueForm(forms.Form):
    """The reporter's own words, corrected before triage."""

    title = forms.CharField(label=_("Title"), max_length=max_length(Issue, "title"))
    body = forms.CharField(label=_("What happened"), max_length=max_length(Issue, "body"),
                           widget=forms.Textarea(attrs={"rows": 5}), help_text=WRITING_HELP)
    location = forms.CharField(label=_("Where"), max_length=max_length(Issue, "location"), required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why (optional)"), max_length=max_length(IssueEvent, "text"), required=False,
                             help_text=_("E.g. “The lift works again.” The grid workers read this."))


class HandOverForm(forms.Form):
    """To another grid worker of the issue's grid (the service checks it again)."""

    to = forms.ModelChoiceField(label=_("Hand over to"), queryset=None, empty_label=_("Choose a grid worker"))
    note = forms.CharField(label=_("Note on the timeline"), required=False, max_length=max_length(IssueEvent, "text"),
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Why, e.g. “On leave next week” or “Closer to Building 5”."))

    def __init__(self, *args, issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = User.objects.filter(
            memberships__grid=issue.grid, memberships__role=Membership.Role.GRID_WORKER, is_active=True,
        ).exclude(pk=issue.assignee_id).order_by("display_name", "pk")
        self.fields["to"].label_from_instance = lambda user: user.public_name
