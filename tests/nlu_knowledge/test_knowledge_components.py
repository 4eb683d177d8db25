"""nlu/knowledge.py: the entry selector fills Rasa's response_selector output, its ``sure``
decision, the intent classifier that learns each entry as a class, and a stored selector
loaded back. Small training data made here; the real model is measured in
tests/test_knowledge_quality.py."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.knowledge import ENTRY_SCORES, KnowledgeSelector, decide

ENTRIES = {
    "knowledge/coffee_loss": ["does coffee drain magnesium", "coffee and magnesium loss",
                              "is caffeine bad for my magnesium",
                              "do I lose magnesium from coffee"],
    "knowledge/stones_calcium": ["should I avoid calcium after a kidney stone",
                                 "kidney stones and dairy", "can I eat cheese with kidney stones",
                                 "stone formers and calcium in food"],
    "knowledge/sleep_quality": ["does magnesium help me sleep", "magnesium for better sleep",
                                "will magnesium stop me waking at night", "sleep and magnesium"],
}


def training_data() -> TrainingData:
    examples = [Message(data={"text": text, "intent": "knowledge",
                              "intent_response_key": label})
                for label, texts in ENTRIES.items() for text in texts]
    examples += [Message(data={"text": "hello there", "intent": "greet"})]
    responses = {f"utter_{label}": [{"text": f"answer of {label}"}] for label in ENTRIES}
    return TrainingData(training_examples=examples, responses=responses)


@pytest.fixture()
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


def trained(storage, **config) -> KnowledgeSelector:
    context = ExecutionContext(GraphSchema({}), "test")
    selector = KnowledgeSelector.create({**KnowledgeSelector.get_default_config(), **config},
                                        storage, Resource("selector"), context)
    selector.train(training_data())
    return selector


def test_decide_needs_score_margin_and_agreement():
    ranking = [("knowledge/a", 0.6), ("knowledge/b", 0.2)]
    assert decide(ranking, 0.5, 0.2)
    assert not decide(ranking, 0.7, 0.2)
    assert not decide([("knowledge/a", 0.6), ("knowledge/b", 0.5)], 0.5, 0.2)
    assert decide(ranking, 0.5, 0.2, [("knowledge/a", 0.9)])
    assert not decide(ranking, 0.5, 0.2, [("knowledge/b", 0.9)])
    assert not decide(ranking, 0.5, 0.2, [])
    assert not decide([], 0.0, 0.0)


def test_the_selector_fills_the_response_selector_output(storage):
    selector = trained(storage, agree=False, threshold=0.0, margin=0.0)
    message = Message(data={"text": "is coffee draining my magnesium"})
    selector.process([message])
    output = message.get("response_selector")
    assert output["all_retrieval_intents"] == ["knowledge"]
    picked = output["knowledge"]
    assert picked["response"]["intent_response_key"] == "knowledge/coffee_loss"
    assert picked["response"]["utter_action"] == "utter_knowledge/coffee_loss"
    assert picked["response"]["responses"] == [{"text": "answer of knowledge/coffee_loss"}]
    ranking = picked["ranking"]
    assert {r["intent_response_key"] for r in ranking} == set(ENTRIES)
    assert abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-6
    assert ranking[0]["confidence"] == picked["response"]["confidence"]
    assert picked["sure"] is True


def test_the_second_opinion_decides_sure(storage):
    selector = trained(storage, agree=True, threshold=0.0, margin=0.0)
    agree = Message(data={"text": "is coffee draining my magnesium",
                          ENTRY_SCORES: [("knowledge/coffee_loss", 0.8)]})
    disagree = Message(data={"text": "is coffee draining my magnesium",
                             ENTRY_SCORES: [("knowledge/sleep_quality", 0.8)]})
    selector.process([agree, disagree])
    assert agree.get("response_selector")["knowledge"]["sure"] is True
    assert disagree.get("response_selector")["knowledge"]["sure"] is False
    opinion = disagree.get("response_selector")["knowledge"]["intent_classifier_ranking"]
    assert opinion == [{"intent_response_key": "knowledge/sleep_quality", "confidence": 0.8}]


def test_a_stored_selector_answers_the_same(storage):
    selector = trained(storage, agree=False)
    context = ExecutionContext(GraphSchema({}), "test")
    loaded = KnowledgeSelector.load(selector.config, storage, Resource("selector"), context)
    for text in ("kidney stone and milk", "magnesium at bedtime", "hello"):
        assert loaded.ranking(text) == selector.ranking(text)


def test_empty_text_and_no_entries_are_left_alone(storage):
    selector = trained(storage)
    empty = Message(data={"text": "   "})
    selector.process([empty])
    assert empty.get("response_selector") is None
    context = ExecutionContext(GraphSchema({}), "test")
    bare = KnowledgeSelector.create(KnowledgeSelector.get_default_config(), storage,
                                    Resource("bare"), context)
    bare.train(TrainingData(training_examples=[Message(data={"text": "hi",
                                                             "intent": "greet"})]))
    message = Message(data={"text": "does coffee drain magnesium"})
    bare.process([message])
    assert message.get("response_selector") is None
