#!/usr/bin/env python
"""Compare the knowledge base's entry selectors: Rasa's ResponseSelector against the
project's TF-IDF + logistic-regression KnowledgeSelector (nlu/knowledge.py).

Usage (from the repository root)::

    .venv/bin/python -m bench.knowledge_compare [--epochs 20] [--only sklearn|rasa]

Both are trained in the NLU pipeline of config.yml on data/nlu/ (only the selector differs:
``ResponseSelector`` with ``retrieval_intent: knowledge`` and ``--epochs`` epochs, on the
pipeline's count-vector features). For each it prints the NLU training time, the entry
top-1 on the held-out knowledge questions (tests/nlu_holdout/knowledge_*.yml: the best entry
is the one expected, whatever the intent) and the NLU parse time per message (p50, p95,
single thread, after one warm-up parse). Not a test; results in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from bench.quality import knowledge_holdout, picked_entry
from harness.paths import ROOT

SELECTOR = "nlu.knowledge.KnowledgeSelector"


def config_with(selector: dict) -> dict:
    """config.yml with the knowledge selector replaced by ``selector``."""
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    config["pipeline"] = [selector if step["name"] == SELECTOR else step
                          for step in config["pipeline"]]
    config.pop("policies", None)
    return config


def variants(epochs: int) -> dict[str, dict]:
    return {
        # an entry for every question, whatever the intent, as ResponseSelector gives
        "sklearn": config_with({"name": SELECTOR, "only_for_retrieval_intent": False}),
        "rasa": config_with({"name": "ResponseSelector", "retrieval_intent": "knowledge",
                             "epochs": epochs, "random_seed": 42}),
    }


def measure(name: str, config: dict, workdir: Path) -> dict:
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    config_path = workdir / f"{name}.yml"
    config_path.write_text(yaml.safe_dump(config))
    start = time.perf_counter()
    model = train_nlu(str(config_path), str(ROOT / "data" / "nlu"), str(workdir),
                      fixed_model_name=name, domain=str(ROOT / "domain"))
    trained_s = time.perf_counter() - start
    agent = Agent.load(str(model))
    holdout = knowledge_holdout()

    async def parse_all():
        await agent.parse_message("warm up")
        out, times = [], []
        for text, _ in holdout:
            begin = time.perf_counter()
            out.append(await agent.parse_message(text))
            times.append((time.perf_counter() - begin) * 1000)
        return out, times

    parsed, times = asyncio.run(parse_all())
    top1 = sum(picked_entry(p) == gold for p, (_, gold) in zip(parsed, holdout))
    times.sort()
    return {"name": name, "train_s": trained_s, "top1": top1 / len(holdout),
            "n": len(holdout), "p50_ms": statistics.median(times),
            "p95_ms": times[int(0.95 * (len(times) - 1))]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=20,
                        help="ResponseSelector epochs (Rasa's default is 300)")
    parser.add_argument("--only", choices=["sklearn", "rasa"])
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="knowledge-compare-") as folder:
        for name, config in variants(args.epochs).items():
            if args.only and name != args.only:
                continue
            rows.append(measure(name, config, Path(folder)))
    print(f"\n| selector | entry top-1 (held-out, n={rows[0]['n']}) | NLU parse p50 / p95 (ms) "
          f"| NLU training (s) |")
    print("|---|---|---|---|")
    for row in rows:
        label = ("KnowledgeSelector (TF-IDF + logistic regression)" if row["name"] == "sklearn"
                 else f"ResponseSelector ({args.epochs} epochs)")
        print(f"| {label} | {row['top1']:.3f} | {row['p50_ms']:.1f} / {row['p95_ms']:.1f} "
              f"| {row['train_s']:.0f} |")


if __name__ == "__main__":
    main()
