"""Osteoporosis basics (actions/topics.py TOPICS, actions/bone_basics.py): a question about a
bone scan score gets its WHO group worked out by the core from bone_density.yml, a Z-score
no group, a number that is no scan score a plain answer; every score reply points to the
doctor and back to magnesium. "Where does your information come from?" lists the sources
the data tables name, and so does "where is that from?" when there is nothing to refer to.
"""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.followups import ActionFollowup
from actions.replies import number
from actions.topics import TOPICS, ActionExplainTopic
from nutrition.bone_density import bone_density_source, score_range, t_score_limits
from nutrition.sources import reference_sources, study_sources
from tests.actions.computed_support import DOMAIN, make_tracker, run, slot_events, texts

TOPIC = ActionExplainTopic()
FOLLOWUP = ActionFollowup()


def first_sentence(name: str) -> str:
    return DOMAIN["responses"][name][0]["text"].split("{")[0].strip()


def explain(text: str, slots: dict | None = None) -> tuple[list[dict], list[dict]]:
    """Run action_explain_topic (a synchronous action) on an ask_t_score message."""
    dispatcher = CollectingDispatcher()
    events = TOPIC.run(dispatcher, make_tracker(text, "ask_t_score", [], slots), DOMAIN)
    return dispatcher.messages, events


def ask(text: str, slots: dict | None = None) -> str:
    return texts(explain(text, slots)[0])


def cut(key: str) -> str:
    return number(t_score_limits()[key], 1)


@pytest.mark.parametrize(("text", "value", "band"), [
    ("what does a T-score of -2.3 mean?", "-2.3", "low_bone_mass"),
    ("my t score is -1.5", "-1.5", "low_bone_mass"),
    ("my T-score is -2.7", "-2.7", "osteoporosis"),
    ("T-score -2.5", "-2.5", "osteoporosis"),
    ("my t-score came back as -1", "-1", "normal"),
    ("t score of -0.5", "-0.5", "normal"),
])
def test_a_t_score_gets_its_who_group_a_doctor_pointer_and_its_source(text, value, band):
    said = ask(text)
    assert f"A T-score of {value} is in the range the WHO calls" in said
    assert first_sentence(f"utter_bone_score_t_{band}") in said
    others = {"normal", "low_bone_mass", "osteoporosis"} - {band}
    for other in others:
        assert DOMAIN["responses"][f"utter_bone_score_t_{other}"][0]["text"].split(
            ":")[0].replace("{value}", value) not in said
    edge = "normal_from" if band == "normal" else "osteoporosis_at_or_below"
    assert f"{cut(edge)} or" in said or f"above {cut(edge)}" in said
    assert "doctor" in said and "how much magnesium do I need?" in said
    assert bone_density_source() in said


def test_a_scan_result_without_a_name_is_read_as_a_t_score_only_if_it_is_one():
    said = ask("I got -2.7 on my DXA, is that bad?")
    assert "If -2.7 is your T-score" in said
    assert "A T-score of -2.7 is in the range the WHO calls osteoporosis" in said
    said = ask("what does -2.3 mean on a bone scan?")
    assert "If -2.3 is your T-score" in said and "low bone mass, or osteopenia" in said


@pytest.mark.parametrize("text", ["what's a z-score?", "what is a z score on a bone scan"])
def test_a_z_score_is_explained_without_a_who_group(text):
    said = ask(text)
    assert "people your own age and sex" in said
    assert "the range the WHO calls" not in said and "doctor" in said


def test_a_z_score_with_a_number_gets_no_group():
    said = ask("my z-score is -1.5")
    assert "A Z-score of -1.5" in said and "the range the WHO calls" not in said


@pytest.mark.parametrize(("text", "value"), [("t-score of 45", "45"),
                                              ("my t score is -12", "-12"),
                                              ("what does -12 mean", "-12")])
def test_a_number_that_is_no_scan_score_gets_a_plain_answer(text, value):
    said = ask(text)
    low, high = score_range()
    assert said.startswith(f"{value} doesn't look like a bone scan score")
    assert f"from {number(low, 1)} to {number(high, 1)}" in said
    assert "WHO calls" not in said


def test_a_t_score_without_its_minus_sign_gets_no_group():
    said = ask("my t score is 2.7")
    assert "no minus sign" in said and "-2.7?" in said and "WHO calls" not in said


def test_no_number_explains_the_groups_from_the_table():
    messages, events = explain("what is a T-score?")
    (message,) = messages
    assert message["response"] == "utter_topic_t_score_bands"
    assert message["normal_from"] == cut("normal_from")
    assert message["osteoporosis_at_or_below"] == cut("osteoporosis_at_or_below")
    assert slot_events(events)["last_topic"] == "ask_t_score"


def test_a_score_answer_sets_no_profile_slot():
    _, events = explain("my T-score is -2.3", {"age": 60.0, "sex": "female"})
    assert not {"age", "sex", "life_stage"} & set(slot_events(events))


# ------------------------------------------------------------------------------ sources


def test_the_sources_answer_lists_what_the_tables_name():
    values = TOPICS["ask_info_sources"].values
    assert values["reference_sources"].split("; ") == list(reference_sources())
    assert values["study_sources"].split("; ") == list(study_sources())


def test_where_is_that_from_with_nothing_to_refer_to_gives_every_source():
    for slots in (None, {"last_answer_kind": "topic", "last_topic": "greet"}):
        messages, events = run(FOLLOWUP, make_tracker("where is that from?",
                                                      "ask_figure_source", [], slots))
        said = texts(messages)
        assert first_sentence("utter_topic_info_sources") in said
        for name in reference_sources():
            assert name in said
        assert slot_events(events) == {}


def test_where_is_that_from_after_a_t_score_names_the_who():
    messages, _ = run(FOLLOWUP, make_tracker(
        "where is that from?", "ask_figure_source", [],
        {"last_answer_kind": "topic", "last_topic": "ask_t_score"}))
    assert bone_density_source() in texts(messages)
