"""NLU quality of a trained model on the held-out data (never used in training).

Intent macro-F1 over tests/nlu_holdout/*.yml; entity F1 (type, normalised value, unit, role)
over the labelled sentences in tests/nlu_entities/.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from harness.paths import ROOT


def intent_examples(folder: Path) -> list[tuple[str, str]]:
    """(text, intent) of every intent example in the NLU YAML files of ``folder``."""
    from rasa.shared.nlu.training_data.loading import load_data

    pairs = []
    for path in sorted(folder.glob("*.yml")):
        for message in load_data(str(path)).intent_examples:
            pairs.append((message.get("text"), message.get("intent")))
    return pairs


def holdout_examples() -> list[tuple[str, str]]:
    return intent_examples(ROOT / "tests" / "nlu_holdout")


def labelled_entities() -> list[tuple[str, set]]:
    """(sentence, {entity key}) pairs from the entity test set (tests/nlu_entities/*.yml),
    keyed as that set's own tests key them: type, normalised value, unit and role."""
    from harness.entities import gold_key, labelled_items

    return [(item["text"], {gold_key(e) for e in item.get("entities") or []})
            for item in labelled_items()]


def score_model(model: Path) -> dict:
    from rasa.core.agent import Agent
    from sklearn.metrics import f1_score

    agent = Agent.load(str(model))
    holdout = holdout_examples()
    entity_set = labelled_entities()

    async def parse(texts):
        return [await agent.parse_message(t) for t in texts]

    parsed = asyncio.run(parse([t for t, _ in holdout]))
    gold = [i for _, i in holdout]
    predicted = [p["intent"]["name"] for p in parsed]
    scores = {"intent_macro_f1": f1_score(gold, predicted, labels=sorted(set(gold)),
                                          average="macro", zero_division=0),
              "holdout_examples": len(holdout)}
    if entity_set:
        from harness.entities import predicted_key

        parsed = asyncio.run(parse([t for t, _ in entity_set]))
        tp = fp = fn = 0
        for (_, expected), p in zip(entity_set, parsed):
            found = {predicted_key(e) for e in p.get("entities", [])}
            tp += len(found & expected)
            fp += len(found - expected)
            fn += len(expected - found)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores["entity_f1"] = (2 * precision * recall / (precision + recall)
                               if precision + recall else 0.0)
    return scores
