"""Rasa 3.6 NLU component: normalised entities from the project's spaCy pipeline.

config.yml::

    pipeline:
      - name: SpacyNLP
        model: build/spacy_pipeline
      - name: SpacyTokenizer
      - name: nlu.extractor.NutritionEntityExtractor
      ...

``SpacyNLP`` runs the whole pipeline (tokenizer, rulers, context rules) on each message and
stores the ``Doc`` on the message (``text_spacy_doc``); this component reads that Doc's
entities and adds normalised entity dicts (format in :mod:`nlu.normalise`) with ``start``,
``end`` and ``extractor``. It needs no training. ``SpacyNLP`` lower-cases the text by
default; when lower-casing changed the length of the text (a few non-ASCII letters), the
offsets would not fit, so the message is analysed again from its original text.

The component never raises on any message text.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

import nlu.components  # noqa: F401 - registers the pipeline's custom spaCy factories
from nlu.extract import analysable, clean_text
from nlu.normalise import entities_from_doc

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False, model_from="SpacyNLP"
)
class NutritionEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Adds food, amount, age, sex, life_stage, supplement_form and medication entities."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # entity types to keep (None = all), like SpacyEntityExtractor's "dimensions"
        return {"dimensions": None}

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = config

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> NutritionEntityExtractor:
        return cls({**cls.get_default_config(), **config})

    @staticmethod
    def required_packages() -> list[str]:
        return ["spacy"]

    def process(self, messages: list[Message], model: SpacyModel | None = None) -> list[Message]:
        """Add normalised entities to each message (never raises)."""
        for message in messages:
            try:
                extracted = self._extract(message, model)
            except Exception:  # noqa: BLE001 - a bad message gets no entities, not a crash
                logger.exception("NutritionEntityExtractor failed on a message")
                extracted = []
            if not extracted:
                continue
            extracted = self.add_extractor_name(extracted)
            extracted = self.filter_irrelevant_entities(extracted, self._config["dimensions"])
            message.set(ENTITIES, message.get(ENTITIES, []) + extracted, add_to_output=True)
        return messages

    def _extract(self, message: Message, model: SpacyModel | None) -> list[dict[str, Any]]:
        text = message.get(TEXT)
        if not isinstance(text, str) or not analysable(clean_text(text)):
            return []
        doc = message.get(SPACY_DOCS[TEXT])
        if doc is None or len(doc.text) != len(text) or len(text) != len(clean_text(text)):
            # no Doc (SpacyNLP skipped the text), or its offsets would not fit the text
            if model is None:
                return []
            doc = model.model(clean_text(text))
        return entities_from_doc(doc)
