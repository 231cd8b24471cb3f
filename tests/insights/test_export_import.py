"""The backup path: export everything, import into an empty database, and the site reads the same."""

import difflib
import io
import json
import re
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from community.models import Grid, User
from consult import services as consult_services
from consult.models import Attachment, Consultation
from insights import backup
from issues import services as issues_services
from issues.models import Category, Issue, IssuePhoto
from ledger import services as ledger_services
from ledger.models import Decision, TaskUpdate
from meetings.models import Meeting
from polls import services as poll_services
from polls.models import Poll, Proxy
from tests.consult.conftest import new_consultation

pytestmark = pytest.mark.django_db(transaction=True)  # the tests flush the database

IMAGES = Path(__file__).parent.parent / "issues" / "images"
# Differs on every request by design: the CSRF token, the CSP nonce, the server's clock for live pages.
PER_REQUEST = re.compile(r'((?:name="csrfmiddlewaretoken" value|name="submit_once" value|nonce|data-server-now)=)"[^"]*"')
COMPUTED_AT = re.compile(r"Figures as of \d\d:\d\d")  # the scorecards say when they were counted


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (IMAGES / name).read_bytes())


def add_uploads(resident, chair, grid, category, consultation) -> Issue:
    """An issue with two photos and a consultation with a PDF and an image attached."""
    issue = issues_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="Cracked step",
                                 body="By the gate", photos=[upload("small.png"), upload("small.webp")])
    consult_services.attach_file(chair, consultation_id=consultation.pk, title="Plan",
                         upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%plan\n"))
    consult_services.attach_file(chair, consultation_id=consultation.pk, title="Hall", upload=upload("small.png"))
    return issue


def public_urls(photo_issue: Issue) -> list[str]:
    issues = list(Issue.objects.order_by("pk").values_list("pk", flat=True))
    urls = ["/", "/issues/", "/consultations/", "/meetings/", "/polls/", "/outcomes/", "/stats/",
            "/stats/?community=willow-lane", "/c/willow-lane/", "/c/willow-lane/grids/1/",
            *[f"/issues/{pk}/" for pk in [*issues[::8], issues[-1], photo_issue.pk]]]
    urls += [f"/consultations/{pk}/" for pk in Consultation.objects.values_list("pk", flat=True)]
    urls += [f"/proposals/{c.proposals.order_by('pk').first().pk}/" for c in Consultation.objects.all()
             if c.proposals.exists()]
    urls += [f"/meetings/{pk}/" for pk in Meeting.objects.filter(is_public=True).values_list("pk", flat=True)]
    for pk in Poll.objects.filter(status=Poll.Status.CLOSED).values_list("pk", flat=True):
        urls += [f"/polls/{pk}/", f"/polls/{pk}/recount/"]
    urls += [f"/outcomes/{pk}/" for pk in Decision.objects.order_by("pk").values_list("pk", flat=True)[:3]]
    return list(dict.fromkeys(urls))


def render(client, urls: list[str]) -> dict[str, tuple[int, str]]:
    cache.clear()  # pages read from the cache would hide a difference
    pages = {}
    for url in urls:
        response = client.get(url)
        html = PER_REQUEST.sub(r'\1""', response.content.decode())
        pages[url] = (response.status_code, COMPUTED_AT.sub("Figures as of —", html))
    return pages


def recounts() -> dict[int, tuple[dict, dict]]:
    closed = Poll.objects.filter(status=Poll.Status.CLOSED).order_by("pk")
    return {poll.pk: (poll_services.count(poll), poll.result) for poll in closed}


def export(tmp_path) -> Path:
    path = tmp_path / "backup.json"
    call_command("export_data", output=str(path), stdout=io.StringIO())
    return path


def wipe(*files: str) -> None:
    """Empty the database as a fresh migrate leaves it, and take the uploads away as a new server has none."""
    call_command("flush", interactive=False)
    assert backup.occupied_models() == []
    for name in files:
        default_storage.delete(name)


def stored_files() -> dict[str, bytes]:
    names = [*IssuePhoto.objects.values_list("image", flat=True),
             *Attachment.objects.values_list("file", flat=True),
             *TaskUpdate.objects.exclude(photo="").values_list("photo", flat=True),
             *Proxy.objects.values_list("form", flat=True)]
    return {name: default_storage.open(name, "rb").read() for name in names}


def test_the_demo_reads_the_same_after_export_flush_and_import(client, tmp_path):
    call_command("seed_demo", public_passwords_ok=True, stdout=io.StringIO())
    photo_issue = add_uploads(User.objects.get(email="resident@example.org"),
                              User.objects.get(email="committee@example.org"), Grid.objects.get(number=1),
                              Category.objects.order_by("pk").first(),
                              Consultation.objects.exclude(phase="concluded").order_by("pk").first())
    urls = public_urls(photo_issue)
    # Both reads at one instant: what pages derive from the clock (deadlines passed, "now and next", figures)
    # must not differ because a slow machine took a minute between them.
    clock = mock.patch("django.utils.timezone.now", return_value=timezone.now())
    with clock:
        before = render(client, urls)
    counted, files = recounts(), stored_files()
    assert len(counted) >= 2 and all(recount == stored for recount, stored in counted.values())
    assert sum(status == 200 for status, _html in before.values()) >= 25
    path = export(tmp_path)

    wipe(*files)
    call_command("import_data", str(path), stdout=io.StringIO())

    with clock:
        after = render(client, urls)
    for url in urls:
        if after[url] != before[url]:  # say where the page differs, not only that it does
            diff = difflib.unified_diff(before[url][1].splitlines(), after[url][1].splitlines(), lineterm="", n=1)
            raise AssertionError(f"{url} reads differently after the import:\n" + "\n".join(list(diff)[:40]))
    assert recounts() == counted and stored_files() == files
    assert User.objects.get(email="resident@example.org").check_password("yishi-demo")
    fresh = issues_services.raise_issue(User.objects.get(email="resident@example.org"), grid_id=photo_issue.grid_id,
                                 category_id=photo_issue.category_id, title="After the restore", body="B")
    assert fresh.pk > photo_issue.pk  # new rows get fresh ids


def test_an_import_into_a_database_with_data_is_refused_and_changes_nothing(issue, tmp_path):
    path = export(tmp_path)
    Issue.objects.filter(pk=issue.pk).update(title="Changed after the export")
    with pytest.raises(CommandError, match="already holds data"):
        call_command("import_data", str(path))
    assert Issue.objects.get().title == "Changed after the export" and Issue.objects.count() == 1


def test_a_truncated_or_corrupted_backup_is_refused_and_the_database_stays_empty(issue, chair, tmp_path):
    consultation = new_consultation(chair, issue.community)
    add_uploads(issue.reporter, chair, issue.grid, issue.category, consultation)
    path = export(tmp_path)
    text = path.read_text()
    files = list(json.loads(text)["files"])
    wipe(*files)
    damaged = json.loads(text)
    damaged["objects"][-1]["fields"]["no_such_field"] = 1
    cases = {"truncated": text[: len(text) // 2], "damaged": json.dumps(damaged), "not ours": "[]"}
    for label, content in cases.items():
        path.write_text(content)
        with pytest.raises(CommandError):
            call_command("import_data", str(path))
        assert backup.occupied_models() == [], label
        assert not any(default_storage.exists(name) for name in files), label


def test_a_backup_from_other_migrations_is_refused(issue, tmp_path):
    path = export(tmp_path)
    document = json.loads(path.read_text())
    current = document["migrations"]["consult"]
    document["migrations"]["consult"] = "0099_future"
    path.write_text(json.dumps(document))
    wipe()
    with pytest.raises(CommandError, match=f"consult: backup 0099_future, database {current}"):
        call_command("import_data", str(path))


def test_uploaded_files_come_back_byte_identical(issue, chair, grid_worker, organisation, tmp_path):
    add_uploads(issue.reporter, chair, issue.grid, issue.category, new_consultation(chair, issue.community))
    issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="routine", task_title="Fix",
                          owner_organisation_id=organisation.pk,
                          due_date=timezone.localdate() + timedelta(days=3))
    ledger_services.post_task_update(grid_worker, task_id=issue.tasks.get().pk, text="Half", progress=50,
                              status="in_progress", photo=upload("small.webp"))
    files = stored_files()
    assert len(files) == 5
    path = export(tmp_path)
    wipe(*files)
    call_command("import_data", str(path), stdout=io.StringIO())
    assert stored_files() == files
