"""The committee's set-up forms over HTTP: a consultation, a meeting and a poll, with input kept on refusal."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consult.models import Attachment, Consultation
from meetings.models import Meeting
from polls.models import Poll

TODAY = timezone.localdate()


def test_the_committee_drafts_edits_opens_and_documents_a_consultation(client, chair, grid):
    client.force_login(chair)
    dates = {"collecting_from": TODAY, "deliberation_from": TODAY + timedelta(days=7),
             "voting_from": TODAY + timedelta(days=14), "concludes_on": TODAY + timedelta(days=21)}
    bad = client.post("/consultations/new", {"title": "Hall", "body": "My long text", **dates,
                                             "deliberation_from": TODAY - timedelta(days=1)})
    assert "My long text" in bad.content.decode() and "follow each other" in bad.content.decode()
    assert not Consultation.objects.exists()
    client.post("/consultations/new", {"title": "Hall", "body": "What for?", "grid": grid.pk, **dates})
    consultation = Consultation.objects.get()
    client.post(f"/consultations/{consultation.pk}/edit", {"title": "The hall", "body": "What for?",
                                                           "grid": grid.pk, **dates})
    client.post(f"/consultations/{consultation.pk}/advance", {"to": "collecting", "confirmed": "1"})
    client.post(f"/consultations/{consultation.pk}/attach",
                {"attach-title": "Plan", "attach-upload": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan")})
    consultation.refresh_from_db()
    assert (consultation.title, consultation.phase) == ("The hall", "collecting")
    assert Attachment.objects.get().title == "Plan"
    assert "Plan" in client.get(consultation.get_absolute_url()).content.decode()


def test_the_committee_schedules_a_meeting_with_the_form(client, chair, organisation):
    client.force_login(chair)
    start = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    form = {"kind": "joint", "title": "Parking", "starts_at": start, "place": "", "chair": chair.pk,
            "secretary": chair.pk, "audience": "invited", "organisations": [organisation.pk], "quorum": 3,
            "is_public": "on"}
    bad = client.post("/meetings/new", {**form, "description": "Kept text"})
    assert "Give a place" in bad.content.decode() and "Kept text" in bad.content.decode()
    response = client.post("/meetings/new", {**form, "place": "Hall", "online": "on"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.invitations.get().organisation == organisation


def test_the_committee_sets_up_and_opens_a_poll_with_the_form(client, chair):
    client.force_login(chair)
    form = {"title": "Which day?", "method": "single", "options": "Saturday", "min_choices": 1, "max_choices": 1,
            "audience": "community", "quorum_kind": "none", "quorum_value": 0, "threshold": "simple",
            "threshold_base": "cast", "secret": "on"}
    bad = client.post("/polls/new", form)
    assert "at least two options" in bad.content.decode() and not Poll.objects.exists()
    client.post("/polls/new", {**form, "options": "Saturday\nSunday"})
    poll = Poll.objects.get()
    assert "It cannot go back to draft." in client.post(f"/polls/{poll.pk}/open").content.decode()  # asked first
    client.post(f"/polls/{poll.pk}/open", {"confirmed": "1"})
    poll.refresh_from_db()
    assert poll.status == "open" and list(poll.options.values_list("text", flat=True)) == ["Saturday", "Sunday"]
