"""Latency of food-diary turns when today's diary already holds 50 foods.

    .venv/bin/python -m bench.diary_bench [--rounds 120] [--items 50]

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


def measure(url: str, token: str, items: int, rounds: int, per_message: int) -> dict:
    session = requests.Session()
    sender = f"diary-bench-{time.time_ns()}"
    say(session, url, sender, "hi")
    for first in range(0, items, per_message):
        foods = [FOODS[n % len(FOODS)] for n in range(first, min(items, first + per_message))]
        say(session, url, sender, "I had " + ", ".join(foods[:-1])
            + (" and " if len(foods) > 1 else "") + foods[-1])
    filled = diary_size(session, url, sender, token)
    if filled != items:
        raise SystemExit(f"the diary holds {filled} foods after {items} were logged")
    times: dict[str, list[float]] = {kind: [] for kind in TURNS}
    for _ in range(rounds):
        for kind, text in TURNS.items():
            elapsed, _reply = say(session, url, sender, text)
            times[kind].append(elapsed)
    left = diary_size(session, url, sender, token)
    if left != items:
        raise SystemExit(f"the diary holds {left} foods after the rounds, not {items}")
    every = [t for values in times.values() for t in values]
    return {"items": items, "per_message": per_message, "rounds": rounds,
            "all": summary(every),
            **{kind: summary(values) for kind, values in times.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=120)
    parser.add_argument("--per-message", type=int, default=1,
                        help="foods logged per message while filling the diary")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # one sender sends a few hundred messages in a row: the per-sender rate limit is off
        token = secrets.token_hex(16)  # the HTTP API (the tracker, to check the diary)
        stack = BotStack(workdir=Path(tmp),
                         env={"MESSAGES_PER_MINUTE": "0", "RASA_AUTH_TOKEN": token}).start()
        try:
            result = measure(stack.rasa_url, token, args.items, args.rounds, args.per_message)
        finally:
            stack.stop()
    result["date"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "diary.json" if args.per_message == 1 else f"diary-{args.per_message}-per-message.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2) + "\n")
    print(f"diary of {args.items} foods logged {args.per_message} per message, "
          f"{args.rounds} rounds (REST, one user):")
    for kind in ("total", "add", "remove", "all"):
        row = result[kind]
        print(f"  {kind:7} n={row['n']:4}  p50 {row['p50_ms']:6.1f} ms  "
              f"p95 {row['p95_ms']:6.1f} ms  p99 {row['p99_ms']:6.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
