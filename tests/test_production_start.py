"""`make serve`: production starts, serves, sets its headers and cookies, and stops with its helpers."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url: str, **headers):
    opener = urllib.request.build_opener(NoRedirect)
    try:
        response = opener.open(urllib.request.Request(url, headers=headers), timeout=10)
    except urllib.error.HTTPError as error:
        response = error
    return response.status, response.headers, response.read()


@pytest.fixture
def served(tmp_path):
    port = free_port()
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("DJANGO_", "YISHI_", "DATABASE_URL", "REDIS_URL", "EMAIL_"))}
    environment.update({
        "DJANGO_SECRET_KEY": "production-test-" + "k" * 40, "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_BEHIND_PROXY": "1", "YISHI_VAR_DIR": str(tmp_path / "var"), "PORT": str(port),
        "DJANGO_DEBUG": "1",  # whatever the environment says, make serve does not debug
    })
    process = subprocess.Popen(["make", "--no-print-directory", "serve"], cwd=ROOT, env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        try:
            if get(f"{base}/healthz")[0] == 200:
                break
        except OSError:
            pass
        assert process.poll() is None, process.stdout.read()
        time.sleep(0.5)
    else:
        pytest.fail("make serve did not answer /healthz")
    yield base, process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_make_serve_answers_healthz_with_production_headers_and_cookies(served, tmp_path):
    base, process = served
    status, headers, body = get(f"{base}/healthz")  # plain HTTP, as a load balancer probes
    assert status == 200 and b'"status": "ok"' in body.replace(b'":"', b'": "')
    assert "Server" not in headers

    status, headers, _body = get(f"{base}/")  # a page over plain HTTP goes to HTTPS
    assert status == 301 and headers["Location"].startswith("https://")

    status, headers, body = get(f"{base}/accounts/login/", **{"X-Forwarded-Proto": "https"})
    assert status == 200 and "Server" not in headers
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "script-src 'self'" in headers["Content-Security-Policy"] or "default-src 'self'" in headers[
        "Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    cookies = headers.get_all("Set-Cookie")
    csrf = next(c for c in cookies if c.startswith("csrftoken="))
    assert "Secure" in csrf and "HttpOnly" in csrf and "SameSite=Lax" in csrf
    assert b"Demo logins" not in body and b"yishi-demo" not in body  # no demo in production

    css = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body)
    assert css, "static files are collected under hashed names"
    status, headers, _body = get(base + css.group(1).decode(), **{"X-Forwarded-Proto": "https"})
    assert status == 200 and "max-age=315360000" in headers["Cache-Control"]
    assert (tmp_path / "var" / "yishi.sqlite3").exists()

    os.killpg(process.pid, signal.SIGTERM)  # Ctrl-C or the service manager: Daphne, worker and scheduler stop
    process.wait(timeout=30)
    for _attempt in range(100):
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("a process of make serve outlived it")


def test_make_serve_refuses_to_start_without_a_secret_key(tmp_path):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "YISHI_"))}
    environment["YISHI_VAR_DIR"] = str(tmp_path / "var")
    run = subprocess.run(["make", "--no-print-directory", "serve"], cwd=ROOT, env=environment, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode != 0 and "needs DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS" in run.stderr
