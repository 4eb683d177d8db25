"""`rasa data validate --fail-on-warnings --max-history 5`, with one blind spot covered.

Rasa's validator says a response is "not used in any story or rule" when only a custom action
or a form utters it: it cannot see inside actions. Plain `--fail-on-warnings` would then forbid
replies whose wording lives in the domain while an action computes their figures. This script
runs the same checks with the same failure rule, except that this one warning is dropped for:

- responses the code in actions/ or runtime/ names as a string literal
  (``dispatcher.utter_message(response="utter_food_magnesium", ...)``) or as the constant head
  of an f-string (``f"utter_rich_foods_{category}"``: every response with that prefix);
- the questions a form asks for its required slots (``utter_ask_<form>_<slot>``,
  ``utter_ask_<slot>``).

It also fails when the code names a response (or an f-string prefix) that the domain does not
define, a check Rasa itself does not make.
"""

from __future__ import annotations

import ast
import re
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNUSED = re.compile(r"The utterance '([^']+)' is not used in any story or rule\.")
RESPONSE_NAME = re.compile(r"utter_[a-z0-9_]*[a-z0-9]")
# Python code that utters responses by name: the actions, and the runtime that answers
# for an unreachable action server.
CODE_DIRS = ("actions", "runtime")


def responses_named_in_code() -> tuple[set[str], set[str]]:
    """Response names written as string literals (not used as dictionary keys), and f-string
    prefixes."""
    names: set[str] = set()
    prefixes: set[str] = set()
    for folder in CODE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(), str(path))
            keys = {id(k) for n in ast.walk(tree) if isinstance(n, ast.Dict) for k in n.keys}
            keys |= {id(n.slice) for n in ast.walk(tree) if isinstance(n, ast.Subscript)}
            keys |= {id(n.args[0]) for n in ast.walk(tree) if isinstance(n, ast.Call)
                     and isinstance(n.func, ast.Attribute) and n.func.attr == "get" and n.args}
            for node in ast.walk(tree):
                if isinstance(node, ast.JoinedStr) and node.values:
                    head = node.values[0]
                    if isinstance(head, ast.Constant) and str(head.value).startswith("utter_"):
                        prefixes.add(head.value)
                elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
                      and id(node) not in keys and RESPONSE_NAME.fullmatch(node.value)):
                    names.add(node.value)
    return names, prefixes


def main() -> int:
    from rasa.cli import utils as cli
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.validator import Validator

    importer = TrainingDataImporter.load_from_config(
        config_path=str(ROOT / "config.yml"),
        domain_path=str(ROOT / "domain"),
        training_data_paths=[str(ROOT / "data")],
    )
    domain = importer.get_domain()
    names, prefixes = responses_named_in_code()
    form_questions = {
        f"utter_ask_{form}_{slot}" for form in domain.form_names
        for slot in domain.required_slots_for_form(form)
    } | {f"utter_ask_{slot}" for form in domain.form_names
         for slot in domain.required_slots_for_form(form)}
    # Rasa makes a retrieval action ``utter_<intent>`` for each retrieval intent (the
    # knowledge base: domain/knowledge.yml); its rule answers with action_answer_knowledge,
    # which utters the same entries (utter_<intent>/<entry>) with their evidence and source.
    retrieval_actions = {f"utter_{intent}" for intent in domain.retrieval_intents}
    uttered_elsewhere = (names | form_questions | retrieval_actions
                         | {r for r in domain.responses if r.startswith(tuple(prefixes))})

    class ProjectValidator(Validator):
        def verify_utterances_in_stories(self, ignore_warnings: bool = True) -> bool:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                super().verify_utterances_in_stories(ignore_warnings=True)
            all_good = True
            for warning in caught:
                match = UNUSED.search(str(warning.message))
                if match and match.group(1) in uttered_elsewhere:
                    continue
                warnings.warn_explicit(warning.message, warning.category, warning.filename,
                                       warning.lineno)
                all_good = ignore_warnings
            return all_good

    validator = ProjectValidator.from_importer(importer)
    results = {
        "domain": cli._validate_domain(validator),
        "nlu": cli._validate_nlu(validator, fail_on_warnings=True),
        "stories": cli._validate_story_structure(validator, 5, fail_on_warnings=True),
    }
    missing = sorted(names - set(domain.responses))
    missing += [f"{p}..." for p in sorted(prefixes)
                if not any(r.startswith(p) for r in domain.responses)]
    for name in missing:
        print(f"error: the code utters '{name}', which the domain (domain/) does not define",
              file=sys.stderr)
    failed = [part for part, ok in results.items() if not ok]
    if failed or missing:
        print(f"validation failed ({', '.join(failed) or 'responses'}): see the warnings above",
              file=sys.stderr)
        return 1
    used = len(uttered_elsewhere & set(domain.responses))
    print(f"validation passed; {used} responses are uttered by actions or forms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
