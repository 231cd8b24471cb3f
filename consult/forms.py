"""Forms of the consultation pages: they bind and clean input; the services decide and write."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from consult.models import (
    Attachment,
    Comment,
    Consultation,
    ModerationAction,
    ModerationReason,
    Proposal,
    Report,
)
from core.text import WRITING_HELP, max_length
from ledger.forms import TaskFieldsForm, task_fields
from ledger.models import Decision

DATE = forms.DateInput(attrs={"type": "date"})


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=max_length(Consultation, "title"))
    body = forms.CharField(label=_("What is to be decided"), max_length=max_length(Consultation, "body"),
                           widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=WRITING_HELP)
    grid = forms.ModelChoiceField(label=_("For"), queryset=None, required=False,
                                  empty_label=_("The whole community"))
    collecting_from = forms.DateField(label=_("Collecting proposals from"), widget=DATE)
    deliberation_from = forms.DateField(label=_("Deliberation from"), widget=DATE)
    voting_from = forms.DateField(label=_("Voting from"), widget=DATE)
    concludes_on = forms.DateField(label=_("Concludes on"), widget=DATE)
    support_threshold = forms.IntegerField(
        label=_("Supports to be shortlisted"), min_value=1, required=False,
        help_text=_("Optional. Proposals with at least this many supports are marked shortlisted for the vote."),
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = community.grids.all()
        self.fields["grid"].label_from_instance = str


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title of the document"), max_length=max_length(Attachment, "title"))
    upload = forms.FileField(
        label=_("File"), help_text=_("A PDF up to 10 MB, or a JPEG, PNG or WebP image up to 25 MB (made smaller)."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}),
    )


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(
        label=_("Conclusion"), max_length=max_length(Consultation, "conclusion"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=WRITING_HELP,
    )


class DecisionForm(TaskFieldsForm):
    title = forms.CharField(label=_("Decision"), max_length=max_length(Decision, "title"))
    body = forms.CharField(label=_("Details"), max_length=max_length(Decision, "body"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ["title", "body", "task_title", "owner_organisation", "owner_user", "due_date", "due_in_working_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task_title"].label = _("First follow-up task (optional)")

    def tasks(self) -> list[dict]:
        data = self.cleaned_data
        if not data.get("task_title"):
            return []
        return [task_fields(data)]


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=max_length(Proposal, "title"),
                            help_text=_("One line, e.g. “Add a ramp at the east gate”."))
    body = forms.CharField(label=_("Your proposal"), max_length=max_length(Proposal, "body"),
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=format_lazy("{} {}", _("What should be done, where, and why."), WRITING_HELP))


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=Proposal.Answer.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Why"), max_length=max_length(Proposal, "answer_text"),
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("The author and the supporters read this."))
    merged_into = forms.ModelChoiceField(label=_("Merged into"), queryset=None, required=False,
                                         empty_label=_("— only when merged —"))

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merged_into"].queryset = proposal.consultation.proposals.filter(withdrawn_at=None).exclude(
            pk=proposal.pk
        )
        self.fields["merged_into"].label_from_instance = lambda p: f"#{p.pk} {p.title}"


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), max_length=max_length(Comment, "body"),
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=format_lazy("{} {}", _("Be kind and stay on the matter."), WRITING_HELP))
    stance = forms.ChoiceField(label=_("Your stance"), choices=Comment.Stance.choices, initial="neutral",
                               widget=forms.RadioSelect)
    proposal = forms.IntegerField(required=False, widget=forms.HiddenInput)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CommentEditForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=max_length(Comment, "body"),
                           widget=forms.Textarea(attrs={"rows": 3}))


class ContentReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong?"), choices=ModerationReason.choices)
    detail = forms.CharField(label=_("Details (optional)"), max_length=max_length(Report, "detail"), required=False)


class ModerateForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", _("— for hiding —")), *ModerationReason.choices],
                               required=False)
    explanation = forms.CharField(label=_("Explanation for the author"), required=False,
                                  max_length=max_length(ModerationAction, "explanation"))


class SendToConsultationForm(forms.Form):
    consultation = forms.ModelChoiceField(label=_("Consultation"), queryset=None,
                                          empty_label=_("Choose a consultation"))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultation"].queryset = community.consultations.filter(
            phase__in=[Consultation.Phase.COLLECTING, Consultation.Phase.DELIBERATION, Consultation.Phase.VOTING]
        )
