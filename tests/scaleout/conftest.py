"""Scale-out harness: real Daphne processes sharing one database and one Redis.

The database is pytest-django's test database (PostgreSQL when ``DATABASE_URL`` points there,
else the SQLite file under ``YISHI_VAR_DIR``, in WAL mode); tests run with ``transactional_db``
so what they build through the services is committed and the servers see it. Redis is the one
in ``YISHI_TEST_REDIS_URL``; a test that restarts Redis starts a private ``redis-server`` of its
own instead, so it never stops a server someone else uses. People sign in as the browser does:
a session row in the shared database and its cookie on the WebSocket handshake.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from community.models import Membership
from meetings import services as meeting_services
from tests.conftest import database_url, make_user

ROOT = Path(__file__).resolve().parents[2]
DAPHNE_START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition: Callable[[], object], *, timeout: float = 10, what: str = "condition"):
    """Poll until ``condition()`` is truthy and return it; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


# Redis ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("YISHI_TEST_REDIS_URL", "")
    if not url:
        pytest.fail("The scale-out tests need Redis: set YISHI_TEST_REDIS_URL=redis://127.0.0.1:6379/0 "
                    "(make test runs them when it is set).", pytrace=False)
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=2).close()
    except OSError as error:
        pytest.fail(f"Redis at {url} does not answer ({error}).", pytrace=False)
    return url


class RedisServer:
    """A private redis-server on a free port, stopped and started again as an operator would."""

    def __init__(self, directory: Path):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            pytest.fail("redis-server is not on PATH (apt-get install redis-server).", pytrace=False)
        self.cli = shutil.which("redis-cli") or "redis-cli"
        self.port = free_port()
        self.directory = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        subprocess.run(
            [self.binary, "--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(self.port),
             "--save", "", "--appendonly", "no", "--dir", str(self.directory),
             "--pidfile", str(self.directory / "redis.pid"), "--logfile", str(self.directory / "redis.log")],
            check=True,
        )
        wait_until(self.answers, timeout=10, what="redis-server to answer")

    def answers(self) -> bool:
        done = subprocess.run([self.cli, "-p", str(self.port), "ping"], capture_output=True, text=True)
        return done.stdout.strip() == "PONG"

    def shutdown(self) -> None:
        subprocess.run([self.cli, "-p", str(self.port), "shutdown", "nosave"], capture_output=True)
        wait_until(lambda: not self.answers(), timeout=10, what="redis-server to stop")


@pytest.fixture
def private_redis(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.shutdown()


# Daphne ----------------------------------------------------------------------------------------------------


class Daphne:
    """``daphne config.asgi:application`` on its own port, as a deployment runs it."""

    def __init__(self, name: str, env: dict[str, str], log_dir: Path):
        self.name, self.env, self.log_dir = name, env, log_dir
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.starts += 1
        log = open(self.log_dir / f"daphne-{self.name}-{self.starts}.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), "config.asgi:application"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()
        wait_until(self._healthy, timeout=DAPHNE_START_SECONDS, what=f"Daphne {self.name} on {self.url}")

    def _healthy(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"Daphne {self.name} exited; see {self.log_dir}")
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=5) as response:
                return json.load(response)["status"] == "ok"
        except OSError:
            return False

    def kill(self) -> None:
        """``kill -9``: no clean shutdown, no close frames, no disconnect handlers."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return "".join(p.read_text() for p in sorted(self.log_dir.glob(f"daphne-{self.name}-*.log")))


@pytest.fixture
def start_daphnes(transactional_db, tmp_path):
    """Start Daphne processes on the shared test database and a Redis: ``start_daphnes(redis_url, 2)``.

    One task worker runs beside them, as in a deployment: what it does reaches every process through Redis.
    """
    started: list[Daphne] = []
    workers: list[subprocess.Popen] = []

    def start(redis: str, count: int = 2) -> list[Daphne]:
        env = {
            **os.environ,
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis,
            "YISHI_EMAIL_DIR": str(tmp_path / "mail"),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        if not workers:
            with open(tmp_path / "worker.log", "a") as log:
                workers.append(subprocess.Popen([sys.executable, "manage.py", "db_worker", "--no-reload"], cwd=ROOT,
                                                env=env, stdout=log, stderr=subprocess.STDOUT))
        servers = [Daphne("AB"[i] if count <= 2 else str(i), env, tmp_path) for i in range(count)]
        for server in servers:
            server.start()
            started.append(server)
        return servers

    yield start
    for server in started:
        server.stop()
    for worker in workers:
        worker.terminate()
        worker.wait(timeout=10)


@pytest.fixture
def two_daphnes(start_daphnes, redis_url):
    return start_daphnes(redis_url, 2)


# People and sockets ----------------------------------------------------------------------------------------


def session_cookie(user) -> str:
    """Sign in as the login page would: a session row in the shared database, and its cookie."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


class Socket:
    """One WebSocket, read in a thread as a browser tab reads it: every frame kept in order."""

    def __init__(self, server: Daphne, path: str, *, cookie: str | None = None):
        headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"} if cookie else {}
        self.server = server
        self.ws = connect(f"ws://127.0.0.1:{server.port}{path}", origin=server.url,
                          additional_headers=headers, open_timeout=10, close_timeout=2, proxy=None,
                          legacy=True)
        self.frames: list[dict] = []
        self.closed = False
        self.changed = threading.Condition()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            for text in self.ws:
                with self.changed:
                    self.frames.append(json.loads(text))
                    self.changed.notify_all()
        except (ConnectionClosed, OSError):
            pass
        finally:
            with self.changed:
                self.closed = True
                self.changed.notify_all()

    def send(self, **frame) -> None:
        self.ws.send(json.dumps(frame))

    def wait_for(self, predicate: Callable[[dict], bool], *, timeout: float = 10, what: str = "a frame") -> dict:
        """The first frame (old or new) that matches."""
        found: list[dict] = []

        def match() -> bool:
            found[:] = [f for f in self.frames if predicate(f)][:1]
            return bool(found) or self.closed

        with self.changed:
            self.changed.wait_for(match, timeout=timeout)
        if not found:
            state = "closed" if self.closed else "open"
            raise AssertionError(f"no {what} on :{self.server.port} within {timeout}s ({state}); "
                                 f"got {self.frames[-5:]}")
        return found[0]

    def close(self) -> None:
        self.ws.close()
        self.thread.join(timeout=5)


def html(frame: dict) -> str:
    """The fragments a room frame carries, as one string."""
    return "".join(swap.get("html", "") for swap in frame.get("swaps", []))


class RoomClient:
    """A person's tab in the live room, following docs/realtime.md as static/js/site.js does.

    It keeps the id of the newest logged frame it applied and reconnects with ``?since=`` that id;
    a frame whose id it has already passed is not applied again (a reconnection may repeat the
    newest frames). ``log`` is what the person saw, in order; ``repeats`` counts frames dropped by
    that rule, and ``behind`` those dropped although never seen (a frame overtaken by a newer one:
    a real loss).
    """

    def __init__(self, meeting_id: int, user=None, *, name: str = ""):
        self.meeting_id = meeting_id
        self.user = user
        self.name = name or (user.email if user else "anonymous")
        self.cookie = session_cookie(user) if user else None
        self.socket: Socket | None = None
        self.last_id = 0
        self.log: list[dict] = []
        self.seen: set[int] = set()
        self.repeats = 0
        self.behind: list[int] = []
        self.replayed: set[int] = set()  # applied from a reconnection's replay, not live
        self.handled = 0  # frames of the current socket already looked at
        self.welcomes: list[dict] = []
        self.lock = threading.Lock()

    def connect(self, server: Daphne) -> dict:
        """Open the room (again): a reconnection asks for what came after the newest frame applied."""
        if self.socket is not None:
            self.absorb()
        since = f"?since={self.last_id}" if self.welcomes else ""
        socket = Socket(server, f"/ws/meetings/{self.meeting_id}/{since}", cookie=self.cookie)
        welcome = socket.wait_for(lambda f: f["type"] == "welcome", what="welcome")
        with self.lock:
            self.socket, self.handled = socket, 0
            if not self.welcomes:
                self.last_id = welcome["last_id"]  # a fresh page starts from what it rendered
            self.welcomes.append(welcome)
        return welcome

    def absorb(self) -> None:
        """Apply the frames received since the last call."""
        with self.lock:
            frames, welcome = self.socket.frames, self.welcomes[-1]
            replaying = len(self.welcomes) > 1  # frames up to the welcome's last_id are the replay
            while self.handled < len(frames):
                frame = frames[self.handled]
                self.handled += 1
                frame_id = frame.get("id")
                if frame_id is None:
                    continue
                if frame_id <= self.last_id:
                    if frame_id in self.seen:
                        self.repeats += 1
                    else:
                        self.behind.append(frame_id)
                    continue
                self.last_id = frame_id
                self.seen.add(frame_id)
                self.log.append(frame)
                if replaying and frame_id <= welcome["last_id"]:
                    self.replayed.add(frame_id)

    def chat_ids(self) -> list[int]:
        self.absorb()
        return [f["id"] for f in self.log if f["type"] == "chat.message"]

    def own_chat_ids(self, *, live_only: bool = False) -> set[int]:
        """Messages this person wrote that came back to them (live only: not from a replay)."""
        self.absorb()
        return {f["id"] for f in self.log if f["type"] == "chat.message" and f["author_id"] == self.user.pk
                and not (live_only and f["id"] in self.replayed)}

    def latest(self, kind: str) -> dict | None:
        frames = [f for f in self.socket.frames if f["type"] == kind]
        return frames[-1] if frames else None

    @property
    def dropped(self) -> bool:
        return self.socket is not None and self.socket.closed

    def send(self, **frame) -> None:
        self.socket.send(**frame)

    def close(self) -> None:
        if self.socket:
            self.absorb()
            self.socket.close()


# A live public meeting -------------------------------------------------------------------------------------


@pytest.fixture
def room(community, grid, chair):
    """A live public meeting of the whole community, its chair and six residents of grid 1."""
    residents = []
    for i in range(6):
        person = make_user(f"neighbour{i}@test.org", f"Neighbour {i}")
        Membership.objects.create(user=person, community=community, role=Membership.Role.RESIDENT, grid=grid)
        residents.append(person)
    meeting = meeting_services.schedule_meeting(
        chair, community_id=community.pk, kind="joint", title="Bicycle shed", starts_at=timezone.now(),
        chair_id=chair.pk, secretary_id=chair.pk, place="Community hall", audience="community", grid_id=None,
        quorum=2, is_public=True, invite_user_ids=[], invite_organisation_ids=[],
    )
    meeting_services.add_agenda_item(chair, meeting_id=meeting.pk, title="Where the shed goes", minutes_allotted=20)
    meeting = meeting_services.open_meeting(chair, meeting_id=meeting.pk)
    return {"meeting": meeting, "chair": chair, "residents": residents}


def age_presence(meeting_id: int) -> int:
    """Make every presence row of the room look last seen ``PRESENCE_SECONDS`` ago, as if that time had passed."""
    from meetings.consumers import PRESENCE_SECONDS
    from meetings.models import Presence

    past = timezone.now() - timedelta(seconds=PRESENCE_SECONDS + 1)
    return Presence.objects.filter(meeting_id=meeting_id).update(last_seen=past)
