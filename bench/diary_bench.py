"""Latency of food-diary turns when today's diary already holds 50 foods.

    .venv/bin/python -m bench.diary_bench [--rounds 120] [--items 50] [--per-message 1]
        [--against KEY=VALUE ...]

Starts our assistant as `make run` does (harness.stack.BotStack: Rasa server with the
SQLite tracker store, action server) on free ports, with the per-sender rate limit off.
Fills one conversation's diary for today with ``--items`` foods through the REST channel
(``--per-message`` foods in each message, 1 by default),
then times ``--rounds`` rounds of three turns each through the same channel: the day's
total ("what's my total today?"), one more food ("I also had a banana") and its removal
("remove the banana"), so the diary stays at ``--items`` foods. Prints p50 / p95 / p99 per
kind of turn and over all of them, and writes bench/results/diary.json. Each time is one
whole HTTP request (NLU, dialogue, the action server, the tracker store), measured from
the client.

``--against KEY=VALUE`` also starts a second assistant with those environment settings
(e.g. ``RUNTIME_SPEEDUPS_LEAVE_OUT=runtime.rule_states,runtime.tracker_copy``: Rasa's
own replays of the whole conversation for the rule policy's states, the copy before each
action and the applied events)
and fills and times it in the same run, each turn sent to one then the other, so the
shared machine's load falls on both alike; it is reported as "against".
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import requests

from bench.run_bench import percentile
from harness.paths import ROOT
from harness.stack import BotStack

RESULTS = ROOT / "bench" / "results"
# Foods with a default serving, said the way people log them; cycled to fill the diary.
FOODS = ("1 oz of almonds", "a cup of cooked spinach", "2 slices of whole wheat bread",
         "a cup of black beans", "1 oz of cashews", "a cup of plain yogurt", "an orange",
         "a cup of brown rice", "1 oz of pumpkin seeds", "a cup of milk")
TURNS = {"total": "what's my total today?", "add": "I also had a banana",
         "remove": "remove the banana"}


def summary(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(percentile(values, 0.95), 1),
            "p99_ms": round(percentile(values, 0.99), 1)}


def say(session: requests.Session, url: str, sender: str, text: str) -> tuple[float, str]:
    began = time.perf_counter()
    response = session.post(f"{url}/webhooks/rest/webhook",
                            json={"sender": sender, "message": text}, timeout=60)
    elapsed = 1000 * (time.perf_counter() - began)
    response.raise_for_status()
    return elapsed, " ".join(m.get("text") or "" for m in response.json())


def diary_size(session: requests.Session, url: str, sender: str, token: str) -> int:
    tracker = session.get(f"{url}/conversations/{sender}/tracker",
                          params={"token": token}, timeout=30).json()
    return len(tracker["slots"].get("food_diary") or [])


def measure(urls: list[str], token: str, items: int, rounds: int,
            per_message: int) -> list[dict]:
    """One result per assistant of ``urls``, each sent every turn in turn."""
    session = requests.Session()
    sender = f"diary-bench-{time.time_ns()}"
    for url in urls:
        say(session, url, sender, "hi")
    for first in range(0, items, per_message):
        foods = [FOODS[n % len(FOODS)] for n in range(first, min(items, first + per_message))]
        for url in urls:
            say(session, url, sender, "I had " + ", ".join(foods[:-1])
                + (" and " if len(foods) > 1 else "") + foods[-1])
    for url in urls:
        filled = diary_size(session, url, sender, token)
        if filled != items:
            raise SystemExit(f"the diary holds {filled} foods after {items} were logged")
    times: list[dict[str, list[float]]] = [{kind: [] for kind in TURNS} for _ in urls]
    for _ in range(rounds):
        for kind, text in TURNS.items():
            for url, kept in zip(urls, times):
                elapsed, _reply = say(session, url, sender, text)
                kept[kind].append(elapsed)
    results = []
    for url, kept in zip(urls, times):
        left = diary_size(session, url, sender, token)
        if left != items:
            raise SystemExit(f"the diary holds {left} foods after the rounds, not {items}")
        every = [t for values in kept.values() for t in values]
        results.append({"items": items, "per_message": per_message, "rounds": rounds,
                        "all": summary(every),
                        **{kind: summary(values) for kind, values in kept.items()}})
    return results


def print_result(title: str, result: dict) -> None:
    print(title)
    for kind in ("total", "add", "remove", "all"):
        row = result[kind]
        print(f"  {kind:7} n={row['n']:4}  p50 {row['p50_ms']:6.1f} ms  "
              f"p95 {row['p95_ms']:6.1f} ms  p99 {row['p99_ms']:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=120)
    parser.add_argument("--per-message", type=int, default=1,
                        help="foods logged per message while filling the diary")
    parser.add_argument("--against", nargs="*", default=[], metavar="KEY=VALUE",
                        help="environment of a second assistant timed in the same run")
    args = parser.parse_args()
    against = dict(pair.split("=", 1) for pair in args.against)
    with tempfile.TemporaryDirectory() as tmp:
        # one sender sends a few hundred messages in a row: the per-sender rate limit is off
        token = secrets.token_hex(16)  # the HTTP API (the tracker, to check the diary)
        env = {"MESSAGES_PER_MINUTE": "0", "RASA_AUTH_TOKEN": token}
        stacks = [BotStack(workdir=Path(tmp) / "shipped", env=env)]
        if against:
            stacks.append(BotStack(workdir=Path(tmp) / "against", env={**env, **against}))
        try:
            for stack in stacks:
                stack.start()
            results = measure([s.rasa_url for s in stacks], token, args.items, args.rounds,
                              args.per_message)
        finally:
            for stack in stacks:
                stack.stop()
    result = results[0]
    if against:
        result["against"] = {"env": against, **results[1]}
    result["date"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "diary.json" if args.per_message == 1 else f"diary-{args.per_message}-per-message.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2) + "\n")
    print_result(f"diary of {args.items} foods logged {args.per_message} per message, "
                 f"{args.rounds} rounds (REST, one user):", result)
    if against:
        print_result(f"against {' '.join(args.against)}, same run:", results[1])


if __name__ == "__main__":
    sys.exit(main())
