"""Rasa 3.6 NLU components of the knowledge base (domain/knowledge.yml).

The knowledge base is one retrieval intent, ``knowledge``, whose examples are labelled by
entry (``knowledge/<area>_<topic>``). Two components decide a knowledge turn in two stages:

1. :class:`KnowledgeIntentClassifier` picks the intent. It is Rasa's
   ``LogisticRegressionClassifier`` (same features, same solver, balanced class weights)
   with one change: it learns each knowledge entry as a class of its own, then reports the
   intent ``knowledge`` with the summed probability of its entries. Rasa's classifier sees
   the whole knowledge base as one class; with balanced weights its hundreds of varied
   examples then weigh as much as one small intent, and knowledge questions leak into the
   other intents. Other retrieval intents would be handled the same way.
2. :class:`KnowledgeSelector` picks the entry, like Rasa's ``ResponseSelector`` and with the
   same output (``response_selector`` in the parse data, so Rasa's ``utter_knowledge``
   action works as documented), but with scikit-learn: TF-IDF of word 1-2 grams and of
   character 2-5 grams within words, and a logistic regression over the entries (bench:
   ``bench/knowledge_compare.py`` against ``ResponseSelector``). It adds two keys of its
   own to the prediction: ``intent_classifier_ranking`` (stage 1's own best entries, a
   second opinion from other features) and ``sure``: false when the best entry's
   probability is under ``threshold``, within ``margin`` of the second one, or not stage
   1's best entry too. The answer action then asks which entry is meant instead of
   answering (actions/knowledge.py).

Both components never raise on any message text.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_RESPONSE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, vstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

logger = logging.getLogger(__name__)

# The keys of Rasa's response_selector output (rasa.nlu.selectors.response_selector).
RESPONSE_SELECTOR = "response_selector"
ALL_RETRIEVAL_INTENTS = "all_retrieval_intents"
SURE = "sure"
# The intent classifier's best entries with their probabilities, kept on the message for
# the selector (not part of the parse output).
ENTRY_SCORES = "knowledge_entry_scores"
ENTRY_SCORES_KEPT = 5
SECOND_OPINION = "intent_classifier_ranking"
FILE = "knowledge_selector.skops"
# The only types a stored selector may hold (skops refuses others unless trusted).
TRUSTED_MODULES = ("sklearn.", "numpy.", "scipy.", "builtins.")


def retrieval_label(message: Message) -> str | None:
    """``knowledge/<entry>`` for an example of a retrieval intent, else None."""
    key = message.get(INTENT_RESPONSE_KEY)
    return str(key) if key and "/" in str(key) else None


def _base_intent(label: str) -> str:
    return label.split("/", 1)[0]


def column_major_weights(classifier: Any) -> None:
    """Store a fitted linear model's weights column-major, once.

    scikit-learn scores a message as ``X @ coef_.T``; with X sparse, scipy needs the dense
    right-hand side in row-major order and copies ``coef_.T`` (classes x features, 20-30 MB
    here) on every call when ``coef_`` is row-major. Column-major, its transpose is
    row-major and nothing is copied: the same figures, a few milliseconds less per message.
    """
    coef = getattr(classifier, "coef_", None)
    if isinstance(coef, np.ndarray) and not coef.flags.f_contiguous:
        classifier.coef_ = np.asfortranarray(coef)


# ---------------------------------------------------------------------- stage 1: the intent


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class KnowledgeIntentClassifier(LogisticRegressionClassifier):
    """Rasa's logistic-regression intent classifier, each retrieval entry learnt as a class.

    Config as ``LogisticRegressionClassifier``, plus ``C`` (inverse regularisation, 1.0 as in
    scikit-learn). The intent ranking holds intents only: a retrieval intent's confidence is
    the sum of its entries' probabilities.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), "C": 1.0}

    def __init__(
        self,
        config: dict[str, Any],
        name: str,
        model_storage: ModelStorage,
        resource: Resource,
    ) -> None:
        super().__init__(config, name, model_storage, resource)
        self.clf.C = float(self.config["C"])

    def _create_training_matrix(
        self, training_data: TrainingData
    ) -> tuple[csr_matrix, list[str]]:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        labels = [retrieval_label(e) or str(e.get(INTENT)) for e in examples]
        return self._create_X(examples), labels

    def _create_X(self, messages: list[Message]) -> csr_matrix:
        """Rasa's matrix (sentence-level sparse features, then dense ones), built without
        stacking each message's sparse row with an empty dense block when a message has no
        dense features (the project's pipeline has none): the same values, in float64 as
        Rasa's stacking gives them, about a millisecond less per message."""
        rows = []
        for message in messages:
            sparse = message.get_sparse_features(attribute=TEXT)[1]
            dense = message.get_dense_features(attribute=TEXT)[1]
            if sparse is None or dense is not None:
                return super()._create_X(messages)
            rows.append(csr_matrix(sparse.features, dtype=np.float64))
        return rows[0] if len(rows) == 1 else vstack(rows, format="csr")

    def process(self, messages: list[Message]) -> list[Message]:
        if not messages:
            return messages
        column_major_weights(self.clf)
        probabilities = self.clf.predict_proba(self._create_X(messages))
        labels = [str(c) for c in self.clf.classes_]
        classes = [_base_intent(label) for label in labels]
        for message, row in zip(messages, probabilities):
            summed: dict[str, float] = {}
            for intent, probability in zip(classes, row):
                summed[intent] = summed.get(intent, 0.0) + float(probability)
            # The entries' own probabilities, for the selector's second opinion (internal:
            # not part of the parse output).
            entries = sorted(((label, float(p)) for label, p in zip(labels, row)
                              if "/" in label), key=lambda e: -e[1])
            message.set(ENTRY_SCORES, entries[:ENTRY_SCORES_KEPT])
            ranking = sorted(
                ({"name": k, "confidence": v} for k, v in summed.items()),
                key=lambda e: -e["confidence"],
            )
            message.set(INTENT, ranking[0], add_to_output=True)
            length = int(self.config["ranking_length"])
            message.set(
                "intent_ranking", ranking[:length] if length > 0 else ranking,
                add_to_output=True,
            )
        return messages


# ----------------------------------------------------------------------- stage 2: the entry


def selector_pipeline(c: float = 20.0, random_state: int = 42) -> Pipeline:
    """TF-IDF of words and of characters within words, and a logistic regression."""
    features = FeatureUnion([
        ("words", TfidfVectorizer(lowercase=True, ngram_range=(1, 2), sublinear_tf=True)),
        ("chars", TfidfVectorizer(lowercase=True, analyzer="char_wb", ngram_range=(2, 5),
                                  sublinear_tf=True)),
    ])
    classifier = LogisticRegression(C=c, max_iter=2000, random_state=random_state)
    return Pipeline([("features", features), ("classifier", classifier)])


def decide(ranking: list[tuple[str, float]], threshold: float, margin: float,
           second_opinion: list[tuple[str, float]] | None = None) -> bool:
    """Sure of the best entry: its probability reaches ``threshold``, beats the second one
    by at least ``margin`` and, when a second opinion is given (the intent classifier's own
    ranking of the entries, from other features), is that opinion's best entry too."""
    if not ranking:
        return False
    best = ranking[0][1]
    second = ranking[1][1] if len(ranking) > 1 else 0.0
    if second_opinion is not None and (not second_opinion
                                       or second_opinion[0][0] != ranking[0][0]):
        return False
    return best >= threshold and best - second >= margin


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class KnowledgeSelector(GraphComponent):
    """Picks the entry of a retrieval intent; fills ``response_selector`` as Rasa's
    ``ResponseSelector`` does, plus ``sure``.

    Config: ``retrieval_intent`` (default ``knowledge``), ``C`` (of the logistic regression),
    ``threshold``, ``margin`` and ``agree`` (when the best entry counts as sure: see
    :func:`decide`; ``agree`` asks the intent classifier's entry ranking to have the same
    best entry), ``ranking_length``, ``only_for_retrieval_intent`` (skip messages whose
    best intent is another one).
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "retrieval_intent": "knowledge",
            "C": 20.0,
            "threshold": 0.4,
            "margin": 0.15,
            "agree": True,
            "ranking_length": 5,
            "random_state": 42,
            # Pick an entry only when the intent classifier's best intent is the retrieval
            # intent: only then is the entry used (data/rules/knowledge.yml). False picks
            # one for every message, as Rasa's ResponseSelector does (bench comparison).
            "only_for_retrieval_intent": True,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn", "skops"]

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Pipeline | None = None,
        responses: dict[str, list[dict[str, Any]]] | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model
        self.responses = responses or {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KnowledgeSelector:
        return cls(config, model_storage, resource)

    @property
    def retrieval_intent(self) -> str:
        return str(self.config["retrieval_intent"])

    def train(self, training_data: TrainingData) -> Resource:
        examples = [
            (str(e.get(TEXT)), label)
            for e in training_data.intent_examples
            if e.get(TEXT) and (label := retrieval_label(e))
            and _base_intent(label) == self.retrieval_intent
        ]
        self.responses = {
            name: list(variants)
            for name, variants in (training_data.responses or {}).items()
            if name.startswith(f"utter_{self.retrieval_intent}/")
        }
        if len({label for _, label in examples}) < 2:
            logger.debug("KnowledgeSelector: fewer than two entries, nothing to train")
            self.model = None
        else:
            self.model = selector_pipeline(float(self.config["C"]),
                                           int(self.config["random_state"]))
            self.model.fit([t for t, _ in examples], [label for _, label in examples])
        self.persist()
        return self._resource

    def ranking(self, text: str) -> list[tuple[str, float]]:
        """(entry label, probability), best first."""
        if self.model is None:
            return []
        column_major_weights(self.model[-1])
        probabilities = self.model.predict_proba([text])[0]
        order = np.argsort(-probabilities)
        classes = self.model.classes_
        return [(str(classes[i]), float(probabilities[i])) for i in order]

    def prediction(self, text: str, second: list[tuple[str, float]] | None = None
                   ) -> dict[str, Any] | None:
        """The ``response_selector[<retrieval intent>]`` value for a text; ``second``: the
        intent classifier's best entries (its own opinion, from other features)."""
        ranking = self.ranking(text)
        if not ranking:
            return None
        best, confidence = ranking[0]
        utter_action = f"utter_{best}"
        length = int(self.config["ranking_length"])
        return {
            "response": {
                "responses": self.responses.get(utter_action, []),
                "confidence": confidence,
                INTENT_RESPONSE_KEY: best,
                "utter_action": utter_action,
            },
            "ranking": [
                {"id": i, "confidence": p, INTENT_RESPONSE_KEY: label}
                for i, (label, p) in enumerate(ranking[:length] if length > 0 else ranking)
            ],
            SURE: decide(ranking, float(self.config["threshold"]),
                         float(self.config["margin"]),
                         second if self.config["agree"] else None),
            SECOND_OPINION: [{INTENT_RESPONSE_KEY: label, "confidence": p}
                             for label, p in (second or [])[:3]],
        }

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if (self.config["only_for_retrieval_intent"]
                    and (message.get(INTENT) or {}).get("name") != self.retrieval_intent):
                continue
            text = str(message.get(TEXT) or "")
            second = message.get(ENTRY_SCORES)
            prediction = self.prediction(text, second) if text.strip() else None
            if prediction is None:
                continue
            properties = dict(message.get(RESPONSE_SELECTOR) or {})
            properties[ALL_RETRIEVAL_INTENTS] = [self.retrieval_intent]
            properties[self.retrieval_intent] = prediction
            message.set(RESPONSE_SELECTOR, properties, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def persist(self) -> None:
        import skops.io as sio

        with self._model_storage.write_to(self._resource) as directory:
            sio.dump({"model": self.model, "responses": self.responses}, directory / FILE)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> KnowledgeSelector:
        import skops.io as sio

        try:
            with model_storage.read_from(resource) as directory:
                path = directory / FILE
                untrusted = sio.get_untrusted_types(file=path)
                foreign = [t for t in untrusted if not t.startswith(TRUSTED_MODULES)]
                if foreign:
                    raise ValueError(f"unexpected types in {path}: {foreign}")
                stored = sio.load(path, trusted=untrusted)
        except (ValueError, FileNotFoundError):
            logger.debug("KnowledgeSelector: no trained model in %s", resource.name)
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, stored["model"], stored["responses"])
