"""Knowledge-base quality of the trained model, printed: held-out entry top-1, wrong-topic
rate on the near-topic questions, held-out intent macro-F1 (``--errors`` lists the misses).

    .venv/bin/python -m bench.knowledge_quality [--model models/assistant.tar.gz] [--errors]
"""

from __future__ import annotations

import argparse
import asyncio

from bench.quality import knowledge_scores, score_model
from harness.paths import ROOT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=str(ROOT / "models" / "assistant.tar.gz"))
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args()
    from rasa.core.agent import Agent

    agent = Agent.load(args.model)

    def parse(texts):
        async def run():
            return [await agent.parse_message(t) for t in texts]
        return asyncio.run(run())

    scores = knowledge_scores(parse)
    print(f"knowledge held-out: {scores['knowledge_holdout']} questions, entry top-1 "
          f"{scores['knowledge_top1']:.3f}, answered right "
          f"{scores['knowledge_answered_right']:.3f}, "
          f"clarified {scores['knowledge_clarified']:.3f}")
    print(f"near-topic: {scores['near_topic']} questions, wrong-topic rate "
          f"{scores['wrong_topic_rate']:.3f}, clarified or declined "
          f"{scores['near_topic_clarified']:.3f}")
    if args.errors:
        for row in scores["knowledge_holdout_errors"]:
            print("  held-out miss:", row)
        for row in scores["wrong_topic"]:
            print("  wrong topic:", row)
    overall = score_model(args.model)
    print(f"held-out intent macro-F1: {overall['intent_macro_f1']:.3f} over "
          f"{overall['holdout_examples']} examples")


if __name__ == "__main__":
    main()
