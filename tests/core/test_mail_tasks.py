"""Mail goes out through the task worker: a request only queues it, so a broken mail server never
slows or breaks a page; failures are retried and staff see them in the admin."""

import socket
import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from community import services as community_services
from core.tasks import RETRY_DELAYS
from tests.conftest import make_user

SMTP_TIMEOUT = 3


@pytest.fixture
def outgoing(settings):
    """Mail as a deployment sends it: the default mailer queues, the worker sends through ``outgoing``."""

    def use(backend: dict) -> None:
        settings.MAILERS = {"default": {"BACKEND": "core.mail.QueuedEmailBackend"}, "outgoing": backend}

    use({"BACKEND": "django.core.mail.backends.locmem.EmailBackend"})
    return use


def smtp(port: int) -> dict:
    return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": SMTP_TIMEOUT}}


@pytest.fixture
def silent_smtp_server():
    """A mail server that accepts connections and never says a word: a sender waits for its timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held, stop = [], threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(timeout=5)
    for conn in [*held, listener]:
        conn.close()


@pytest.fixture
def refusing_port():
    """A port on which nothing listens: connecting is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mail_tasks(status: str | None = None):
    tasks = DBTaskResult.objects.filter(task_path="core.tasks.send_email")
    return tasks.filter(status=status) if status else tasks


def come_back_later() -> None:
    """Time passes: the retries waiting for their delay are due."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now() - timedelta(seconds=1))


def test_a_membership_request_mails_the_grid_worker_through_a_task_after_the_commit(
        outgoing, run_tasks, grid, newcomer, grid_worker, mailoutbox):
    community_services.request_membership(newcomer, grid_id=grid.pk, unit="B3-401", note="New here")
    assert mailoutbox == []  # queued, not sent, by the request
    queued = mail_tasks().get()
    assert queued.status == "READY" and queued.args_kwargs["args"][0]["to"] == ["worker@test.org"]
    run_tasks()
    assert [m.to for m in mailoutbox] == [["worker@test.org"]] and "B3-401" in mailoutbox[0].body
    assert mail_tasks().get().status == "SUCCESSFUL"


def test_a_refused_change_queues_no_mail(outgoing, run_tasks, grid, newcomer, grid_worker, mailoutbox):
    community_services.request_membership(newcomer, grid_id=grid.pk, unit="B3-401")
    with pytest.raises(ValidationError):  # one request waits already
        community_services.request_membership(newcomer, grid_id=grid.pk, unit="B3-402")
    assert mail_tasks().count() == 1


def test_a_password_reset_answers_at_once_while_the_mail_server_hangs_and_the_failure_is_retried(
        outgoing, run_tasks, client, silent_smtp_server, transactional_db, mailoutbox):
    make_user("nina@test.org", "Nina")
    outgoing(smtp(silent_smtp_server))
    started = time.monotonic()
    response = client.post("/accounts/password/reset/", {"email": "nina@test.org"})
    elapsed = time.monotonic() - started
    assert response.status_code == 302 and elapsed < SMTP_TIMEOUT / 2, elapsed
    assert mail_tasks("READY").count() == 1

    started = time.monotonic()
    run_tasks()  # the worker waits for the silent server, gives up, and books a retry
    assert time.monotonic() - started >= SMTP_TIMEOUT - 0.5
    failed = mail_tasks("FAILED").get()
    assert failed.exception_class_path in ("TimeoutError", "builtins.TimeoutError", "socket.timeout",
                                           "smtplib.SMTPServerDisconnected")
    retry = mail_tasks("READY").get()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.args_kwargs["args"] == failed.args_kwargs["args"]
    assert retry.run_after - failed.finished_at == pytest.approx(RETRY_DELAYS[0], abs=timedelta(seconds=5))
    assert mailoutbox == []


def test_a_mail_is_tried_five_times_in_all_then_left_failed(outgoing, run_tasks, refusing_port, newcomer, grid,
                                                             grid_worker):
    outgoing(smtp(refusing_port))
    community_services.request_membership(newcomer, grid_id=grid.pk, unit="B3-401")
    for _ in range(len(RETRY_DELAYS) + 2):
        run_tasks()
        come_back_later()
    attempts = sorted(t.args_kwargs["kwargs"].get("attempt", 1) for t in mail_tasks())
    assert attempts == [1, 2, 3, 4, 5]
    assert mail_tasks("FAILED").count() == 5 and not mail_tasks("READY").exists()
    assert all(t.exception_class_path.endswith("ConnectionRefusedError") for t in mail_tasks())


def test_a_retried_mail_goes_out_once_the_server_is_back(outgoing, run_tasks, refusing_port, newcomer, grid,
                                                         grid_worker, mailoutbox):
    outgoing(smtp(refusing_port))
    community_services.request_membership(newcomer, grid_id=grid.pk, unit="B3-401")
    run_tasks()
    outgoing({"BACKEND": "django.core.mail.backends.locmem.EmailBackend"})  # the server is back
    come_back_later()
    run_tasks()
    assert [m.to for m in mailoutbox] == [["worker@test.org"]]
    assert sorted(mail_tasks().values_list("status", flat=True)) == ["FAILED", "SUCCESSFUL"]


def test_staff_see_a_failed_mail_with_its_error_but_not_its_body(outgoing, run_tasks, refusing_port, client,
                                                                 transactional_db):
    make_user("nina@test.org", "Nina")
    staff = make_user("staff@test.org", "Sam", is_staff=True, is_superuser=True)
    outgoing(smtp(refusing_port))
    client.post("/accounts/password/reset/", {"email": "nina@test.org"})
    run_tasks()
    failed = mail_tasks("FAILED").get()
    client.force_login(staff)
    listing = client.get("/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED").content.decode()
    assert "send_email" in listing and "nina@test.org" in listing and "Failed" in listing
    detail = client.get(f"/admin/django_tasks_database/dbtaskresult/{failed.pk}/change/").content.decode()
    assert "ConnectionRefusedError" in detail and "nina@test.org" in detail
    assert "/accounts/password/reset/key/" not in detail  # the reset link stays out of sight
    assert "/accounts/password/reset/key/" in failed.args_kwargs["args"][0]["body"]
