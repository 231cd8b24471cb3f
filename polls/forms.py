"""Forms of the poll pages: set-up, and one ballot form per voting method."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import shown_when
from core.text import WRITING_HELP, max_length
from polls.models import Option, Poll

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"})


class PollForm(forms.Form):
    title = forms.CharField(label=_("Question"), max_length=max_length(Poll, "title"))
    body = forms.CharField(label=_("Explanation"), max_length=max_length(Poll, "body"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4}), help_text=WRITING_HELP)
    method = forms.ChoiceField(label=_("Method"), choices=Poll.Method.choices)
    options = forms.CharField(label=_("Options, one per line"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("Not needed for yes / no / abstain."))
    min_choices = forms.IntegerField(label=_("Multiple choice: at least"), min_value=1, initial=1)
    max_choices = forms.IntegerField(label=_("Multiple choice: at most"), min_value=1, initial=1)
    audience = forms.ChoiceField(label=_("Who votes"), choices=[c for c in Poll.Audience.choices if c[0] != "attendees"])
    grid = forms.ModelChoiceField(label=_("Grid (when one grid votes)"), queryset=None, required=False)
    opens_at = forms.DateTimeField(label=_("Opens (optional)"), required=False, widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("Closes (optional)"), required=False, widget=DATETIME)
    secret = forms.BooleanField(label=_("Secret ballot"), required=False, initial=True)
    quorum_kind = forms.ChoiceField(label=_("Quorum"), choices=Poll.Quorum.choices)
    quorum_value = forms.IntegerField(label=_("Quorum value"), min_value=0, max_value=1_000_000, initial=0)
    threshold = forms.ChoiceField(label=_("Majority needed"), choices=Poll.Threshold.choices)
    threshold_base = forms.ChoiceField(
        label=_("Majority of"), choices=Poll.Base.choices,
        help_text=_("Of the votes cast: yes and no without abstentions; for ranked choice, the ballots still counting "
                    "in the final round. Of all ballots: abstentions and exhausted ballots count too (they weigh like "
                    "a no). Of everyone eligible: not voting weighs like a no."))
    live_results = forms.BooleanField(label=_("Show results while voting (open ballots only)"), required=False)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = community.grids.all()
        shown_when(self, options="method!=yes_no", min_choices="method=multiple", max_choices="method=multiple",
                   grid="audience=grid", quorum_value="quorum_kind!=none", live_results="secret=off")

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("options", "").splitlines() if line.strip()]


class DraftForm(forms.Form):
    """A draft's question and options, corrected before it opens: one field per option, a box to leave it off."""

    title = forms.CharField(label=_("Question"), max_length=max_length(Poll, "title"))
    body = forms.CharField(label=_("Explanation"), max_length=max_length(Poll, "body"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=WRITING_HELP)
    new_options = forms.CharField(label=_("More options, one per line"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, poll: Poll, options: list, **kwargs):
        super().__init__(*args, initial={"title": poll.title, "body": poll.body}, **kwargs)
        limit = max_length(Option, "text")
        self.options = options
        fields = {}
        for n, option in enumerate(options, start=1):
            fields[f"option_{option.pk}"] = forms.CharField(
                label=_("Option %(n)s") % {"n": n}, max_length=limit, initial=option.text,
                help_text=_("From the proposal “%(title)s”.") % {"title": option.proposal.title}
                if option.proposal_id else "")
            fields[f"remove_{option.pk}"] = forms.BooleanField(
                label=_("Leave option %(n)s off the ballot") % {"n": n}, required=False)
        new_options = self.fields.pop("new_options")
        self.fields.update(fields)  # the question, then the options in ballot order, then room for more
        self.fields["new_options"] = new_options
        if poll.method == Poll.Method.YES_NO:
            del self.fields["new_options"]

    def option_texts(self) -> dict[int, str]:
        return {o.pk: self.cleaned_data[f"option_{o.pk}"] for o in self.options}

    def removed(self) -> set[int]:
        return {o.pk for o in self.options if self.cleaned_data.get(f"remove_{o.pk}")}

    def added(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("new_options", "").splitlines() if line.strip()]


def ballot_form(poll: Poll, options: list, data=None, initial=None) -> forms.Form:
    """The ballot for this poll's method; ``cleaned_data["choices"]`` is what the tally expects.

    ``initial``: choices already cast (an open ballot being changed), shown filled in.
    """
    fields = {}
    if poll.method == Poll.Method.YES_NO:
        fields["choice"] = forms.ChoiceField(label=poll.title, widget=forms.RadioSelect,
                                             choices=[("yes", _("Yes")), ("no", _("No")), ("abstain", _("Abstain"))])
    elif poll.method == Poll.Method.SINGLE:
        fields["choice"] = forms.TypedChoiceField(label=poll.title, widget=forms.RadioSelect, coerce=int,
                                                  choices=[(o.pk, o.text) for o in options])
    elif poll.method == Poll.Method.MULTIPLE:
        fields["choice"] = forms.TypedMultipleChoiceField(
            label=poll.title, widget=forms.CheckboxSelectMultiple, coerce=int, choices=[(o.pk, o.text) for o in options],
            help_text=_("Choose between %(min)s and %(max)s.") % {"min": poll.min_choices, "max": poll.max_choices})
    elif poll.method == Poll.Method.RANKED:
        ranks = [("", _("Not ranked"))] + [(str(n), str(n)) for n in range(1, len(options) + 1)]
        for option in options:
            fields[f"rank_{option.pk}"] = forms.ChoiceField(label=option.text, choices=ranks, required=False)
    else:
        for option in options:
            fields[f"score_{option.pk}"] = forms.TypedChoiceField(
                label=option.text, coerce=int, widget=forms.RadioSelect,
                choices=[(n, str(n)) for n in range(0, 6)])

    def clean(self):
        data = forms.Form.clean(self)
        if poll.method in (Poll.Method.YES_NO, Poll.Method.SINGLE, Poll.Method.MULTIPLE):
            data["choices"] = data.get("choice")
        elif poll.method == Poll.Method.RANKED:
            ranked = [(int(data[f"rank_{o.pk}"]), o.pk) for o in options if data.get(f"rank_{o.pk}")]
            numbers = sorted(n for n, _pk in ranked)
            if not ranked:
                raise ValidationError(_("Rank at least one option: 1 for your first choice."))
            if numbers != list(range(1, len(numbers) + 1)):
                raise ValidationError(_("Use each rank once, starting at 1, with no gaps."))
            data["choices"] = [pk for _n, pk in sorted(ranked)]
        else:
            data["choices"] = {str(o.pk): data.get(f"score_{o.pk}") for o in options}
        return data

    start = {}
    if initial is not None:
        if poll.method in (Poll.Method.YES_NO, Poll.Method.SINGLE, Poll.Method.MULTIPLE):
            start["choice"] = initial
        elif poll.method == Poll.Method.RANKED:
            start = {f"rank_{pk}": str(n) for n, pk in enumerate(initial, start=1)}
        else:
            start = {f"score_{key}": value for key, value in initial.items()}
    form_class = type("BallotForm", (forms.Form,), {**fields, "clean": clean})
    return form_class(data, prefix="ballot", initial=start)


class OwnersDecisionForm(forms.Form):
    """An owners' decision: the question, the article's matter (it sets the majorities), and whose owners decide."""

    title = forms.CharField(label=_("Question"), max_length=max_length(Poll, "title"))
    body = forms.CharField(label=_("Explanation"), max_length=max_length(Poll, "body"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4}), help_text=WRITING_HELP)
    matter = forms.TypedChoiceField(
        label=_("Matter (Article 278 of the Civil Code)"), coerce=int, choices=Poll.Matter.choices,
        help_text=_("Matters 6, 7 and 8 need three quarters of those taking part, by area and by owners; the others "
                    "more than half of each. Owners with two thirds of the area and two thirds of the owners must "
                    "take part."))
    building = forms.ModelChoiceField(label=_("Whose owners decide"), queryset=None, required=False,
                                      empty_label=_("The whole community"))
    opens_at = forms.DateTimeField(label=_("Opens (optional)"), required=False, widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("Closes (optional)"), required=False, widget=DATETIME)
    announce_days = forms.IntegerField(
        label=_("Days the result is announced on the community's page"), min_value=1, max_value=60, initial=7,
        required=False, help_text=_("7 unless you say otherwise."))
    show_unit_votes = forms.BooleanField(
        label=_("Open vote: publish how each unit voted"), required=False,
        help_text=_("Otherwise the announcement lists the units that took part, not how each voted."))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = community.buildings.all()
