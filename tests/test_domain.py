"""The domain is a folder of files by area (domain/) that Rasa merges into one domain.

Each response, intent, entity, slot, form and action is defined in exactly one file, and the
merged domain still holds every name it held when the single domain.yml was split
(tests/domain_at_split.yml): a reply lost or doubled in a move between files fails here.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import yaml

from actions import replies
from harness.domain import load_domain
from harness.paths import DOMAIN_DIR, ROOT

SECTIONS = ("responses", "intents", "entities", "slots", "forms", "actions")
AT_SPLIT = yaml.safe_load((ROOT / "tests" / "domain_at_split.yml").read_text(encoding="utf-8"))
DOMAIN_FILES = sorted(DOMAIN_DIR.rglob("*.yml"))


def names(section: Any) -> list[str]:
    """Names in a domain section: the keys of a mapping, or the entries of a list (an entry
    with properties, like ``- amount: {roles: [...]}``, is named by its key)."""
    if isinstance(section, dict):
        return list(section)
    return [next(iter(item)) if isinstance(item, dict) else item for item in section or []]


def file_sections() -> dict[str, dict]:
    return {path.name: yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for path in DOMAIN_FILES}


def test_the_domain_is_one_folder_of_files_rasa_reads_as_domain_files():
    from rasa.shared.core.domain import Domain

    assert not (ROOT / "domain.yml").exists(), "a second domain beside domain/"
    assert {p.name for p in DOMAIN_FILES} >= {"core.yml", "chitchat.yml", "topics.yml",
                                              "safety.yml", "computed.yml"}
    for path in DOMAIN_FILES:
        assert Domain.is_domain_file(path), path
        assert file_sections()[path.name].get("version") == AT_SPLIT["version"], path


@pytest.mark.parametrize("section", SECTIONS)
def test_every_name_is_defined_in_exactly_one_file(section):
    where: dict[str, list[str]] = {}
    for file, content in file_sections().items():
        for name in names(content.get(section)):
            where.setdefault(name, []).append(file)
    assert AT_SPLIT[section], f"no {section} at the split to compare with"
    doubled = {name: files for name, files in where.items() if len(files) > 1}
    assert doubled == {}, f"{section} defined in more than one file: {doubled}"
    lost = sorted(set(AT_SPLIT[section]) - set(where))
    assert lost == [], f"{section} in no file of domain/: {lost}"


@pytest.mark.parametrize("section", SECTIONS)
def test_the_merged_domain_holds_every_name_of_every_file_and_of_the_split(section):
    merged = names(load_domain().as_dict().get(section))
    per_file = Counter(name for content in file_sections().values()
                       for name in names(content.get(section)))
    assert Counter(merged) == per_file, f"Rasa's merge of domain/ changed the {section}"
    lost = sorted(set(AT_SPLIT[section]) - set(merged))
    assert lost == [], f"{section} lost since the split: {lost}"


def test_the_merged_domain_keeps_the_session_settings_and_the_order_of_slots_and_actions():
    domain = load_domain()
    assert domain.as_dict()["session_config"] == AT_SPLIT["session_config"]
    assert domain.session_config.session_expiration_time == 60
    assert domain.session_config.carry_over_slots is True
    # The order Rasa numbers actions and slots in (the files of a folder come in no fixed
    # order, so these lists stay in one file: core.yml).
    custom = [a for a in domain.user_actions if not a.startswith("utter_")]
    assert custom[: len(AT_SPLIT["actions"])] == AT_SPLIT["actions"]
    assert [s.name for s in domain.slots][: len(AT_SPLIT["slots"])] == AT_SPLIT["slots"]


def test_the_action_server_reads_the_same_responses_as_rasa():
    """Without a domain from Rasa, the actions word answers with domain/'s responses."""
    assert replies.responses(None) == load_domain().responses
    assert len(replies.responses(None)) >= len(AT_SPLIT["responses"])
