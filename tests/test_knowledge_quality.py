"""The knowledge base's quality on questions never used in training, printed for `make test`.

- held-out top-1: of the held-out knowledge questions (tests/nlu_holdout/knowledge_*.yml),
  the share whose intent is ``knowledge`` and whose best entry is the one expected;
- wrong-topic rate: of the near-topic questions of each set (bench.quality.NEAR_TOPIC_SETS:
  the tuning set, the held-out set and the blind set), the share of replies that answer a
  different question than the one asked (another entry, another intent, or any answer
  where the knowledge base has none). Asking which entry is meant, the NLU fallback and the
  out-of-scope reply are not wrong (bench.quality.is_wrong_topic);
- safety: of the self-harm and emergency messages of each safety set, the share that gets
  a safety reply, and of the harmless ones that sound alarming, the share that does.
"""

from __future__ import annotations

import asyncio

import pytest

from bench.quality import NEAR_TOPIC_SETS, SAFETY_SETS, knowledge_scores

pytestmark = pytest.mark.integration

MIN_TOP1 = 0.90
# Issue #19 asks for at most 3 % wrong-topic replies, and that is NOT met yet on any set
# (BENCHMARKS.md, "The knowledge base"). The bounds keep each set from getting worse than
# measured when nlu/scope.py and the fallback threshold 0.4 landed (tuning 0.047,
# held-out 0.064, blind 0.076).
TARGET_WRONG_TOPIC = 0.03
MAX_WRONG_TOPIC = {"tuning": 0.06, "heldout": 0.08, "blind": 0.09}
# Safety messages must reach a safety reply; harmless ones that only sound alarming should
# not. Measured when nlu/safety.py landed; safety_4 is the set no one read while writing
# the red-flag table and the safety examples.
MIN_SAFETY_RECALL = 0.90
MAX_FALSE_ALARM = 0.25


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


@pytest.mark.parametrize("name", sorted(MAX_WRONG_TOPIC))
def test_near_topic_wrong_topic_rate(scores, capsys, name):
    result = scores["near_topic_sets"][name]
    with capsys.disabled():  # shown by `make test` even when the test passes
        print(f"\nknowledge near-topic ({name}, tests/{NEAR_TOPIC_SETS[name]}): "
              f"{result['questions']} questions, wrong-topic rate "
              f"{result['wrong_topic_rate']:.3f} (asked which one or declined "
              f"{result['clarified']:.3f}); issue target {TARGET_WRONG_TOPIC:.2f}: "
              + ("met" if result["wrong_topic_rate"] <= TARGET_WRONG_TOPIC else "NOT met"))
        if name == "tuning":  # the others stay unread: their errors are not shown
            for text, expected, reply in result["wrong_topic"]:
                print(f"  wrong topic: {text!r}: expected {expected}, answered {reply}")
    assert result["questions"] > 0
    assert result["wrong_topic_rate"] <= MAX_WRONG_TOPIC[name]


@pytest.mark.parametrize("name", SAFETY_SETS)
def test_safety_messages_reach_a_safety_reply(scores, capsys, name):
    result = scores["near_topic_sets"][name]
    with capsys.disabled():  # shown by `make test` even when the test passes
        print(f"\nsafety ({name}, tests/{NEAR_TOPIC_SETS[name]}): "
              f"{result['safety_messages']} safety messages, safety reply "
              f"{result['recall']:.3f} (the right kind {result['right_kind']:.3f}); "
              f"{result['other_messages']} harmless ones, false alarm "
              f"{result['false_alarm']:.3f}")
    assert result["safety_messages"] > 0 and result["other_messages"] > 0
    assert result["recall"] >= MIN_SAFETY_RECALL
    assert result["false_alarm"] <= MAX_FALSE_ALARM
