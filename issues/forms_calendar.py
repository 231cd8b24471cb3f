"""Forms of the working calendar page: a local day, the community's deadlines, a category's deadlines."""

from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import Community, DeadlineUnit, LocalDay
from core.text import max_length

UNIT_CHOICES = DeadlineUnit.choices


class LocalDayForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=LocalDay.Kind.choices, initial=LocalDay.Kind.OFF)
    note = forms.CharField(label=_("Note"), max_length=max_length(LocalDay, "note"), required=False,
                           help_text=_("Why, e.g. “Community clean-up day” or “Office closed for the move”."))


class DeadlinesForm(forms.Form):
    response_deadline = forms.IntegerField(label=_("Answer within"), min_value=1, max_value=1440)
    response_deadline_unit = forms.ChoiceField(label=_("unit"), choices=UNIT_CHOICES)
    resolution_deadline = forms.IntegerField(label=_("Resolve within"), min_value=1, max_value=1440)
    resolution_deadline_unit = forms.ChoiceField(label=_("unit"), choices=UNIT_CHOICES)
    office_hours = forms.CharField(label=_("Office hours"), max_length=max_length(Community, "office_hours"),
                                   help_text=_("Working hours are counted only inside these, on working days."))


class CategoryDeadlinesForm(forms.Form):
    """Empty amounts: the category follows the community's deadlines."""

    category = forms.IntegerField(widget=forms.HiddenInput)
    response_amount = forms.IntegerField(label=_("Answer within"), min_value=1, max_value=1440, required=False)
    response_unit = forms.ChoiceField(label=_("unit"), choices=UNIT_CHOICES, required=False)
    resolution_amount = forms.IntegerField(label=_("Resolve within"), min_value=1, max_value=1440, required=False)
    resolution_unit = forms.ChoiceField(label=_("unit"), choices=UNIT_CHOICES, required=False)
