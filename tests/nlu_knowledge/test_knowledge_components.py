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

from nlu.knowledge import ENTRY_SCORES, KnowledgeSelector, column_major_weights, decide

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


KNOWLEDGE = {"name": "knowledge", "confidence": 0.9}


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
    message = Message(data={"text": "is coffee draining my magnesium", "intent": KNOWLEDGE})
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
    agree = Message(data={"text": "is coffee draining my magnesium", "intent": KNOWLEDGE,
                          ENTRY_SCORES: [("knowledge/coffee_loss", 0.8)]})
    disagree = Message(data={"text": "is coffee draining my magnesium", "intent": KNOWLEDGE,
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
    empty = Message(data={"text": "   ", "intent": KNOWLEDGE})
    selector.process([empty])
    assert empty.get("response_selector") is None
    context = ExecutionContext(GraphSchema({}), "test")
    bare = KnowledgeSelector.create(KnowledgeSelector.get_default_config(), storage,
                                    Resource("bare"), context)
    bare.train(TrainingData(training_examples=[Message(data={"text": "hi",
                                                             "intent": "greet"})]))
    message = Message(data={"text": "does coffee drain magnesium", "intent": KNOWLEDGE})
    bare.process([message])
    assert message.get("response_selector") is None


def test_an_entry_is_picked_only_when_the_intent_is_the_knowledge_base(storage):
    """The entry is used only on knowledge turns (data/rules/knowledge.yml); other intents
    skip the selector unless it is configured to pick for every message."""
    text = "is coffee draining my magnesium"
    other = Message(data={"text": text, "intent": {"name": "greet", "confidence": 0.8}})
    trained(storage).process([other])
    assert other.get("response_selector") is None
    every = Message(data={"text": text, "intent": {"name": "greet", "confidence": 0.8}})
    trained(storage, only_for_retrieval_intent=False).process([every])
    picked = every.get("response_selector")["knowledge"]["response"]
    assert picked["intent_response_key"] == "knowledge/coffee_loss"


def test_column_major_weights_keep_every_probability(storage):
    selector = trained(storage, agree=False)
    classifier = selector.model[-1]
    texts = ["kidney stone and milk", "magnesium at bedtime", "hello", "coffee"]
    before = selector.model.predict_proba(texts)
    assert not classifier.coef_.flags.f_contiguous
    column_major_weights(classifier)
    assert classifier.coef_.flags.f_contiguous
    after = selector.model.predict_proba(texts)
    assert (abs(after - before) < 1e-12).all()


def _featurised(text: str, counts: list[list[int]], dense: list[float] | None = None):
    import numpy as np
    from rasa.shared.nlu.training_data.features import Features
    from scipy.sparse import coo_matrix

    message = Message(data={"text": text})
    for origin, row in zip(("words", "chars"), counts):
        message.add_features(Features(coo_matrix(np.array([row], dtype=np.int64)),
                                      "sentence", "text", origin))
    if dense is not None:
        message.add_features(Features(np.array([dense]), "sentence", "text", "dense"))
    return message


@pytest.mark.parametrize("dense", [None, [0.5, 0.25]])
def test_the_feature_matrix_is_rasas(storage, dense):
    """KnowledgeIntentClassifier._create_X gives Rasa's matrix (same shape, type, values),
    for one message and for several, with or without dense features."""
    from rasa.nlu.classifiers.logistic_regression_classifier import (
        LogisticRegressionClassifier,
    )

    from nlu.knowledge import KnowledgeIntentClassifier

    context = ExecutionContext(GraphSchema({}), "test")
    classifier = KnowledgeIntentClassifier.create(
        KnowledgeIntentClassifier.get_default_config(), storage, Resource("intent"), context)
    messages = [_featurised("a", [[1, 0, 2], [0, 3]], dense),
                _featurised("b", [[0, 0, 0], [4, 0]], dense)]
    for batch in (messages[:1], messages):
        ours = classifier._create_X(batch)
        rasas = LogisticRegressionClassifier._create_X(classifier, batch)
        assert ours.shape == rasas.shape and ours.dtype == rasas.dtype
        assert (ours.toarray() == rasas.toarray()).all()
