"""Processes `make bench` starts and stops itself: Redis, a throwaway PostgreSQL, Daphne, the bare server.

Every process binds to 127.0.0.1 only, is pinned to a CPU (servers to CPU 0, load clients to
CPU 1), writes under the run's directory in /tmp, and is stopped by its own PID.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BIN = Path(sys.executable).parent
SERVER_CPU, CLIENT_CPU = 0, 1


def pin(cpu: int):
    """preexec_fn putting the child on one CPU (nothing to do on a one-CPU machine)."""
    if (os.cpu_count() or 1) < 2:
        return None
    return lambda: os.sched_setaffinity(0, {cpu})


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 30) -> bool:
    end = time.time() + timeout
    while time.time() < end:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def stop(proc: subprocess.Popen | None, timeout: float = 10) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


class Servers:
    """One or more server processes (Daphne, or the bare baseline) and their shared log."""

    def __init__(self, name: str, cmds: list[list[str]], ports: list[int], env: dict, log: Path):
        self.name, self.log, self.procs, self.ports = name, log, [], ports
        with open(log, "ab") as out:
            for cmd in cmds:
                self.procs.append(subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                                   preexec_fn=pin(SERVER_CPU)))
        self.ok = all(wait_port(p, 40) for p in self.ports)
        self.log_start = 0

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.procs]

    def urls(self, path: str) -> str:
        return ",".join(f"ws://{HOST}:{port}{path}" for port in self.ports)

    def mark(self) -> None:
        """Count server errors from here on."""
        self.log_start = self.log.stat().st_size if self.log.exists() else 0

    def errors(self) -> dict:
        """Tracebacks and error lines the servers wrote since mark()."""
        with open(self.log, "rb") as f:
            f.seek(self.log_start)
            text = f.read().decode(errors="replace")
        tracebacks = text.count("Traceback (most recent call last)")
        pattern = re.compile(r"Internal Server Error|Exception inside application|\bERROR\b|CRITICAL|Error:")
        lines = [line for line in text.splitlines() if pattern.search(line)]
        # Daphne cancels a socket's handler that has not finished 10 s after the socket closed: its
        # clean-up (leaving the group, deleting its presence row) never ran.
        killed = [line for line in text.splitlines() if "took too long to shut down and was killed" in line]
        return {"server_errors": max(tracebacks, len(lines)) + len(killed), "server_tracebacks": tracebacks,
                "handlers_killed": len(killed), "server_error_samples": (lines[:4] + killed[:1])}

    def stop(self) -> None:
        for proc in self.procs:
            stop(proc)


def daphne(name: str, env: dict, log: Path, processes: int = 1) -> Servers:
    """The app as `make run` serves it (Daphne, config.asgi, a listen backlog of 1,024, 30 s for a socket's
    handshake), without access log."""
    ports = [free_port() for _ in range(processes)]
    cmds = [[str(BIN / "daphne"), "-v", "0", "--websocket_connect_timeout", "30", "-e",
             f"tcp:port={port}:interface={HOST}:backlog=1024", "config.asgi:application"] for port in ports]
    return Servers(name, cmds, ports, env, log)


def bare(env: dict, log: Path) -> Servers:
    port = free_port()
    return Servers("bare", [[PY, str(ROOT / "bench" / "bare_ws_server.py"), "--port", str(port),
                             "--max-seconds", "1200"]], [port], env, log)


class Redis:
    def __init__(self, workdir: Path):
        self.proc, self.workdir, self.port, self.version = None, workdir, free_port(), None

    def start(self) -> bool:
        exe = shutil.which("redis-server")
        if not exe:
            return False
        said = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout
        self.version = said.split(" v=")[-1].split()[0] if " v=" in said else said.strip()
        self.proc = subprocess.Popen(
            [exe, "--bind", HOST, "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir), "--protected-mode", "yes", "--maxclients", "10000"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=pin(SERVER_CPU))
        return wait_port(self.port, 15)

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def client(self):
        import redis

        return redis.Redis(host=HOST, port=self.port)

    def flush(self) -> None:
        self.client().flushall()

    def group_members(self, group: str) -> int:
        """What the channel layer still keeps in Redis for a group: members of a list-based layer's
        sorted set, or subscribers of a pub/sub layer's channel."""
        r = self.client()
        members = sum(r.zcard(key) for key in r.scan_iter(match=f"*{group}*") if r.type(key) == b"zset")
        channels = r.pubsub_channels(pattern=f"*{group}*")
        return members + sum(n for _, n in r.pubsub_numsub(*channels)) if channels else members

    def stop(self) -> None:
        stop(self.proc)


class Postgres:
    """YISHI_BENCH_POSTGRES_URL's server (a fresh database in it), else a throwaway local cluster."""

    def __init__(self, workdir: Path):
        self.workdir, self.proc, self.kind, self.version = workdir, None, None, None
        self.url = self.admin_url = self.dbname = None

    def start(self) -> bool:
        given = os.environ.get("YISHI_BENCH_POSTGRES_URL")
        try:
            return self._given(given) if given else self._local()
        except Exception as error:  # noqa: BLE001 - no PostgreSQL means a shared SQLite file, said in the results
            print(f"PostgreSQL unavailable ({error}); the scale-out runs share one SQLite file", flush=True)
            self.stop()
            return False

    def _given(self, url: str) -> bool:
        import psycopg

        self.admin_url, self.dbname, self.kind = url, f"yishi_bench_{os.getpid()}", "given"
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{self.dbname}"')
        self.url = re.sub(r"/[^/?]*(\?|$)", f"/{self.dbname}\\1", url.split("://", 1)[1], count=1)
        self.url = url.split("://", 1)[0] + "://" + self.url
        return True

    def _local(self) -> bool:
        found = [Path(p).parent for p in map(shutil.which, ["initdb"]) if p]
        found += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
        bindir = next((d for d in found if (d / "initdb").exists() and (d / "postgres").exists()), None)
        if bindir is None:
            return False
        data, port = self.workdir / "pgdata", free_port()
        as_user = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root: its own account runs the cluster
            as_user = ["runuser", "-u", "postgres", "--"]
            self.workdir.mkdir(parents=True, exist_ok=True)
            shutil.chown(self.workdir, "postgres")
        subprocess.run(as_user + [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "yishi", "-E", "UTF8",
                                  "--locale=C", "--no-sync"], check=True, capture_output=True, timeout=120)
        self.proc = subprocess.Popen(
            as_user + [str(bindir / "postgres"), "-D", str(data), "-p", str(port), "-c", "listen_addresses=127.0.0.1",
                       "-c", "unix_socket_directories=", "-c", "max_connections=300"],
            stdout=subprocess.DEVNULL, stderr=open(self.workdir / "postgres.log", "ab"), preexec_fn=pin(SERVER_CPU))
        if not wait_port(port, 30):
            raise RuntimeError("the local cluster did not start")
        import psycopg

        self.kind, self.admin_url = "local", f"postgresql://yishi@{HOST}:{port}/postgres"
        for _ in range(50):
            try:
                with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as conn:
                    conn.execute("CREATE DATABASE yishi")
                break
            except psycopg.OperationalError:
                time.sleep(0.2)
        self.url = f"postgres://yishi@{HOST}:{port}/yishi"
        self.version = subprocess.run([str(bindir / "postgres"), "--version"], capture_output=True,
                                      text=True).stdout.strip()
        return True

    def stop(self) -> None:
        if self.kind == "given" and self.dbname:
            import psycopg

            try:
                with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')
            except psycopg.Error:
                pass
        stop(self.proc)
