"""The table `make bench` prints, and the issue's targets checked against results.json.

    python -m bench.summarize [bench/results.json] [--markdown]
"""

import argparse
import json
import sys
from pathlib import Path

CLIENT_FLOOR = 50_000  # deliveries/s the bare server must reach with this client, or the client is the bottleneck


def fmt(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _row(fanout, layer, clients=500):
    return next((r for r in fanout if r.get("layer") == layer and r.get("clients") == clients), {})


def evaluate(r: dict) -> list[dict]:
    """Each target of issue 21 (and the earlier ones it keeps) with the value measured in this run."""
    fanout, out = r.get("fanout", []), []

    def add(name, target, value, met):
        out.append({"target": name, "wanted": target, "measured": value, "met": None if value is None else bool(met)})

    mem, red = _row(fanout, "memory"), _row(fanout, "redis")
    add("fan-out 500, embedded: p99", "< 50 ms", mem.get("p99_ms"), (mem.get("p99_ms") or 1e9) < 50)
    add("fan-out 500, embedded: CPU per delivery", "≤ 5× bare", mem.get("ratio_cpu_vs_bare"),
        (mem.get("ratio_cpu_vs_bare") or 1e9) <= 5)
    add("fan-out 500, Redis ×2: p99", "< 50 ms", red.get("p99_ms"), (red.get("p99_ms") or 1e9) < 50)
    add("fan-out 500, Redis ×2: CPU per delivery", "≤ 6× bare", red.get("ratio_cpu_vs_bare"),
        (red.get("ratio_cpu_vs_bare") or 1e9) <= 6)
    lost = sum(x.get("lost") or 0 for x in fanout) if fanout else None
    add("fan-out: messages lost, every row", "0", lost, lost == 0)
    s = r.get("sustained", {})
    add("sustained: chat p99", "≤ 300 ms", s.get("p99_ms"), (s.get("p99_ms") or 1e9) <= 300)
    add("sustained: lost", "0", s.get("lost"), s.get("lost") == 0)
    rate = s.get("poll_changed_per_watcher_per_s")
    add("sustained: live results broadcasts per room", "≤ 2 a second", rate, rate is not None and rate <= 2)
    st = r.get("storm", {})
    add("storm: server errors", "0", st.get("server_errors"), st.get("server_errors") == 0)
    add("storm: stale members", "0", st.get("stale_members"), st.get("stale_members") == 0)
    for run in st.get("runs", []):
        add(f"storm, {run.get('layer')} ×{run.get('processes')}: clients connected", f"{st.get('clients')} of "
            f"{st.get('clients')}", run.get("connected"), run.get("connected") == st.get("clients")
            and not run.get("connect_failures"))
    for key, where in (("pages", "SQLite"), ("pages_scaleout", "PostgreSQL")):
        pages = r.get(key, [])
        most = max((max(p.get("queries") or 0, p.get("queries_cold_cache") or 0) for p in pages),
                   default=None) if pages else None
        add(f"pages, {where}: queries, the most of any page (warm or cold)", "≤ 20", most,
            most is not None and most <= 20)
        worst = max((p.get("ratio_vs_trivial") or 1e9 for p in pages), default=None) if pages else None
        add(f"pages, {where}: median vs trivial view, the slowest page", "≤ 10×", worst,
            worst is not None and worst <= 10)
    v = r.get("votes", {})
    add("votes: ballots per second", "≥ 200", v.get("ballots_per_s"), (v.get("ballots_per_s") or 0) >= 200)
    add("votes: lost", "0", v.get("lost"), v.get("lost") == 0)
    add("votes: duplicates", "0", v.get("duplicates"), v.get("duplicates") == 0)
    add("votes: requests failed (5xx, 4xx, timeouts) [extra]", "0", v.get("failed_requests"),
        v.get("failed_requests") == 0)
    t = r.get("tally", {})
    add("tally: 100,000 ranked ballots", "≤ 2 s", t.get("seconds"), (t.get("seconds") or 1e9) <= 2)
    k = r.get("close", {})
    add("close: 1,000,000 secret ballots closed and counted", "< 10 s", k.get("close_s"), (k.get("close_s") or 1e9) < 10)
    add("close: the poll's lock held (longest wait of a concurrent writer)", "< 1 s", k.get("lock_wait_max_s"),
        (k.get("lock_wait_max_s") or 1e9) < 1)
    c = r.get("client_check", {})
    add("load client not the bottleneck: bare deliveries/s at 200 and 500", f"≥ {CLIENT_FLOOR:,}",
        c.get("bare_min_deliveries_per_s_200_500"), c.get("ok"))
    return out


def table(headers: list[str], rows: list[list], markdown: bool) -> list[str]:
    cells = [[fmt(c) for c in row] for row in rows]
    if markdown:
        return ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)] + ["| " + " | ".join(r) + " |" for r in cells]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = lambda r: "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths)))  # noqa: E731
    return [line(headers), line(["-" * w for w in widths])] + [line(r) for r in cells]


def render(r: dict, markdown: bool = False) -> str:
    h = (lambda t: f"\n### {t}\n") if markdown else (lambda t: f"\n{t}")
    out = []
    meta = r.get("meta", {})
    git = meta.get("git", {})
    commit = f"{git.get('commit')}{' + uncommitted changes' if git.get('uncommitted_changes') else ''}"
    out.append(("**Run**: " if markdown else "Run: ") + f"{meta.get('started', '?')}, {fmt(meta.get('wall_s'))} s, "
               f"commit {commit}, {meta.get('machine', {}).get('cpus')} CPUs, other processes used "
               f"{fmt(meta.get('background_cpu_cores'), 2)} cores on average; scale-out database: "
               f"{meta.get('scaleout_database', '–')}; Redis {meta.get('redis', '–')}"
               + (f"; skipped: {', '.join(meta['skipped'])}" if meta.get("skipped") else ""))
    by_phase = meta.get("background_cpu_cores_by_phase")
    if by_phase:
        out.append(("\n" if markdown else "") + "Other processes on the machine, cores used on average per phase: "
                   + ", ".join(f"{k} {fmt(v, 2)}" for k, v in by_phase.items())
                   + " (the server has CPU 0 and the client CPU 1 only if this is near 0)")
    out.append(h("Room fan-out, closed loop (server processes on CPU 0, load client on CPU 1)"))
    rows = [["bare", 1, b.get("clients"), b.get("p50_ms"), b.get("p95_ms"), b.get("p99_ms"), b.get("deliveries_per_s"),
             b.get("cpu_us_per_delivery"), b.get("lost"), None, None] for b in r.get("fanout_bare", [])]
    rows += [[f.get("layer"), f.get("processes"), f.get("clients"), f.get("p50_ms"), f.get("p95_ms"), f.get("p99_ms"),
              f.get("deliveries_per_s"), f.get("cpu_us_per_delivery"), f.get("lost"),
              f"{fmt(f.get('ratio_p99_vs_bare'))}×", f"{fmt(f.get('ratio_cpu_vs_bare'))}×"] for f in r.get("fanout", [])]
    out += table(["layer", "procs", "clients", "p50 ms", "p95 ms", "p99 ms", "deliveries/s", "µs CPU/delivery", "lost",
                  "p99 ÷ bare", "CPU ÷ bare"], rows, markdown)
    c = r.get("client_check", {})
    if c:
        out.append(("\n" if markdown else "") + "Load client check: the bare server reached "
                   f"{fmt(c.get('bare_min_deliveries_per_s_200_500'))} deliveries/s or more at 200 and 500 clients "
                   f"with this client (≥ {CLIENT_FLOOR:,} needed): {'OK' if c.get('ok') else 'FAILED'}")
    s = r.get("sustained")
    if s:
        out.append(h(f"Sustained meeting: {fmt(s.get('clients'))} clients for {fmt(s.get('seconds'), 0)} s, "
                     f"{fmt(s.get('chat_rate'), 0)} chat messages/s, ballots at 20/s over HTTP into a live poll"))
        out += table(["chat p50 ms", "p99 ms", "max ms", "lost", "poll.changed/s per viewer", "ballots counted",
                      "ballot p50 ms", "server CPU"],
                     [[s.get("p50_ms"), s.get("p99_ms"), s.get("max_ms"), s.get("lost"),
                       s.get("poll_changed_per_watcher_per_s"), s.get("votes_counted"), s.get("vote_p50_ms"),
                       s.get("server_cpu_util")]], markdown)
    st = r.get("storm")
    if st:
        out.append(h("Storm: 500 clients connect at once, then leave at once"))
        out += table(["layer", "procs", "connected", "connect s", "server errors", "handlers killed",
                      "stale presence rows", "stale group members", "observer saw"],
                     [[x.get("layer"), x.get("processes"), x.get("connected"), x.get("connect_s"), x.get("server_errors"),
                       x.get("handlers_killed"),
                       x.get("stale_presence_rows"), x.get("stale_group_members"), x.get("observer_presence_count")]
                      for x in st.get("runs", [])], markdown)
    for key, where in (("pages", "SQLite"), ("pages_scaleout", "PostgreSQL, Redis cache")):
        if not r.get(key):
            continue
        t = r.get(key.replace("pages", "pages_trivial"), {})
        out.append(h(f"Pages over HTTP (Daphne, {where}; trivial view median {fmt(t.get('median_ms'), 2)} ms)"))
        out += table(["page", "rows", "queries", "queries, cold cache", "median ms", "÷ trivial", "KB"],
                     [[p.get("name"), p.get("rows"), p.get("queries"), p.get("queries_cold_cache"), p.get("median_ms"),
                       f"{fmt(p.get('ratio_vs_trivial'))}×", round((p.get("bytes") or 0) / 1024)] for p in r[key]],
                     markdown)
    v, t = r.get("votes"), r.get("tally")
    if v:
        out.append(h("Votes: 1,000 signed-in voters cast at once over HTTP (a tenth submit twice at the same moment)"))
        out += table(["voters", "told counted", "ballots/s", "lost", "duplicates", "ballots in DB",
                      "stored, not acknowledged", "failed requests", "server errors"],
                     [[v.get("voters"), v.get("accepted"), v.get("ballots_per_s"), v.get("lost"), v.get("duplicates"),
                       v.get("db_ballots"), v.get("stored_but_not_acknowledged"), v.get("failed_requests"),
                       v.get("server_errors")]], markdown)
    if t:
        out.append(("\n" if markdown else "\n") + f"Tally: {fmt(t.get('ballots'))} ranked ballots, {t.get('options')} options, "
                   f"{t.get('rounds')} rounds: {fmt(t.get('seconds'), 3)} s")
    k = r.get("close")
    if k:
        out.append(("\n" if markdown else "\n") + f"Close: a secret ranked poll of {fmt(k.get('ballots'))} ballots, "
                   f"{k.get('rounds')} rounds, closed and counted in {fmt(k.get('close_s'), 2)} s; the poll's lock "
                   f"held at most {fmt(k.get('lock_wait_max_s'), 3)} s ({k.get('lock_probes')} probes); box file "
                   f"{k.get('box_mb')} MB")
    if r.get("targets"):
        out.append(h("Targets (issue 21)"))
        out += table(["target", "wanted", "measured", "met"],
                     [[x["target"], x["wanted"], x["measured"], x["met"]] for x in r["targets"]], markdown)
    return "\n".join(out)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("results", nargs="?", default=str(Path(__file__).with_name("results.json")))
    p.add_argument("--markdown", action="store_true")
    a = p.parse_args()
    print(render(json.loads(Path(a.results).read_text()), markdown=a.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
