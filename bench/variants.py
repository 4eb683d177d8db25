"""Measure variants of our bot's serving setup against each other (the levers of issue 7).

    .venv/bin/python -m bench.variants [--duration 20] [--levels 1 20] [--only NAME ...]

Each variant starts our bot as `make run` does (bench.run_bench.our_bot), with another endpoints
file and/or environment, and plays the test-story conversations at each concurrency level.
The shipped setup is measured first and again last, so the drift of this shared machine
during the run shows in the table. Variants needing PostgreSQL and Redis are skipped (and
say so) when those are not reachable. Writes bench/results/variants.md and variants.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from bench.run_bench import (
    CACHE,
    RESULTS,
    fmt,
    load_conversations,
    our_bot,
    run_load,
    versions,
)
from harness.net import reachable

SCALED_ENV = {
    "DB_HOST": "127.0.0.1", "DB_PORT": "5432", "DB_USER": "postgres", "DB_PASSWORD": "",
    "DB_NAME": "bench_variants", "DB_LOGIN_DB": "postgres",
    "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379", "REDIS_PASSWORD": "", "REDIS_DB": "3",
    "REDIS_KEY_PREFIX": "benchvariants",
    "ACTION_SERVER_SECRET": "bench-only-secret-0123456789abcdef",
}


@dataclass
class Variant:
    name: str
    what: str
    endpoints: str = "endpoints.yml"
    env: dict[str, str] = field(default_factory=dict)
    needs_services: bool = False


VARIANTS = [
    Variant("shipped", "as shipped: SQLite via runtime.tracker_store, runtime speed-ups, "
            "the custom actions inside the Rasa server"),
    Variant("no-speedups", "RUNTIME_SPEEDUPS=off: Rasa's reply validation and dask runner",
            env={"RUNTIME_SPEEDUPS": "off"}),
    Variant("no-tracker-cache", "tracker cache off (cache_size: 0): pooled WAL SQLite only",
            endpoints="bench/variants/endpoints.no-cache.yml"),
    Variant("rasa-sql-store", "Rasa's own SQLTrackerStore on the same SQLite file",
            endpoints="bench/variants/endpoints.rasa-sql.yml"),
    Variant("in-memory", "in-memory tracker store (conversations lost on restart)",
            endpoints="bench/variants/endpoints.in-memory.yml"),
    Variant("action-server",
            "ACTIONS_MODULE empty: the custom actions in the action server, called over HTTP "
            "(the default before 2026-11-30)", env={"ACTIONS_MODULE": ""}),
    Variant("compressed", "action server, COMPRESS_ACTION_SERVER_REQUEST=true (gzip action "
            "calls)", env={"ACTIONS_MODULE": "", "COMPRESS_ACTION_SERVER_REQUEST": "true"}),
    Variant("shipped-2-workers", "as shipped, SANIC_WORKERS=2: two Sanic workers share the "
            "SQLite file (runtime.lock_store.SQLiteLockStore serialises each conversation)",
            env={"SANIC_WORKERS": "2"}),
    Variant("scaled-1-worker", "PostgreSQL + Redis profile, one Sanic worker",
            endpoints="endpoints.scaled.yml", env=dict(SCALED_ENV), needs_services=True),
    Variant("scaled-2-workers", "PostgreSQL + Redis profile, SANIC_WORKERS=2",
            endpoints="endpoints.scaled.yml", env={**SCALED_ENV, "SANIC_WORKERS": "2"},
            needs_services=True),
]


def measure(variant: Variant, levels: list[int], duration: float) -> dict:
    logdir = CACHE / "logs" / f"variant-{variant.name}"
    logdir.mkdir(parents=True, exist_ok=True)
    bot = our_bot(logdir, variant.endpoints, variant.env)
    conversations = load_conversations(bot.stories)
    result: dict = {"variant": variant.name, "what": variant.what, "load": []}
    try:
        bot.start()
        result["startup_s"] = bot.startup_s
        for users in levels:
            cpu_before = bot.stack.cpu_s()
            res = asyncio.run(run_load(bot, conversations, users, duration,
                                       tag=f"{variant.name}-{users}-{time.time_ns()}"))
            summary = res.summary()
            # CPU of both servers (all their processes) per answered turn: the cost of a
            # turn, whatever else the shared machine is doing
            turns = summary["requests"] + summary["errors"]
            summary["cpu_ms_per_turn"] = ((bot.stack.cpu_s() - cpu_before) * 1000 / turns
                                          if turns else None)
            result["load"].append(summary)
            print(f"    {users} users: {summary['throughput_rps']:.1f} req/s, "
                  f"p50 {summary['p50_ms']:.1f} ms, CPU {fmt(summary['cpu_ms_per_turn'], 1)} "
                  f"ms/turn, errors {summary['errors']}", flush=True)
        result.update(bot.memory())
    finally:
        bot.stop()
    return result


def report(data: dict) -> str:
    levels = data["levels"]
    head = " | ".join(f"{u} user{'s' if u > 1 else ''}: req/s, p50 ms, CPU ms/turn"
                      for u in levels)
    lines = [
        f"Measured {data['date']} on {data['versions']['cores']} cores, "
        f"Python {data['versions']['python']}, Rasa {data['versions']['rasa']}; "
        f"{data['duration']:.0f} s per level.",
        "",
        f"Command: `{data['command']}`",
        "",
        "CPU ms/turn: CPU time of the Rasa server and the action server (every process, "
        "from /proc) during the level, per turn.",
        "RSS: resident memory after the load, summed over every process of the server "
        "(pages that forked Sanic workers share are counted once per worker); PSS: the same "
        "processes' proportional set size (shared pages split between them), the memory they "
        "use together.",
        "",
        f"| variant | what changes | {head} | errors | start-up s | Rasa RSS MB |"
        " actions RSS MB | all processes PSS MB |",
        "|---|---|" + "---:|" * (len(levels) + 5),
    ]
    for row in data["results"]:
        if "skipped" in row:
            lines.append(f"| {row['variant']} | {row['what']} | "
                         + " | ".join("-" for _ in levels)
                         + f" | skipped: {row['skipped']} | | | | |")
            continue
        cells = [f"{fmt(s['throughput_rps'], 1)}, {fmt(s['p50_ms'], 1)}, "
                 f"{fmt(s.get('cpu_ms_per_turn'), 1)}" for s in row["load"]]
        errors = sum(s["errors"] for s in row["load"])
        lines.append(f"| {row['variant']} | {row['what']} | " + " | ".join(cells)
                     + f" | {errors} | {fmt(row['startup_s'], 1)} | {fmt(row['rasa_rss_mb'])} |"
                     f" {fmt(row.get('actions_rss_mb'))} |"
                     f" {fmt(_together(row, 'pss'))} |")
    return "\n".join(lines) + "\n"


def _together(row: dict, kind: str) -> float | None:
    """The Rasa server's and the action server's figure of one kind, added up."""
    parts = [row.get(f"rasa_{kind}_mb"), row.get(f"actions_{kind}_mb")]
    return sum(p for p in parts if p) if parts[0] else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--only", nargs="*", default=[], help="variant names to run")
    args = parser.parse_args()
    chosen = [v for v in VARIANTS if not args.only or v.name in args.only]
    if chosen and chosen[0].name == "shipped" and len(chosen) > 1:
        chosen.append(Variant("shipped (again)", "as shipped, measured last for drift"))
    services = reachable(5432) and reachable(6379)
    results = []
    for variant in chosen:
        print(f"==> {variant.name}: {variant.what}", flush=True)
        if variant.needs_services and not services:
            results.append({"variant": variant.name, "what": variant.what,
                            "skipped": "PostgreSQL or Redis not reachable on 127.0.0.1"})
            continue
        results.append(measure(variant, args.levels, args.duration))
    data = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "versions": versions(), "duration": args.duration, "levels": args.levels,
        "command": " ".join([".venv/bin/python -m bench.variants", *sys.argv[1:]]),
        "results": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "variants.json").write_text(json.dumps(data, indent=2))
    (RESULTS / "variants.md").write_text(report(data))
    print(report(data))


if __name__ == "__main__":
    main()
