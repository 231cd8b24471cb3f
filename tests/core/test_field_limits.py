"""Each text limit is written once, on its model field; forms, services, the API and pages read it there."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from community import services as community_services
from community.forms import ApiTokenForm, RejectForm, SignupExtraForm
from community.models import ApiToken, MembershipRequest, User
from consult.forms import (
    AnswerForm,
    AttachmentForm,
    CommentEditForm,
    CommentForm,
    ConclusionForm,
    ConsultationForm,
    ContentReportForm,
    DecisionForm,
    ModerateForm,
    ProposalForm,
)
from consult.models import Attachment, Comment, Consultation, ModerationAction, Proposal, Report
from core.text import max_length
from issues import forms as issue_forms
from issues import services as issue_services
from issues.models import Issue, IssueCase, IssueEvent, Rating
from ledger.forms import TaskFieldsForm, TaskUpdateForm
from ledger.models import Decision, Task, TaskUpdate
from meetings.forms import AgendaItemForm, MeetingForm, MinutesForm, OutcomeForm, SuggestionForm
from meetings.models import AgendaItem, Meeting, Minutes
from polls.forms import PollForm
from polls.models import Poll

ROOT = Path(__file__).resolve().parents[2]
APPS = ["core", "audit", "community", "notifications", "ledger", "issues", "consult", "meetings", "polls", "insights",
        "api"]


@pytest.mark.parametrize(("form", "name", "model", "field"), [
    (SignupExtraForm, "display_name", User, "display_name"),
    (RejectForm, "reason", MembershipRequest, "reason"),
    (ApiTokenForm, "name", ApiToken, "name"),
    (TaskFieldsForm, "task_title", Task, "title"),
    (TaskUpdateForm, "text", TaskUpdate, "text"),
    (issue_forms.IssueForm, "title", Issue, "title"),
    (issue_forms.IssueForm, "body", Issue, "body"),
    (issue_forms.IssueForm, "location", Issue, "location"),
    (issue_forms.IssueForm, "contact", IssueCase, "contact"),
    (issue_forms.IssueForm, "address", IssueCase, "address"),
    (issue_forms.IssueForm, "on_behalf_of", IssueCase, "reporter_name"),
    (issue_forms.CommentForm, "text", IssueEvent, "text"),
    (issue_forms.QuestionForm, "question", IssueEvent, "text"),
    (issue_forms.ReasonForm, "reason", IssueEvent, "text"),
    (issue_forms.TriageForm, "note", IssueEvent, "text"),
    (issue_forms.ReportForm, "text", IssueEvent, "text"),
    (issue_forms.ResolveForm, "note", IssueEvent, "text"),
    (issue_forms.RatingForm, "comment", Rating, "comment"),
    (ConsultationForm, "title", Consultation, "title"),
    (ConsultationForm, "body", Consultation, "body"),
    (AttachmentForm, "title", Attachment, "title"),
    (ConclusionForm, "conclusion", Consultation, "conclusion"),
    (DecisionForm, "title", Decision, "title"),
    (DecisionForm, "body", Decision, "body"),
    (ProposalForm, "title", Proposal, "title"),
    (ProposalForm, "body", Proposal, "body"),
    (AnswerForm, "reason", Proposal, "answer_text"),
    (CommentForm, "body", Comment, "body"),
    (CommentEditForm, "body", Comment, "body"),
    (ContentReportForm, "detail", Report, "detail"),
    (ModerateForm, "explanation", ModerationAction, "explanation"),
    (MeetingForm, "title", Meeting, "title"),
    (MeetingForm, "description", Meeting, "description"),
    (MeetingForm, "place", Meeting, "place"),
    (AgendaItemForm, "title", AgendaItem, "title"),
    (AgendaItemForm, "description", AgendaItem, "description"),
    (SuggestionForm, "title", AgendaItem, "title"),
    (SuggestionForm, "description", AgendaItem, "description"),
    (OutcomeForm, "text", AgendaItem, "outcome_text"),
    (MinutesForm, "body", Minutes, "body"),
    (PollForm, "title", Poll, "title"),
    (PollForm, "body", Poll, "body"),
])
def test_each_form_field_takes_as_many_characters_as_its_model_field(form, name, model, field):
    assert form.base_fields[name].max_length == model._meta.get_field(field).max_length


def test_the_limits_people_knew_stay_the_same():
    """Read from the models now, the numbers are the ones the forms and services had."""
    assert max_length(Issue, "title") == 140 and max_length(Issue, "body") == 10000
    assert max_length(IssueEvent, "text") == 5000  # what every timeline form and service took
    assert max_length(User, "display_name") == 60 and max_length(MembershipRequest, "reason") == 1000
    assert max_length(Minutes, "body") == 100000 and max_length(Poll, "title") == 200


def test_a_service_takes_the_models_limit_and_refuses_one_character_more(resident, grid, category, issue):
    raise_issue = issue_services.raise_issue
    raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="x" * 140, body="B")
    with pytest.raises(ValidationError, match="The title has at most 140 characters."):
        raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="x" * 141, body="B")
    issue_services.comment_on_issue(resident, issue_id=issue.pk, text="y" * 5000)
    with pytest.raises(ValidationError, match="The comment has at most 5000 characters."):
        issue_services.comment_on_issue(resident, issue_id=issue.pk, text="y" * 5001)


def test_a_display_name_over_the_limit_is_refused_with_the_message_people_saw(resident):
    community_services.update_profile(resident, display_name="z" * 60, language="en", age_band="")
    with pytest.raises(ValidationError, match="A display name has at most 60 characters."):
        community_services.update_profile(resident, display_name="z" * 61, language="en", age_band="")


def test_the_api_documents_the_models_limits(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schemas["IssueIn"]["properties"]["title"]["maxLength"] == max_length(Issue, "title")
    assert schemas["IssueIn"]["properties"]["body"]["maxLength"] == max_length(Issue, "body")
    assert schemas["RatingIn"]["properties"]["comment"]["maxLength"] == max_length(Rating, "comment")
    assert schemas["CommentIn"]["properties"]["body"]["maxLength"] == max_length(Comment, "body")


def test_an_input_written_in_a_template_reads_its_limit_from_the_model():
    template = Template("{% load yishi %}<textarea maxlength=\"{% max_length 'meetings.RoomEvent' 'body' %}\">")
    assert template.render(Context()) == '<textarea maxlength="2000">'


def test_no_text_limit_is_written_as_a_number_outside_the_models():
    written = re.compile(r"\b(?:limit|max_length)=\d|maxlength=\"\d")
    found = []
    for path in [*(p for app in APPS for p in (ROOT / app).rglob("*.py")), *(ROOT / "templates").rglob("*.html")]:
        if "migrations" in path.parts or path.name == "models.py" or "models" in path.parent.name:
            continue
        found += [f"{path.relative_to(ROOT)}:{n}" for n, line in enumerate(path.read_text().splitlines(), 1)
                  if written.search(line)]
    assert found == ["templates/consult/search.html:10", "templates/polls/recount.html:14"]  # not fields: a query, a code
