"""Forms of the follow-up: a task's owner and due date, a progress report."""

from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community import selectors as community_selectors
from community.models import Membership
from community.workdays import add_working_days
from core.text import max_length
from ledger.models import Decision, Task, TaskUpdate


class TaskFieldsForm(forms.Form):
    task_title = forms.CharField(label=_("Task"), max_length=max_length(Task, "title"), required=False)
    owner_organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, required=False,
                                                empty_label=_("— no organisation —"))
    owner_user = forms.ModelChoiceField(label=_("or a person"), queryset=None, required=False,
                                        empty_label=_("— no person —"))
    due_date = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    due_in_working_days = forms.IntegerField(
        label=_("or this many working days from today"), min_value=1, max_value=60, required=False,
        help_text=_("Counted on the community's working calendar: the due date is the Nth working day from today."))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["owner_organisation"].queryset = community.organisations.all()
        self.fields["owner_user"].queryset = community_selectors.holders(
            [Membership.Role.GRID_WORKER, Membership.Role.COMMITTEE, Membership.Role.ORG_REP], community=community
        ).order_by("display_name")
        self.fields["owner_user"].label_from_instance = lambda u: u.public_name

    def clean(self):
        data = super().clean()
        days = data.get("due_in_working_days")
        if days and data.get("due_date"):
            raise forms.ValidationError(_("Give a due date or a number of working days, not both."))
        if days:
            calendar = community_selectors.work_calendar(self.community)
            data["due_date"] = add_working_days(timezone.now(), days, calendar).date()
        return data


def task_fields(data) -> dict:
    """A filled ``TaskFieldsForm`` as ``create_task``'s arguments."""
    return {
        "title": data["task_title"],
        "owner_user_id": data["owner_user"] and data["owner_user"].pk,
        "owner_organisation_id": data["owner_organisation"] and data["owner_organisation"].pk,
        "due_date": data["due_date"],
    }


class NewTaskForm(TaskFieldsForm):
    """A task given to a decision later, from its page: every field needed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="task", **kwargs)
        self.fields["task_title"].required = True
        self.fields["task_title"].help_text = _("What is to be done, e.g. “Repair the lights on the canal path”.")
        self.fields["owner_user"].help_text = _("One owner: an organisation, or a person.")


class NoFollowUpForm(forms.Form):
    reason = forms.CharField(label=_("Why no task is needed"), max_length=max_length(Decision, "no_follow_up"),
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("E.g. “The vote rejected the plan: nothing to do.” Everyone reads this."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="none", **kwargs)


class TaskUpdateForm(forms.Form):
    text = forms.CharField(label=_("What was done"), max_length=max_length(TaskUpdate, "text"),
                           widget=forms.Textarea(attrs={"rows": 2}))
    progress = forms.IntegerField(label=_("Progress %"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=_("Status"), choices=Task.Status.choices)
    photo = forms.FileField(label=_("Photo"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))


class OutcomeFilterForm(forms.Form):
    """The outcomes narrowed down: by where (the issue's grid), who does it, how far it is, where it was decided."""

    STATUS = [("", _("Any state")), ("waiting", _("Waiting for its tasks")), ("open", _("Tasks under way")),
              ("overdue", _("Overdue tasks")), ("done", _("All tasks done"))]
    source = forms.ChoiceField(label=_("Decided by"), required=False,
                               choices=[("", _("Any source"))] + list(Decision.Source.choices))
    status = forms.ChoiceField(label=_("State"), required=False, choices=STATUS)
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=None, required=False, empty_label=_("Any grid"))
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, required=False,
                                          empty_label=_("Any organisation"))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = community.grids.all()
        self.fields["organisation"].queryset = community.organisations.all()

    def apply(self, decisions):
        d = self.cleaned_data
        if d.get("source"):
            decisions = decisions.filter(source=d["source"])
        if d.get("grid"):
            decisions = decisions.filter(Q(issue__grid=d["grid"]) | Q(tasks__issue__grid=d["grid"]))
        if d.get("organisation"):
            decisions = decisions.filter(tasks__owner_organisation=d["organisation"])
        status = d.get("status")
        if status == "waiting":
            decisions = decisions.filter(task_count=0, no_follow_up="")
        elif status == "open":
            decisions = decisions.filter(tasks__status__in=["planned", "in_progress", "blocked"])
        elif status == "overdue":
            decisions = decisions.filter(tasks__status__in=["planned", "in_progress", "blocked"],
                                         tasks__due_date__lt=timezone.localdate())
        elif status == "done":
            decisions = decisions.filter(task_count__gt=0, done_count=F("task_count"))
        return decisions.distinct()
