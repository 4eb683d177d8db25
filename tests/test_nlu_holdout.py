"""Intent quality on the held-out NLU set (tests/nlu_holdout/*.yml), never used in training.

The trained model parses every held-out example; intent macro-F1 must be at least 0.95.
The figures are printed so `make test` shows them.
"""

import asyncio

import pytest

from bench.quality import intent_examples
from harness.paths import ROOT

pytestmark = pytest.mark.integration

HOLDOUT = ROOT / "tests" / "nlu_holdout"
TRAINING = ROOT / "data" / "nlu"
MIN_MACRO_F1 = 0.95


@pytest.fixture(scope="module")
def holdout():
    pairs = intent_examples(HOLDOUT)
    if not pairs:
        pytest.fail("tests/nlu_holdout/ holds no examples")
    return pairs


def test_holdout_never_appears_in_training(holdout):
    training = {text.strip().lower() for text, _ in intent_examples(TRAINING)}
    leaked = [text for text, _ in holdout if text.strip().lower() in training]
    assert not leaked, f"held-out examples also in training data: {leaked[:10]}"


def test_holdout_is_at_least_a_fifth_of_the_examples(holdout):
    training = intent_examples(TRAINING)
    share = len(holdout) / (len(holdout) + len(training))
    print(f"\nNLU held-out set: {len(holdout)} examples, {share:.0%} of all examples")
    assert share >= 0.20


def test_intent_macro_f1_on_holdout(trained_model, holdout, capsys):
    from rasa.core.agent import Agent
    from sklearn.metrics import classification_report, f1_score

    agent = Agent.load(str(trained_model))

    async def parse_all():
        return [await agent.parse_message(text) for text, _ in holdout]

    parsed = asyncio.run(parse_all())
    gold = [intent for _, intent in holdout]
    predicted = [p["intent"]["name"] for p in parsed]
    labels = sorted(set(gold))
    macro_f1 = f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)
    with capsys.disabled():  # shown by `make test` even when the test passes
        print(f"\nNLU held-out intent macro-F1: {macro_f1:.3f} over {len(holdout)} examples, "
              f"{len(labels)} intents")
    if macro_f1 < MIN_MACRO_F1:
        print(classification_report(gold, predicted, labels=labels, zero_division=0))
        errors = [(t, g, p) for (t, g), p in zip(holdout, predicted) if g != p]
        for text, g, p in errors[:40]:
            print(f"  {text!r}: expected {g}, got {p}")
    assert macro_f1 >= MIN_MACRO_F1
