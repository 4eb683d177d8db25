#!/usr/bin/env python
"""Single-user answer time of knowledge-base turns, and the Rasa server's memory.

    .venv/bin/python -m bench.knowledge_bench [--rounds 2]

Starts the assistant as `make run` does (harness BotStack: Rasa server and action server,
REST channel), then one user asks the held-out knowledge questions
(tests/nlu_holdout/knowledge_*.yml) one after the other, ``--rounds`` times, ten to a
conversation (then a fresh sender), and the answer time of each REST request is recorded
(loopback only; bounded by the number of questions). Prints p50, p95 and the resident memory of the
Rasa server after the run; writes bench/results/knowledge.json. Part of `make bench`.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import requests

from bench.quality import intent_examples, knowledge_holdout
from bench.run_bench import CACHE, RESULTS, our_bot, percentile
from harness.paths import ROOT

# Questions asked in one conversation before a new one starts (a fresh sender).
PER_CONVERSATION = 10
HOLDOUT = ROOT / "tests" / "nlu_holdout"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--compare", metavar="FILE",
                        help="ask the held-out questions of tests/nlu_holdout/FILE instead "
                             "(e.g. topics.yml: the seed article's topic answers)")
    args = parser.parse_args()
    if args.compare:
        questions = [text for text, _ in intent_examples(HOLDOUT, args.compare)]
    else:
        questions = [text for text, _ in knowledge_holdout()]
    logdir = CACHE / "logs"
    logdir.mkdir(parents=True, exist_ok=True)
    bot = our_bot(logdir)
    times: list[float] = []
    errors = 0
    bot.start()
    try:
        with requests.Session() as session:
            session.post(bot.url, json={"sender": "warm-up", "message": questions[0]},
                         timeout=60)
            for round_ in range(args.rounds):
                for i, text in enumerate(questions):
                    began = time.perf_counter()
                    sender = f"kb-{round_}-{i // PER_CONVERSATION}"
                    reply = session.post(bot.url, json={"sender": sender,
                                                        "message": text}, timeout=60)
                    elapsed = (time.perf_counter() - began) * 1000
                    if reply.status_code == 200 and reply.json():
                        times.append(elapsed)
                    else:
                        errors += 1
        memory = bot.memory()
    finally:
        bot.stop()
    result = {"questions": len(questions), "requests": len(times), "errors": errors,
              "p50_ms": percentile(times, 0.50), "p95_ms": percentile(times, 0.95),
              **memory}
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"knowledge-compare-{Path(args.compare).stem}" if args.compare else "knowledge"
    Path(RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2))
    print(f"{args.compare or 'knowledge'} turns, one user: {len(times)} requests, {errors} errors, "
          f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms; "
          f"Rasa server RSS {memory.get('rasa_rss_mb', 0):.0f} MB")


if __name__ == "__main__":
    main()
