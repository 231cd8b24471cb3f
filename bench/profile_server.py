"""Where one Daphne process of the real app spends its time under room fan-out (cProfile).

    .venv/bin/python -m bench.profile_server [--clients 500] [--messages 40] [--redis] [--out prof.txt]
    .venv/bin/python -m bench.profile_server --vote [--clients 1000]    # the concurrent vote instead

Seeds a fresh room-only database under /tmp, serves bench.profiled_asgi (the app with cProfile
on) with Daphne on CPU 0, runs the fan-out load client on CPU 1, asks
Daphne for the stats (SIGUSR1) and prints the top functions and the time per package. Adapted from
the research profile_server.py; not part of `make bench` (profiling slows the server down).
"""

import argparse
import io
import json
import os
import pstats
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench import services as S


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--clients", type=int, default=500)
    p.add_argument("--messages", type=int, default=40)
    p.add_argument("--redis", action="store_true", help="Redis channel layer (local redis-server) instead of in-memory")
    p.add_argument("--vote", action="store_true", help="profile the concurrent vote over HTTP instead of fan-out")
    p.add_argument("--out")
    a = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="yishi-profile-", dir="/tmp"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="bench.settings", DJANGO_SECRET_KEY=secrets.token_urlsafe(40), DJANGO_DEBUG="0",
               PYTHONPATH=str(S.ROOT), YISHI_VAR_DIR=str(work), YISHI_EMAIL_DIR=str(work / "mail"),
               BENCH_PROFILE=str(work / "daphne.prof"))
    redis = None
    if a.redis:
        redis = S.Redis(work)
        if not redis.start():
            raise SystemExit("redis-server not found")
        env["REDIS_URL"] = redis.url
    subprocess.run([S.PY, "-m", "bench.seed", "--room-only", "--out", str(work / "seed.json")], cwd=S.ROOT, env=env,
                   check=True, capture_output=True, timeout=300)
    seed = json.loads((work / "seed.json").read_text())
    (work / "room.json").write_text(json.dumps(seed["room_sessions"]))
    (work / "voters.json").write_text(json.dumps(seed["voter_sessions"]))
    port = S.free_port()
    server = subprocess.Popen([str(S.BIN / "daphne"), "-v", "0", "-e", f"tcp:port={port}:interface={S.HOST}:backlog=1024",
                               "bench.profiled_asgi:application"], cwd=S.ROOT, env=env, preexec_fn=S.pin(S.SERVER_CPU),
                              stdout=subprocess.DEVNULL, stderr=open(work / "daphne.log", "ab"))
    try:
        if not S.wait_port(port, 40):
            raise SystemExit("Daphne did not start")
        load = ["bench.loadclient", "fanout", "--url", f"ws://{S.HOST}:{port}/ws/meetings/{seed['meetings']['fanout']}/",
                "--sessions", str(work / "room.json"), "--steps", str(a.clients), "--messages", str(a.messages),
                "--server-pids", str(server.pid)]
        if a.vote:
            poll = seed["vote_poll"]
            load = ["bench.http_client", "vote", "--base", f"http://{S.HOST}:{port}", "--poll", str(poll["id"]),
                    "--options", ",".join(map(str, poll["options"])), "--sessions", str(work / "voters.json"),
                    "--voters", str(min(a.clients, 1000)), "--profile-pid", str(server.pid)]
        run = subprocess.run([S.PY, "-m", *load], cwd=S.ROOT, env=env, capture_output=True, text=True, timeout=400,
                             preexec_fn=S.pin(S.CLIENT_CPU))
        print(run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-500:])
    finally:
        server.send_signal(signal.SIGUSR1)
        for _ in range(50):
            if (work / "daphne.prof").exists():
                break
            time.sleep(0.2)
        time.sleep(0.5)
        S.stop(server)
        if redis:
            redis.stop()
    stats = pstats.Stats(str(work / "daphne.prof"))
    by_package = defaultdict(float)
    for (file, _, _), (_, _, own, _, _) in stats.stats.items():
        path = re.sub(r"^.*/(site-packages|lib/python3\.\d+)/", "", file).replace(str(S.ROOT) + "/", "")
        by_package[path.split("/", 1)[0] if "/" in path else ("builtins" if path == "~" else path)] += own
    buf = io.StringIO()
    buf.write(f"profiled {stats.total_tt:.2f} s (idle waits in epoll included)\n\n")
    for package, seconds in sorted(by_package.items(), key=lambda kv: -kv[1])[:15]:
        buf.write(f"  {package:40s} {seconds:7.2f} s  {100 * seconds / stats.total_tt:5.1f} %\n")
    buf.write("\n")
    pstats.Stats(str(work / "daphne.prof"), stream=buf).sort_stats("tottime").print_stats(25)
    text = buf.getvalue().replace(sys.prefix, "<venv>").replace(str(S.ROOT), "<repo>")
    print(text)
    if a.out:
        Path(a.out).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
