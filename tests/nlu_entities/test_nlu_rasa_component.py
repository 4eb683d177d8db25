"""The Rasa component on real messages: SpacyNLP + SpacyTokenizer + NutritionEntityExtractor,
instantiated directly as graph components (no training, no model archive)."""

from __future__ import annotations

import pytest

pytest.importorskip("rasa")


@pytest.fixture(scope="module")
def graph(built_pipeline, tmp_path_factory):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    from nlu import PIPELINE_DIR
    from nlu.extractor import NutritionEntityExtractor

    storage = LocalModelStorage(tmp_path_factory.mktemp("model_storage"))
    context = ExecutionContext(GraphSchema({}), "test")

    def create(cls, config=None):
        full = {**cls.get_default_config(), **(config or {})}
        return cls.create(full, storage, Resource(cls.__name__), context)

    spacy_nlp = create(SpacyNLP, {"model": str(PIPELINE_DIR)})
    tokenizer = create(SpacyTokenizer)
    extractor = create(NutritionEntityExtractor)
    model = spacy_nlp.provide()

    def run(*texts):
        from rasa.shared.nlu.training_data.message import Message

        messages = [t if isinstance(t, Message) else Message(data={"text": t}) for t in texts]
        messages = spacy_nlp.process(messages, model)
        messages = tokenizer.process(messages)
        return extractor.process(messages, model)

    return run


def test_message_gets_normalised_entities(graph):
    text = "I'm 54, female, on Fosamax. Today I had 2 slices of whole wheat bread and 1 oz almonds"
    [message] = graph(text)
    entities = message.get("entities")
    assert message.get("text_tokens"), "SpacyTokenizer ran on the same Doc"
    assert {e["extractor"] for e in entities} == {"NutritionEntityExtractor"}
    got = [
        (e["entity"], e["value"], e.get("unit"), e.get("role"), text[e["start"] : e["end"]])
        for e in entities
    ]
    assert got == [
        ("age", 54.0, "years", None, "54"),
        ("sex", "female", None, None, "female"),
        ("medication", "alendronate", None, "bisphosphonates", "Fosamax"),
        ("amount", 2.0, "slice", None, "2 slices"),
        ("food", "whole_wheat_bread", None, None, "whole wheat bread"),
        ("amount", 1.0, "oz", None, "1 oz"),
        ("food", "almonds", None, None, "almonds"),
    ]


def test_nutrient_dose_role_and_bare_age_answer(graph):
    dose, answer, none = graph("calcium 1,200mg and 400 mg magnesium", "62", "hello there")
    assert [(e["value"], e["unit"], e["role"]) for e in dose.get("entities")
            if e["entity"] == "amount"] == [
        (1200.0, "mg", "calcium"),
        (400.0, "mg", "magnesium"),
    ]
    assert [e["value"] for e in dose.get("entities") if e["entity"] == "nutrient"] == [
        "calcium", "magnesium"]
    assert [(e["entity"], e["value"]) for e in answer.get("entities")] == [("age", 62.0)]
    assert none.get("entities", []) == []


def test_entities_from_other_extractors_are_kept(graph):
    from rasa.shared.nlu.training_data.message import Message

    earlier = {"entity": "food", "value": "x", "start": 0, "end": 1, "extractor": "Other"}
    [message] = graph(Message(data={"text": "2 cups of milk", "entities": [earlier]}))
    entities = message.get("entities")
    assert entities[0] == earlier
    assert [e["entity"] for e in entities[1:]] == ["amount", "food"]


def test_offsets_fit_the_original_text_when_lowercasing_changes_length(graph):
    text = "İstanbul trip: 2 cups of almonds"
    [message] = graph(text)
    assert [text[e["start"] : e["end"]] for e in message.get("entities")] == ["2 cups", "almonds"]


@pytest.mark.parametrize(
    "text",
    ["", " ", "🙂🙂", "\x00\x07", "Привет 54", "x" * 10_000, "\ud800", "1/0 cup"],
    ids=range(8),
)
def test_bad_messages_do_not_crash(graph, text):
    [message] = graph(text)
    for entity in message.get("entities", []):
        assert 0 <= entity["start"] < entity["end"] <= len(text)


def test_component_is_registered_as_entity_extractor_after_spacy():
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    from nlu.extractor import NutritionEntityExtractor

    registered = DefaultV1Recipe._from_registry(NutritionEntityExtractor.__name__)
    assert DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR in registered.types
    assert registered.is_trainable is False
    assert registered.model_from == "SpacyNLP"
    assert NutritionEntityExtractor.required_components() == [SpacyNLP]


def test_proposed_pipeline_builds_a_valid_graph(built_pipeline):
    """The config.yml lines proposed for the lead give a valid Rasa graph (no training)."""
    from rasa.engine.graph import GraphSchema
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe
    from rasa.engine.validation import validate
    from rasa.shared.data import TrainingType

    import nlu.extractor  # noqa: F401 - registers the component

    config = {
        "recipe": "default.v1",
        "language": "en",
        "pipeline": [
            {"name": "SpacyNLP", "model": "build/spacy_pipeline"},
            {"name": "SpacyTokenizer"},
            {"name": "nlu.extractor.NutritionEntityExtractor"},
            {"name": "CountVectorsFeaturizer"},
            {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 2,
             "max_ngram": 4},
            {"name": "LogisticRegressionClassifier", "random_state": 42},
            {"name": "FallbackClassifier", "threshold": 0.3, "ambiguity_threshold": 0.05},
        ],
        "policies": [],
    }  # fmt: skip
    graph_config = DefaultV1Recipe().graph_config_for_recipe(
        config, {}, training_type=TrainingType.NLU
    )
    validate(graph_config)
    predict: GraphSchema = graph_config.predict_schema
    extractor_nodes = [
        name
        for name, node in predict.nodes.items()
        if node.uses.__name__ == "NutritionEntityExtractor"
    ]
    assert len(extractor_nodes) == 1
    needs = predict.nodes[extractor_nodes[0]].needs
    assert set(needs) == {"messages", "model"}
