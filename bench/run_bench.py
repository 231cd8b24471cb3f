"""`make bench`: the real app measured against bare baselines, in one run, on this machine.

    .venv/bin/python -m bench.run_bench [--budget 900] [--out bench/results.json]

Phases, each against fresh server processes pinned to CPU 0 with the load client on CPU 1:
setup (Redis, a throwaway PostgreSQL, two seeded databases under /tmp) · tally · close (a million secret ballots) · pages (queries
and median latency against a trivial view, on the embedded default and on PostgreSQL with Redis) · votes (1,000 at once over HTTP) · room fan-out
(bare websockets.broadcast, embedded default, Redis with two Daphne processes) · a sustained
meeting · a connection storm. Writes results.json, prints the table; docs/performance.md says
what every key means. Exits 3 when the bare server did not reach 50,000 deliveries/s, i.e. when
the load client (or a busy machine) and not the server set the pace.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import services as S
from bench.summarize import CLIENT_FLOOR, evaluate, render

STEPS = [50, 200, 500]
APP_MESSAGES, BARE_MESSAGES = [200, 120, 100], [300, 300, 300]
ROOM = "/ws/meetings/{}/"


TICK = os.sysconf("SC_CLK_TCK")


def busy_jiffies() -> int:
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return sum(fields) - fields[3] - fields[4]  # all but idle and iowait


class Run:
    def __init__(self, a):
        self.a, self.t0, self.busy0 = a, time.monotonic(), busy_jiffies()
        self.work = Path(tempfile.mkdtemp(prefix="yishi-bench-", dir="/tmp"))
        self.work.chmod(0o755)  # PostgreSQL's own account must reach its data directory
        self.redis = self.pg = None
        self.seed, self.env = {}, {}
        self.results = {"meta": {"started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "workdir": str(self.work),
                                 "phases_s": {}, "skipped": [], "notes": []}}

    # -- helpers ------------------------------------------------------------------------------------
    def left(self) -> float:
        return self.a.budget - (time.monotonic() - self.t0)

    def wanted(self, phase: str) -> bool:
        only = set(filter(None, self.a.only.split(",")))
        return not only or phase in only

    def log(self, text: str) -> None:
        print(f"[{time.monotonic() - self.t0:6.1f}s] {text}", flush=True)

    def py(self, args: list[str], env: dict, cpu: int, timeout: float) -> dict:
        """Run a bench module, return the JSON object its last line printed."""
        out = subprocess.run([S.PY, "-m", *args], cwd=S.ROOT, env=env, capture_output=True, text=True,
                             timeout=timeout, preexec_fn=S.pin(cpu))
        lines = out.stdout.strip().splitlines()
        try:
            result = json.loads(lines[-1]) if lines else {}
        except json.JSONDecodeError:
            result = {}
        if out.returncode or not lines:
            result["error"] = f"{args[0]} rc={out.returncode}: {out.stderr.strip()[-400:]}"
        return result

    def phase(self, name: str, estimate: float, call) -> None:
        if self.left() < estimate:
            self.results["meta"]["skipped"].append(name)
            self.log(f"{name}: skipped, {self.left():.0f} s of the budget left and it needs ~{estimate:.0f} s")
            return
        started, busy, ours = time.monotonic(), busy_jiffies(), self.own_cpu()
        self.log(f"{name} …")
        try:
            call()
        except Exception as error:  # noqa: BLE001 - one broken phase must not lose the others' figures
            self.results["meta"]["notes"].append(f"{name} failed: {error!r}")
            self.log(f"{name} failed: {error!r}")
        wall = time.monotonic() - started
        self.results["meta"]["phases_s"][name] = round(wall, 1)
        other = (busy_jiffies() - busy) / TICK - (self.own_cpu() - ours)
        self.results["meta"].setdefault("background_cpu_cores_by_phase", {})[name] = round(max(0.0, other) / wall, 2)

    def own_cpu(self) -> float:
        """CPU seconds of this run: the runner, its finished children, and Redis and PostgreSQL so far."""
        from bench.loadclient import cpu_s

        return sum(os.times()[:4]) + (cpu_s(self.aux_pids()) if self.redis or self.pg else 0.0)

    def files(self, config: str, name: str, data) -> str:
        path = self.work / config / f"{name}.json"
        path.write_text(json.dumps(data))
        return str(path)

    # -- phases ------------------------------------------------------------------------------------
    def setup(self) -> None:
        base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        base.update(DJANGO_SETTINGS_MODULE="bench.settings", DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
                    DJANGO_DEBUG="0", PYTHONUNBUFFERED="1", PYTHONPATH=str(S.ROOT),
                    YISHI_EMAIL_DIR=str(self.work / "mail"))
        self.env["memory"] = dict(base, YISHI_VAR_DIR=str(self.work / "memory"))
        meta = self.results["meta"]
        for name in ("memory", "redis", "pg", "mail"):
            (self.work / name).mkdir()
        self.redis = S.Redis(self.work / "redis")
        if self.redis.start():
            self.pg = S.Postgres(self.work / "pg")
            scale = dict(base, YISHI_VAR_DIR=str(self.work / "redis"), REDIS_URL=self.redis.url)
            if self.pg.start():
                scale["DATABASE_URL"] = self.pg.url
            self.env["redis"] = scale
            meta["redis"] = self.redis.version
            meta["scaleout_database"] = f"postgresql ({self.pg.kind}: {self.pg.version or 'server given'})" \
                if self.pg.url else "sqlite (one file shared by both processes)"
        else:
            self.redis = None
            meta["notes"].append("redis-server not found: no Redis rows (apt-get install redis-server)")
        seeds = {}
        for config, env in self.env.items():
            args = ["bench.seed", "--out", str(self.work / config / "seed.json")]
            args += ["--room-only"] if config != "memory" and not self.wanted("pages_scaleout") else []
            seeds[config] = subprocess.Popen([S.PY, "-m", *args], cwd=S.ROOT, env=env, stdout=subprocess.PIPE,
                                             stderr=subprocess.PIPE, text=True)
        for config, proc in seeds.items():
            out, err = proc.communicate(timeout=300)
            if proc.returncode:
                raise RuntimeError(f"seeding {config} failed: {err[-600:]}")
            self.seed[config] = json.loads((self.work / config / "seed.json").read_text())
            self.seed[config]["room_file"] = self.files(config, "room_sessions", self.seed[config]["room_sessions"])
            self.seed[config]["voter_file"] = self.files(config, "voter_sessions", self.seed[config]["voter_sessions"])
        meta["seed_s"] = {c: s["timings"]["total_s"] for c, s in self.seed.items()}

    def tally(self) -> None:
        self.results["tally"] = self.py(["bench.dbtool", "tally", "--ballots", "100000"], self.env["memory"],
                                        S.SERVER_CPU, 120)

    def close(self) -> None:
        self.results["close"] = self.py(["bench.dbtool", "close", "--ballots", "1000000"], self.env["memory"],
                                        S.SERVER_CPU, 300)

    def pages_on(self, config: str, server) -> list[dict]:
        """Queries (test client) and median latency (Daphne) of every big page, against the trivial view."""
        env, seed = self.env[config], self.seed[config]
        counted = self.py(["bench.dbtool", "queries", "--seed", str(self.work / config / "seed.json")], env,
                          S.SERVER_CPU, 180)
        server.mark()
        base = f"http://{S.HOST}:{server.ports[0]}"
        urls = ["/bench/trivial/"] + [p["url"] for p in seed["pages"]]
        timed = self.py(["bench.http_client", "pages", "--base", base, "--urls", ",".join(urls)], env,
                        S.CLIENT_CPU, 300)
        trivial = timed.get("/bench/trivial/", {})
        suffix = "" if config == "memory" else "_scaleout"
        self.results["pages_trivial" + suffix] = {"median_ms": trivial.get("median_ms"),
                                                  **counted.get("/bench/trivial/", {})}
        rows = []
        for page in seed["pages"]:
            t, q = timed.get(page["url"], {}), counted.get(page["url"], {})
            ratio = round(t["median_ms"] / trivial["median_ms"], 1) if t.get("median_ms") and trivial.get(
                "median_ms") else None
            rows.append({"name": page["name"], "url": page["url"], "rows": page["rows"], "queries": q.get("queries"),
                         "queries_cold_cache": q.get("queries_cold_cache"), "median_ms": t.get("median_ms"),
                         "p90_ms": t.get("p90_ms"), "requests": t.get("requests"), "ratio_vs_trivial": ratio,
                         "bytes": t.get("bytes"), "statuses": t.get("statuses")})
        self.results["pages" + suffix] = rows
        self.results["pages_server" + suffix] = server.errors()
        self.log(f"pages ({config}): trivial {trivial.get('median_ms')} ms; " + ", ".join(
            f"{r['name']}: {r['queries']} q, {r['ratio_vs_trivial']}×" for r in rows))
        return rows

    def pages_scaleout(self) -> None:
        """The same pages on the scale-out configuration: PostgreSQL, Redis for the cache and the layer."""
        if "redis" not in self.env or not self.seed["redis"].get("pages"):
            self.results["meta"]["notes"].append("pages_scaleout: no scale-out database with the big pages")
            return
        self.redis.flush()
        server = S.daphne("pages", self.env["redis"], self.work / "redis" / "daphne-pages.log")
        try:
            if not server.ok:
                raise RuntimeError("Daphne did not start")
            self.pages_on("redis", server)
        finally:
            server.stop()

    def pages_and_votes(self) -> None:
        env, seed = self.env["memory"], self.seed["memory"]
        server = S.daphne("pages", env, self.work / "memory" / "daphne-pages.log")
        try:
            if not server.ok:
                raise RuntimeError("Daphne did not start")
            self.pages_on("memory", server)
            base = f"http://{S.HOST}:{server.ports[0]}"
            if self.left() < 90:
                self.results["meta"]["skipped"].append("votes")
                return
            poll = seed["vote_poll"]
            server.mark()
            cast = self.py(["bench.http_client", "vote", "--base", base, "--poll", str(poll["id"]), "--options",
                            ",".join(map(str, poll["options"])), "--sessions", seed["voter_file"], "--voters", "1000"],
                           env, S.CLIENT_CPU, 400)
            rows = self.py(["bench.dbtool", "votes", "--poll", str(poll["id"])], env, S.CLIENT_CPU, 60)
            told, stored, ballots = cast.get("accepted", 0), rows.get("participations", 0), rows.get("ballots", 0)
            # Lost: a voter was told "counted" (or a participation was written) and no ballot is there.
            lost = max(0, told - stored) + max(0, stored - ballots)
            dups = max(0, ballots - stored) + rows.get("voters_counted_twice", 0) + cast.get("accepted_twice", 0)
            failed = sum(n for status, n in cast.get("statuses", {}).items() if status not in ("302", "200"))
            self.results["votes"] = {"voters": cast.get("voters"), "ballots_per_s": cast.get("ballots_per_s"),
                                     "lost": lost, "duplicates": dups, "failed_requests": failed,
                                     "stored_but_not_acknowledged": max(0, stored - told),
                                     **{f"db_{k}": v for k, v in rows.items()},
                                     **{k: v for k, v in cast.items() if k not in ("voters", "ballots_per_s")},
                                     **server.errors()}
            self.log(f"votes: {cast.get('ballots_per_s')}/s, lost {lost}, duplicates {dups}")
        finally:
            server.stop()

    def aux_pids(self) -> list[int]:
        pids = [self.redis.proc.pid] if self.redis else []
        pidfile = self.work / "pg" / "pgdata" / "postmaster.pid"
        if pidfile.exists():
            pids.append(int(pidfile.read_text().split()[0]))
        return pids

    def fanout(self) -> None:
        runs = {}
        configs = [("bare", None), ("memory", 1)] + ([("redis", 2)] if "redis" in self.env else [])
        for config, processes in configs:
            env = self.env.get(config, self.env["memory"])
            log = self.work / ("memory" if config == "bare" else config) / f"fanout-{config}.log"
            if config == "redis":
                self.redis.flush()
            server = S.bare(env, log) if config == "bare" else S.daphne(config, env, log, processes)
            try:
                if not server.ok:
                    raise RuntimeError(f"{config}: server did not start")
                server.mark()
                seed = self.seed.get(config, {})
                room = ROOM.format(seed.get("meetings", {}).get("fanout", 1))
                args = ["bench.loadclient", "fanout", "--url", server.urls(room), "--steps", ",".join(map(str, STEPS)),
                        "--server-pids", ",".join(map(str, server.pids))]
                if config == "bare":
                    args += ["--bare", "--messages", ",".join(map(str, BARE_MESSAGES)), "--per-sender-rate", "100000"]
                else:
                    args += ["--messages", ",".join(map(str, APP_MESSAGES)), "--sessions", seed["room_file"]]
                    if config == "redis":
                        args += ["--aux-pids", ",".join(map(str, self.aux_pids()))]
                runs[config] = {"result": self.py(args, env, S.CLIENT_CPU, 420), "processes": processes,
                                **server.errors()}
                for step in runs[config]["result"].get("steps", []):
                    self.log(f"fan-out {config} N={step.get('clients')}: p99 {step.get('p99_ms')} ms, "
                             f"{step.get('deliveries_per_s')}/s, {step.get('cpu_us_per_delivery')} µs/delivery, "
                             f"lost {step.get('lost')} {step.get('error', '')}")
                if runs[config]["result"].get("error"):
                    self.log(f"fan-out {config}: {runs[config]['result']['error']}")
            finally:
                server.stop()
        self.results["fanout_bare"] = bare = [
            {k: s.get(k) for k in ("clients", "p50_ms", "p95_ms", "p99_ms", "max_ms", "deliveries_per_s",
                                   "cpu_us_per_delivery", "lost", "client_cpu_util", "server_cpu_util")}
            for s in runs.get("bare", {}).get("result", {}).get("steps", [])]
        by_n = {row["clients"]: row for row in bare}
        rows = []
        for config in ("memory", "redis"):
            if config not in runs:
                continue
            for step in runs[config]["result"].get("steps", []):
                b = by_n.get(step.get("clients")) or by_n.get(STEPS[min(step.get("step", 0), len(STEPS) - 1)], {})
                row = {"layer": config, "processes": runs[config]["processes"],
                       "database": "sqlite" if config == "memory" or "DATABASE_URL" not in self.env[config] else "postgresql",
                       **{k: v for k, v in step.items() if k not in ("step",)},
                       "bare_p99_ms": b.get("p99_ms"), "bare_deliveries_per_s": b.get("deliveries_per_s"),
                       "bare_cpu_us_per_delivery": b.get("cpu_us_per_delivery"),
                       "server_errors": runs[config]["server_errors"],
                       "server_error_samples": runs[config]["server_error_samples"]}
                row["ratio_p99_vs_bare"] = round(row["p99_ms"] / b["p99_ms"], 1) \
                    if row.get("p99_ms") and b.get("p99_ms") else None
                row["ratio_cpu_vs_bare"] = round(row["cpu_us_per_delivery"] / b["cpu_us_per_delivery"], 1) \
                    if row.get("cpu_us_per_delivery") and b.get("cpu_us_per_delivery") else None
                rows.append(row)
        self.results["fanout"] = rows
        # Throughput shows at 200 and 500 clients (at 50 a closed loop is bound by round trips, not CPU).
        big = [row.get("deliveries_per_s") or 0 for row in bare if (row.get("clients") or 0) >= 200]
        worst = min(big, default=0)
        self.results["client_check"] = {
            "bare_min_deliveries_per_s_200_500": worst, "bare_max_deliveries_per_s": max(
                (row.get("deliveries_per_s") or 0 for row in bare), default=0),
            "needed": CLIENT_FLOOR, "ok": worst >= CLIENT_FLOOR}
        verdict = "OK" if worst >= CLIENT_FLOOR else "FAILED — the load client or a busy machine set the pace"
        self.log(f"client check: bare reached {worst:,.0f} deliveries/s at 200 and 500 clients "
                 f"(≥ {CLIENT_FLOOR:,} needed): {verdict}")

    def fanout_checked(self) -> None:
        """Fan-out, once more if the bare server fell short (another process took the CPU meanwhile)."""
        self.fanout()
        if not self.results["client_check"]["ok"] and self.left() > 420:
            self.results["meta"]["fanout_first_attempt"] = {k: self.results.get(k) for k in (
                "client_check", "fanout_bare", "fanout")}
            self.log("fan-out: the bare server fell short of the floor; measuring once more")
            self.fanout()

    def sustained(self) -> None:
        env, seed = self.env["memory"], self.seed["memory"]
        server = S.daphne("sustained", env, self.work / "memory" / "daphne-sustained.log")
        try:
            if not server.ok:
                raise RuntimeError("Daphne did not start")
            server.mark()
            poll = seed["live_poll"]
            room = ROOM.format(seed["meetings"]["sustained"])
            result = self.py(["bench.loadclient", "sustained", "--url", server.urls(room), "--sessions", seed["room_file"],
                              "--clients", "500", "--seconds", str(self.a.sustained_seconds), "--rate", "3",
                              "--poll", str(poll["id"]), "--options", ",".join(map(str, poll["options"])),
                              "--poll-watchers", "500", "--voter-sessions", seed["voter_file"], "--voters", "100",
                              "--vote-rate", "20", "--server-pids", ",".join(map(str, server.pids))],
                             env, S.CLIENT_CPU, self.a.sustained_seconds + 300)
            self.results["sustained"] = {"clients": result.get("clients"), "seconds": result.get("seconds"),
                                         "p99_ms": result.get("p99_ms"), "max_ms": result.get("max_ms"),
                                         "lost": result.get("lost"), **result, **server.errors()}
            self.results["sustained"].pop("step", None)
            self.log(f"sustained: p99 {result.get('p99_ms')} ms, max {result.get('max_ms')} ms, lost {result.get('lost')}, "
                     f"poll.changed {result.get('poll_changed_per_watcher_per_s')}/s per viewer, "
                     f"{result.get('votes_counted')} ballots counted {result.get('error', '')}")
        finally:
            server.stop()

    def storm(self) -> None:
        runs = []
        for config, processes in [("memory", 1)] + ([("redis", 2)] if "redis" in self.env else []):
            env, seed = self.env[config], self.seed[config]
            if config == "redis":
                self.redis.flush()
            server = S.daphne(config, env, self.work / config / f"storm-{config}.log", processes)
            meeting = seed["meetings"]["storm"]
            try:
                if not server.ok:
                    raise RuntimeError(f"{config}: Daphne did not start")
                server.mark()
                result = self.py(["bench.loadclient", "storm", "--url", server.urls(ROOM.format(meeting)),
                                  "--sessions", seed["room_file"], "--clients", str(self.a.storm_clients),
                                  "--settle-timeout", "60",
                                  "--server-pids", ",".join(map(str, server.pids))], env, S.CLIENT_CPU, 300)
                rows = self.py(["bench.dbtool", "presence", "--meeting", str(meeting)], env, S.CLIENT_CPU, 60)
                group = self.redis.group_members(f"meeting.{meeting}") if config == "redis" else None
                errors = server.errors()
                stale = (rows.get("presence_rows") or 0) + (group or 0)
                runs.append({"layer": config, "processes": processes, "clients": result.get("clients"),
                             "stale_members": stale, "stale_presence_rows": rows.get("presence_rows"),
                             "stale_group_members": group, **result, **errors})
                self.log(f"storm {config}: {result.get('connected')}/{result.get('clients')} connected in "
                         f"{result.get('connect_s')} s, server errors {errors['server_errors']}, stale presence rows "
                         f"{rows.get('presence_rows')}, stale group members {group} {result.get('error', '')}")
            finally:
                server.stop()
        self.results["storm"] = {"clients": self.a.storm_clients,
                                 "server_errors": sum(r["server_errors"] for r in runs),
                                 "stale_members": sum(r["stale_members"] for r in runs), "runs": runs}

    def finish(self) -> int:
        for service in (self.redis, self.pg):
            if service:
                service.stop()
        meta = self.results["meta"]
        wall = time.monotonic() - self.t0
        ours = sum(os.times()[:4])
        busy = (busy_jiffies() - self.busy0) / TICK
        meta.update(wall_s=round(wall, 1), finished=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    background_cpu_cores=round(max(0.0, busy - ours) / wall, 2), **machine())
        self.results["targets"] = evaluate(self.results)
        out = Path(self.a.out)
        out.write_text(json.dumps(self.results, indent=1) + "\n")
        (self.work / "results.json").write_text(out.read_text())  # kept with the run's logs
        print()
        print(render(self.results))
        print(f"\nresults: {out}  (raw logs: {self.work})")
        if not self.a.keep:  # the databases are large; logs and seeds stay for a look afterwards
            shutil.rmtree(self.work / "pg" / "pgdata", ignore_errors=True)
            for db in self.work.glob("*/yishi.sqlite3*"):
                db.unlink()
        return 0 if self.results.get("client_check", {}).get("ok") else 3


def machine() -> dict:
    def version(module):
        try:
            from importlib.metadata import version as v

            return v(module)
        except Exception:  # noqa: BLE001
            return None
    def git(*args):
        return subprocess.run(["git", *args], cwd=S.ROOT, capture_output=True, text=True).stdout.strip()
    return {"machine": {"cpus": os.cpu_count(), "loadavg": open("/proc/loadavg").read().split()[:3],
                        "python": sys.version.split()[0]},
            "versions": {m: version(m) for m in ("django", "channels", "daphne", "channels_redis", "websockets",
                                                 "uvloop")},
            "git": {"commit": git("rev-parse", "--short", "HEAD"),
                    "uncommitted_changes": bool(git("status", "--porcelain"))}}


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--budget", type=float, default=float(os.environ.get("BENCH_BUDGET_S", 900)),
                   help="seconds for the whole run; phases that no longer fit are skipped and listed")
    p.add_argument("--out", default=str(S.ROOT / "bench" / "results.json"))
    p.add_argument("--sustained-seconds", type=float, default=60)
    p.add_argument("--storm-clients", type=int, default=500)
    p.add_argument("--only", default="", help="comma list of phases (tally,close,pages,pages_scaleout,fanout,sustained,storm)")
    p.add_argument("--keep", action="store_true", help="keep the PostgreSQL data directory")
    a = p.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: every server and service is stopped
    run = Run(a)
    try:
        run.phase("setup", 0, run.setup)
        if run.seed.get("memory"):
            phases = [("tally", 10, run.tally), ("close", 90, run.close), ("pages", 120, run.pages_and_votes),
                      ("pages_scaleout", 60, run.pages_scaleout), ("fanout", 150, run.fanout_checked),
                      ("sustained", a.sustained_seconds + 60, run.sustained), ("storm", 60, run.storm)]
            for name, estimate, call in phases:
                if run.wanted(name):
                    run.phase(name, estimate, call)
    finally:
        code = run.finish()
    return code


if __name__ == "__main__":
    sys.exit(main())
