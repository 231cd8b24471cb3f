"""Browser journeys: the real Daphne server in its own process, driven by headless Chromium.

The server shares the file-based test database; tests that use it run with
``transactional_db`` so what they create is committed and visible to it.
Mail is queued as a task, sent by the task worker beside the server (as `make run` starts it) and
written to files that the test reads, as a person reads their inbox.
"""

import email
import email.policy
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import database_url

CHROMIUM = os.environ.get("YISHI_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """Mail the server sent, read from its mail directory."""

    def __init__(self, path: Path):
        self.path = path

    def clear(self) -> None:
        for f in self.path.glob("*"):
            f.unlink()

    def messages(self) -> list[email.message.Message]:
        found = []
        for f in sorted(self.path.glob("*"), key=lambda p: p.stat().st_mtime):
            for chunk in f.read_text().split("-" * 79):
                if chunk.strip():
                    found.append(email.message_from_bytes(chunk.strip().encode(), policy=email.policy.default))
        return found

    def wait_for(self, to: str, timeout: float = 10, *, containing: str = "") -> email.message.Message:
        """The latest mail to ``to`` (with ``containing`` in its body): the worker sends it a moment after the page."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in reversed(self.messages()):
                if to in message["To"] and containing in self.body(message):
                    return message
            time.sleep(0.1)
        raise AssertionError(f"no mail to {to} within {timeout}s")

    @staticmethod
    def body(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    def link_in(self, message) -> str:
        return re.search(r"https?://\S+", self.body(message)).group(0)


@pytest.fixture(autouse=True)
def _fast_passwords():
    """Keep the default hashers: the server process must verify the passwords tests set."""


def server_env(port: int, mail_dir: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the server and its worker: the test database, mail into ``mail_dir``."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": database_url(),  # the test database, on SQLite or PostgreSQL
        "YISHI_EMAIL_DIR": str(mail_dir),
        "YISHI_BASE_URL": f"http://127.0.0.1:{port}",
        **(env or {}),
    }


def start_worker(port: int, mail_dir: Path, log_path: Path) -> subprocess.Popen:
    """The task worker (``manage.py db_worker``) as `make run` starts it, polling the test database often."""
    log = open(log_path, "a")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.5"],
        cwd=ROOT, env=server_env(port, mail_dir), stdout=log, stderr=subprocess.STDOUT,
    )
    log.close()
    return process


def start_daphne(port: int, mail_dir: Path, log_path: Path, *, env: dict[str, str] | None = None) -> subprocess.Popen:
    """``daphne config.asgi:application`` as `make run` runs it, on the test database; waits until it answers.

    ``env`` adds to the server's environment (e.g. ``DJANGO_SETTINGS_MODULE`` for a tests-only settings module).
    """
    env = server_env(port, mail_dir, env)
    log = open(log_path, "a")
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    log.close()
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Daphne did not start; see {log_path}") from None
            time.sleep(0.2)


@pytest.fixture(scope="session")
def server(django_db_setup, tmp_path_factory, django_db_blocker):
    """The server every journey uses, with its task worker (mail goes out through it)."""
    mail_dir = tmp_path_factory.mktemp("mail")
    port = _free_port()
    logs = tmp_path_factory.mktemp("daphne")
    workers = [start_worker(port, mail_dir, logs / "worker.log")]
    process = start_daphne(port, mail_dir, logs / "daphne.log")
    base = f"http://127.0.0.1:{port}"

    def worker_running() -> None:
        # Between tests the test database is emptied: a task the worker was running then has no row to
        # finish, and the worker stops. The next journey gets a new one, as a supervisor would restart it.
        if workers[-1].poll() is not None:
            workers.append(start_worker(port, mail_dir, logs / "worker.log"))

    yield {"url": base, "inbox": Inbox(mail_dir), "worker_running": worker_running}
    for running in (process, workers[-1]):
        running.terminate()
        running.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. The browser tests need it: "
            "apt-get install chromium (or set YISHI_CHROMIUM to its path).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the ORM
    # calls the tests make in between are ordinary blocking calls, safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def live(server, transactional_db):
    """The running server, its task worker running, with a clean inbox, for a test whose data it must see."""
    server["worker_running"]()
    server["inbox"].clear()
    return server


@pytest.fixture
def open_page(browser, request):
    """New browser contexts at a given width (and browser locale); fails the test on any console error or CSP report."""
    contexts, problems = [], []

    def open_(width: int = 390, locale: str | None = None):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale)
        page = context.new_page()
        page.set_default_timeout(10_000)

        def console(message):
            if message.type == "error" and not any(re.search(p, message.text) for p in open_.expected):
                problems.append(f"{message.text} ({message.location.get('url')})")

        page.on("console", console)
        page.on("pageerror", lambda e: problems.append(str(e)))
        contexts.append(context)
        return page

    open_.expected = []  # console errors a test provokes on purpose (regular expressions)
    yield open_
    for i, context in enumerate(contexts):
        if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
            ARTIFACTS.mkdir(exist_ok=True)
            for j, page in enumerate(context.pages):
                page.screenshot(path=ARTIFACTS / f"{request.node.name}-{i}-{j}.png", full_page=True)
        context.close()
    assert not problems, f"browser console errors: {problems}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
