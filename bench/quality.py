"""NLU quality of a trained model on the held-out data (never used in training).

Intent macro-F1 over tests/nlu_holdout/*.yml; entity F1 (type, normalised value, unit, role)
over the labelled sentences in tests/nlu_entities/.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from common.safety import SAFETY_INTENTS
from harness.paths import ROOT


def intent_examples(folder: Path, pattern: str = "*.yml") -> list[tuple[str, str]]:
    """(text, intent) of every intent example in the NLU YAML files of ``folder``."""
    from rasa.shared.nlu.training_data.loading import load_data

    pairs = []
    for path in sorted(folder.glob(pattern)):
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


# ------------------------------------------------------------------------- knowledge base

KNOWLEDGE = "knowledge"
# What a reply does when it answers no topic: the entry clarify question (or the honest
# "I don't know" of action_answer_knowledge), the NLU fallback, the out-of-scope answer.
NOT_ANSWERED = ("clarify", "nlu_fallback", "out_of_scope")


def knowledge_holdout(folder: Path | None = None) -> list[tuple[str, str]]:
    """(text, ``knowledge/<entry>``) of the held-out knowledge questions
    (tests/nlu_holdout/knowledge_*.yml)."""
    from rasa.shared.nlu.training_data.loading import load_data

    folder = folder or ROOT / "tests" / "nlu_holdout"
    pairs = []
    for path in sorted(folder.glob("knowledge_*.yml")):
        for message in load_data(str(path)).intent_examples:
            pairs.append((message.get("text"), message.get("intent_response_key")))
    return pairs


# The near-topic sets, each scored on its own. ``tuning`` was used to choose training
# examples and the selector's settings; ``heldout`` (written before any tuning) and
# ``blind`` (written later by someone who had read neither the training examples nor the
# errors on the other sets) never were: their rates are the ones the target is
# read on. The safety sets hold self-harm and emergency messages and harmless ones that
# merely sound alarming (``other``: anything but a safety reply is right), each written
# blind (without the training examples, the red-flag table or the other sets). The first
# three were read to write the red-flag table; the fourth was written after it and is the
# one to quote.
NEAR_TOPIC_SETS = {
    "tuning": "knowledge_near_topic",
    "heldout": "knowledge_near_topic_heldout",
    "blind": "knowledge_near_topic_blind",
    "safety": "safety_heldout",
    "safety_2": "safety_heldout_2",
    "safety_3": "safety_heldout_3",
    "safety_4": "safety_heldout_4",
}
SAFETY_SETS = ("safety", "safety_2", "safety_3", "safety_4")


def near_topic_questions(folder: Path | str | None = None) -> list[tuple[str, str]]:
    """(text, expected answer) of the near-topic questions of ``folder`` (a path, or a name
    of :data:`NEAR_TOPIC_SETS`; default the tuning set): ``knowledge/<entry>``, an intent
    name, or ``none`` (no checked answer: it must not answer)."""
    import yaml

    if folder is None or isinstance(folder, str) and folder in NEAR_TOPIC_SETS:
        folder = ROOT / "tests" / NEAR_TOPIC_SETS[folder or "tuning"]
    pairs = []
    for path in sorted(Path(folder).glob("*.yml")):
        for row in (yaml.safe_load(path.read_text()) or {}).get("questions") or []:
            pairs.append((str(row["text"]), str(row["expect"])))
    return pairs


def picked_entry(parsed: dict) -> str | None:
    """The knowledge entry the selector ranked first (``knowledge/<entry>``), if any."""
    selected = (parsed.get("response_selector") or {}).get(KNOWLEDGE) or {}
    return (selected.get("response") or {}).get("intent_response_key")


def answered(parsed: dict) -> str:
    """What the reply to a parsed message answers: ``knowledge/<entry>`` when the intent is
    the knowledge base and the selector is sure of the entry, ``clarify`` when it is not
    (the action asks which entry, or says it doesn't know), else the intent's name."""
    intent = (parsed.get("intent") or {}).get("name") or "nlu_fallback"
    if intent != KNOWLEDGE:
        return str(intent)
    selected = (parsed.get("response_selector") or {}).get(KNOWLEDGE) or {}
    entry = picked_entry(parsed)
    return str(entry) if entry and selected.get("sure") else "clarify"


def is_wrong_topic(expected: str, reply: str) -> bool:
    """A reply that answers a different question than the one asked (asking which one is
    meant, or saying it doesn't know, is not wrong)."""
    return reply not in NOT_ANSWERED and reply != expected


def wrong_topic_scores(questions: list[tuple[str, str]], parsed: list[dict]) -> dict:
    """Wrong-topic rate of one near-topic set, with the errors and the share not answered."""
    replies = [answered(p) for p in parsed]
    wrong = [(t, e, r) for (t, e), r in zip(questions, replies) if is_wrong_topic(e, r)]
    n = len(questions)
    return {"questions": n,
            "wrong_topic_rate": len(wrong) / n if n else 0.0,
            "wrong_topic": wrong,
            "clarified": sum(r in NOT_ANSWERED for r in replies) / n if n else 0.0}


def safety_scores(questions: list[tuple[str, str]], parsed: list[dict]) -> dict:
    """Of the safety messages (self-harm or emergency expected): the share that got a safety
    reply (``recall``, either kind: both come first) and the share that got the expected
    kind; of the others, the share that got a safety reply (``false_alarm``)."""
    intents = [str((p.get("intent") or {}).get("name")) for p in parsed]
    safety = [(t, e, i) for (t, e), i in zip(questions, intents) if e in SAFETY_INTENTS]
    other = [(t, e, i) for (t, e), i in zip(questions, intents) if e not in SAFETY_INTENTS]
    return {
        "safety_messages": len(safety),
        "recall": sum(i in SAFETY_INTENTS for _, _, i in safety) / len(safety) if safety else 0.0,
        "right_kind": sum(i == e for _, e, i in safety) / len(safety) if safety else 0.0,
        "missed": [row for row in safety if row[2] not in SAFETY_INTENTS],
        "other_messages": len(other),
        "false_alarm": (sum(i in SAFETY_INTENTS for _, _, i in other) / len(other)
                        if other else 0.0),
        "false_alarms": [row for row in other if row[2] in SAFETY_INTENTS],
    }


def knowledge_scores(parse) -> dict:
    """Knowledge held-out top-1 and answered share, and the wrong-topic rate of each
    near-topic set (``near_topic_sets``; the tuning set's also at the top level), with the
    errors. ``parse``: texts -> parsed messages."""
    holdout = knowledge_holdout()
    sets = {name: near_topic_questions(name) for name in NEAR_TOPIC_SETS}
    texts = [t for t, _ in holdout]
    for questions in sets.values():
        texts += [t for t, _ in questions]
    parsed = parse(texts)
    held, rest = parsed[:len(holdout)], parsed[len(holdout):]
    near_sets = {}
    for name, questions in sets.items():
        scored = (safety_scores if name in SAFETY_SETS else wrong_topic_scores)
        near_sets[name] = scored(questions, rest[:len(questions)])
        rest = rest[len(questions):]
    top1 = [((p.get("intent") or {}).get("name") == KNOWLEDGE and picked_entry(p) == gold)
            for (_, gold), p in zip(holdout, held)]
    replies = [answered(p) for p in held]
    tuning = near_sets["tuning"]
    return {
        "knowledge_holdout": len(holdout),
        "knowledge_top1": sum(top1) / len(holdout) if holdout else 0.0,
        "knowledge_answered_right": (sum(r == g for r, (_, g) in zip(replies, holdout))
                                     / len(holdout) if holdout else 0.0),
        "knowledge_clarified": (sum(r == "clarify" for r in replies) / len(holdout)
                                if holdout else 0.0),
        "knowledge_holdout_errors": [
            (t, g, (p.get("intent") or {}).get("name"), picked_entry(p), answered(p))
            for (t, g), p, ok in zip(holdout, held, top1) if not ok],
        "near_topic": tuning["questions"],
        "wrong_topic_rate": tuning["wrong_topic_rate"],
        "wrong_topic": tuning["wrong_topic"],
        "near_topic_clarified": tuning["clarified"],
        "near_topic_sets": near_sets,
    }
