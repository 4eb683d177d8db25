"""The knowledge base's quality on questions never used in training, printed for `make test`.

- held-out top-1: of the held-out knowledge questions (tests/nlu_holdout/knowledge_*.yml),
  the share whose intent is ``knowledge`` and whose best entry is the one expected;
- wrong-topic rate: of the near-topic questions (tests/knowledge_near_topic/*.yml), the
  share of replies that answer a different question than the one asked (another entry,
  another intent, or any answer where the knowledge base has none). Asking which entry is
  meant, the NLU fallback and the out-of-scope reply are not wrong
  (bench.quality.is_wrong_topic).
"""

from __future__ import annotations

import asyncio

import pytest

from bench.quality import knowledge_scores

pytestmark = pytest.mark.integration

MIN_TOP1 = 0.90
# Issue #19 asks for at most 3 % and that is NOT met yet: the near-topic set's hardest
# questions share every word but one with an entry ("cluster headaches", "heavy periods",
# "insomnia in dogs") and both stages agree on that entry with high confidence; others are
# confusions between ordinary intents (BENCHMARKS.md, "The knowledge base"). This bound
# keeps the rate from getting worse than measured when the answer rule was tuned (0.075).
TARGET_WRONG_TOPIC = 0.03
MAX_WRONG_TOPIC = 0.10


@pytest.fixture(scope="module")
def scores(trained_model):
    from rasa.core.agent import Agent

    agent = Agent.load(str(trained_model))

    def parse(texts):
        async def run():
            return [await agent.parse_message(text) for text in texts]
        return asyncio.run(run())

    return knowledge_scores(parse)


def test_knowledge_holdout_top1(scores, capsys):
    with capsys.disabled():  # shown by `make test` even when the test passes
        print(f"\nknowledge held-out: {scores['knowledge_holdout']} questions, entry top-1 "
              f"{scores['knowledge_top1']:.3f} (answered right at once "
              f"{scores['knowledge_answered_right']:.3f}, asked which one "
              f"{scores['knowledge_clarified']:.3f})")
    assert scores["knowledge_holdout"] > 0
    if scores["knowledge_top1"] < MIN_TOP1:
        for row in scores["knowledge_holdout_errors"]:
            print("  miss:", row)
    assert scores["knowledge_top1"] >= MIN_TOP1


def test_near_topic_wrong_topic_rate(scores, capsys):
    with capsys.disabled():  # shown by `make test` even when the test passes
        print(f"\nknowledge near-topic: {scores['near_topic']} questions, wrong-topic rate "
              f"{scores['wrong_topic_rate']:.3f} (asked which one or declined "
              f"{scores['near_topic_clarified']:.3f}); issue target "
              f"{TARGET_WRONG_TOPIC:.2f}: "
              + ("met" if scores["wrong_topic_rate"] <= TARGET_WRONG_TOPIC else "NOT met"))
        for text, expected, reply in scores["wrong_topic"]:
            print(f"  wrong topic: {text!r}: expected {expected}, answered {reply}")
    assert scores["near_topic"] > 0
    assert scores["wrong_topic_rate"] <= MAX_WRONG_TOPIC
