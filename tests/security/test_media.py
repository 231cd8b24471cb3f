"""Uploaded files: each served by the rule of the object it belongs to, never as something that runs here."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from consult import services as consult_services
from issues import services as issue_services
from ledger import services as ledger_services
from ledger.models import Decision
from tests.consult.conftest import new_consultation

# A PDF that runs JavaScript when opened (/OpenAction): harmless only if it never opens from our origin.
ACTIVE_PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >> endobj\n"
              b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
              b"3 0 obj << /S /JavaScript /JS (app.alert(document.cookie)) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), "green").save(out, "PNG")
    return out.getvalue()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def as_(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def draft_document(chair, community):
    draft = new_consultation(chair, community, phase="draft")
    attachment = consult_services.attach_file(chair, consultation_id=draft.pk, title="Plan",
                                              upload=SimpleUploadedFile("plan.pdf", ACTIVE_PDF))
    return draft, attachment


def test_a_draft_consultation_s_documents_are_for_the_committee_until_it_opens(draft_document, chair, resident):
    draft, attachment = draft_document
    url = attachment.file.url
    for stranger in (None, resident):
        assert as_(stranger).get(url).status_code == 404  # the address tells nobody the file exists
    seen = as_(chair).get(url)
    assert seen.status_code == 200 and body(seen) == ACTIVE_PDF
    assert seen["Cache-Control"] == "private, no-store"
    consult_services.advance_phase(chair, consultation_id=draft.pk, to="collecting")
    public = as_(None).get(url)
    assert public.status_code == 200 and public["Cache-Control"].startswith("public, max-age=")


def test_a_document_never_opens_from_our_origin(draft_document, chair):
    _draft, attachment = draft_document
    response = as_(chair).get(attachment.file.url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_photos_are_shown_inline_but_sandboxed(client, grid, category, resident):
    issue = issue_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="Gate", body="B",
                                       photos=[SimpleUploadedFile("gate.png", png(), content_type="image/png")])
    response = client.get(issue.photos.get().image.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_a_task_photo_follows_its_decision(community, chair, organisation, org_rep, resident):
    decision = ledger_services.record_decision(
        chair, community=community, title="Closed-door matter", source=Decision.Source.MEETING, is_public=False,
        tasks=[{"title": "Fix", "owner_organisation_id": organisation.pk,
                "due_date": timezone.localdate() + timedelta(days=3)}])
    task = decision.tasks.get()
    update = ledger_services.post_task_update(
        org_rep, task_id=task.pk, text="Done", progress=100, status="done",
        photo=SimpleUploadedFile("done.png", png(), content_type="image/png"))
    url = update.photo.url
    assert as_(None).get(url).status_code == 404 and as_(resident).get(url).status_code == 404
    assert as_(chair).get(url).status_code == 200


def test_files_no_record_owns_and_kinds_we_never_store_are_not_served(db, client, tmp_path):
    for path in ("issues/1/page.html", "issues/1/logo.svg", "other/x.png", "issues/1/nothing.png", "../secret_key"):
        target = tmp_path / "media" / path
        if ".." not in path:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(b"<script>alert(1)</script>")
        assert client.get(f"/media/{path}").status_code == 404


def test_behind_a_web_server_the_view_decides_and_the_server_sends(settings, draft_document, chair):
    _draft, attachment = draft_document
    settings.YISHI_MEDIA_SENDFILE = "x-accel-redirect"
    response = as_(chair).get(attachment.file.url)
    assert response.status_code == 200 and body(response) == b""
    assert response["X-Accel-Redirect"] == f"/internal-media/{attachment.file.name}"
    assert response["Content-Disposition"].startswith("attachment;")
    assert as_(None).get(attachment.file.url).status_code == 404  # still decided here
    settings.YISHI_MEDIA_SENDFILE = "x-sendfile"
    response = as_(chair).get(attachment.file.url)
    assert response["X-Sendfile"].endswith(attachment.file.name) and body(response) == b""
