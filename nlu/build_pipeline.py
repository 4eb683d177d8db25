"""Build the project's spaCy pipeline into ``build/spacy_pipeline`` (offline, deterministic).

    .venv/bin/python -m nlu.build_pipeline            # build if inputs changed
    .venv/bin/python -m nlu.build_pipeline --force    # always rebuild
    .venv/bin/python -m nlu.build_pipeline --check    # exit 1 if a rebuild is needed

Pipeline: English tokenizer (``spacy.blank("en")`` plus a rule that splits "100g",
"1200mg", "54yo") -> ``entity_ruler`` (names, amounts, ages; LOWER) -> ``lemmatizer``
(mode "lookup", tables from spacy-lookups-data) -> ``nlu_lemma_case`` -> ``food_ruler``
(foods; LEMMA) -> ``nlu_context_entities``. Patterns come from :mod:`nlu.patterns`.

Besides the spaCy files the build writes ``patterns/entity_ruler.jsonl``,
``patterns/food_ruler.jsonl`` and ``patterns/context.json`` (canonical, sorted JSON:
byte-identical for the same inputs) and ``inputs.sha256``, a hash of every input (the
``nlu`` sources, the nutrition core's Python and data files, the spaCy and
spacy-lookups-data versions). When the stamp matches, the build is skipped without
importing spaCy, so ``make`` can call it every time.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import importlib.metadata
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from nlu import PIPELINE_DIR, REPO_ROOT, context_patterns
from nlu import patterns as pattern_module

STAMP_FILE = "inputs.sha256"
PATTERN_DIR = "patterns"
RULER_PATTERNS_FILE = "entity_ruler.jsonl"
FOOD_PATTERNS_FILE = "food_ruler.jsonl"
CONTEXT_FILE = "context.json"
PIPELINE_NAME = "nutrition_entities"
PIPELINE_VERSION = "1.0.0"

NUTRITION_DIR = REPO_ROOT / "nutrition"


def input_files() -> list[Path]:
    """Every file whose content can change the built pipeline, sorted."""
    files: set[Path] = set()
    files.update(p for p in (REPO_ROOT / "nlu").glob("*.py"))
    if NUTRITION_DIR.is_dir():
        files.update(NUTRITION_DIR.glob("*.py"))
        data = NUTRITION_DIR / "data"
        if data.is_dir():
            files.update(p for p in data.rglob("*") if p.is_file())
    return sorted(p for p in files if "__pycache__" not in p.parts)


def inputs_fingerprint() -> str:
    digest = hashlib.sha256()
    for name in ("spacy", "spacy-lookups-data"):
        digest.update(f"{name}=={importlib.metadata.version(name)}\n".encode())
    for path in input_files():
        digest.update(path.relative_to(REPO_ROOT).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).hexdigest().encode() + b"\n")
    return digest.hexdigest()


def is_up_to_date(out_dir: Path = PIPELINE_DIR) -> bool:
    stamp = out_dir / STAMP_FILE
    return (
        stamp.is_file()
        and (out_dir / "config.cfg").is_file()
        and stamp.read_text().strip() == inputs_fingerprint()
    )


def _dumps(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def make_nlp() -> Any:
    """The pipeline before patterns are added (initialised: lookup tables loaded)."""
    import spacy

    import nlu.components  # noqa: F401 - registers the custom factories
    from nlu.tokenizer import TOKENIZER

    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    # names, amounts and ages match on LOWER: no lemmas needed, so this ruler goes first
    # (its phrase patterns are then made by the tokenizer alone when the pipeline loads)
    nlp.add_pipe(
        "nlu_entity_ruler",
        name="entity_ruler",
        config={"phrase_matcher_attr": "LOWER", "validate": True, "overwrite_ents": False},
    )
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("nlu_lemma_case")
    nlp.add_pipe(
        "nlu_entity_ruler",
        name="food_ruler",
        config={"phrase_matcher_attr": "LEMMA", "validate": True, "overwrite_ents": False},
    )
    nlp.add_pipe("nlu_context_entities")
    nlp.initialize()
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["version"] = PIPELINE_VERSION
    nlp.meta["description"] = (
        "Project-built pipeline: English tokenizer, lookup lemmatizer, entity ruler and "
        "context rules generated from the nutrition core's data (no trained weights)."
    )
    nlp.meta["author"] = "osteoporosis-nutrition assistant"
    nlp.meta["license"] = "project"
    return nlp


def build(out_dir: Path = PIPELINE_DIR) -> dict[str, Any]:
    """Build the pipeline into ``out_dir`` (replaced whole). Returns a summary."""
    started = time.perf_counter()
    fingerprint = inputs_fingerprint()
    nlp = make_nlp()

    def tokenize(text: str) -> list[str]:
        return [t.text for t in nlp.tokenizer(text)]

    def lemmatize(text: str) -> tuple[list[str], list[str]]:
        # the same steps the entity ruler runs over its phrase patterns
        doc = nlp.make_doc(text)
        for name in ("lemmatizer", "nlu_lemma_case"):
            doc = nlp.get_pipe(name)(doc)
        return [t.text for t in doc], [t.lemma_ for t in doc]

    word_patterns, problems = pattern_module.word_patterns(tokenize)
    food_patterns, food_problems = pattern_module.all_food_patterns()
    problems += food_problems
    context = context_patterns.context_data(
        tokenize, context_patterns.food_forms_by_lemma(food_patterns, lemmatize)
    )
    nlp.get_pipe("entity_ruler").add_patterns(word_patterns)
    nlp.get_pipe("food_ruler").add_patterns(food_patterns)
    nlp.get_pipe("nlu_context_entities").set_data(context)
    ruler_patterns = word_patterns + food_patterns
    nlp.meta["nlu_inputs_sha256"] = fingerprint

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.parent / f".{out_dir.name}.tmp"
    old = out_dir.parent / f".{out_dir.name}.old"
    for stale in (tmp, old):
        shutil.rmtree(stale, ignore_errors=True)
    nlp.to_disk(tmp)
    pattern_dir = tmp / PATTERN_DIR
    pattern_dir.mkdir()
    for name, patterns in (
        (RULER_PATTERNS_FILE, word_patterns),
        (FOOD_PATTERNS_FILE, food_patterns),
    ):
        (pattern_dir / name).write_text(
            "".join(_dumps(p) + "\n" for p in patterns), encoding="utf-8"
        )
    (pattern_dir / CONTEXT_FILE).write_text(
        json.dumps(context, sort_keys=True, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (tmp / STAMP_FILE).write_text(fingerprint + "\n")
    if out_dir.exists():
        out_dir.rename(old)
    tmp.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)

    labels: dict[str, int] = {}
    for pattern in ruler_patterns:
        labels[pattern["label"]] = labels.get(pattern["label"], 0) + 1
    return {
        "out_dir": str(out_dir),
        "patterns": labels,
        "context_rules": len(context["context_rules"]),
        "problems": problems,
        "seconds": round(time.perf_counter() - started, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=PIPELINE_DIR, help="output directory")
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if stale")
    args = parser.parse_args(argv)
    out_dir: Path = args.out

    if args.check:
        fresh = is_up_to_date(out_dir)
        print(f"spaCy pipeline {out_dir}: {'up to date' if fresh else 'needs a rebuild'}")
        return 0 if fresh else 1

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(out_dir.parent / f".{out_dir.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two `make` runs at once build one after the other
        if not args.force and is_up_to_date(out_dir):
            print(f"spaCy pipeline {out_dir}: up to date")
            return 0
        summary = build(out_dir)
    for problem in summary["problems"]:
        print(f"warning: {problem}", file=sys.stderr)
    counts = ", ".join(f"{label} {n}" for label, n in sorted(summary["patterns"].items()))
    print(
        f"built spaCy pipeline {summary['out_dir']} in {summary['seconds']} s "
        f"(ruler patterns: {counts}; context rules: {summary['context_rules']})"
    )
    return 0


if __name__ == "__main__":
    # This process only builds a spaCy pipeline: keep thinc from importing TensorFlow (it
    # would add seconds and nothing else). Not done in main(): tests call main() in a
    # process that goes on to use Rasa.
    sys.modules.setdefault("tensorflow", None)  # type: ignore[arg-type]
    sys.exit(main())
