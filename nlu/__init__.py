"""The project's own spaCy pipeline: entity patterns, build step, extraction, Rasa component.

Modules (importing this package is cheap: nothing here imports spaCy or Rasa):

* :mod:`nlu.vocab`      - purely linguistic pattern words of amounts owned by this package
                          (number-phrase grammar words, unit words that are everyday nouns,
                          nutrient words, false friends);
* :mod:`nlu.vocab_person` - purely linguistic words about the person (age phrases, sex and
                          life-stage words, negation of a life stage);
* :mod:`nlu.vocab_core` - thin adapters over the nutrition core's vocabularies (foods, units,
                          supplement forms, medications, number words);
* :mod:`nlu.patterns`   - deterministic entity-ruler and food patterns generated from those;
* :mod:`nlu.context_patterns` - the data of the context-rule component, generated likewise;
* :mod:`nlu.components` - the registered custom spaCy components (importing it registers them,
                          with :mod:`nlu.tokenizer` and :mod:`nlu.context_entities`);
* :mod:`nlu.tokenizer`  - the project tokenizer ``nlu.safe_tokenizer.v1``;
* :mod:`nlu.context_entities` - the ``nlu_context_entities`` context-rule component;
* :mod:`nlu.build_pipeline` - ``python -m nlu.build_pipeline`` builds ``build/spacy_pipeline``;
* :mod:`nlu.normalise`  - spaCy ``Doc`` -> normalised Rasa-style entity dicts;
* :mod:`nlu.extract`    - ``extract(text)`` without Rasa;
* :mod:`nlu.extractor`  - the Rasa 3.6 graph component ``nlu.extractor.NutritionEntityExtractor``.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PIPELINE_DIR = REPO_ROOT / "build" / "spacy_pipeline"
