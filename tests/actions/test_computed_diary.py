"""action_food_diary on a first message of the day: the foods added to the diary, the day's
total, share of the target (personal or the label Daily Value with the adult range), unknown
foods named back, and the chart payload on the website channel only; the day's total
(action_diary_total) with the foods that close the gap. The diary over several turns:
tests/actions/test_diary_actions.py."""

from __future__ import annotations

import re

import pytest

from actions.diary import ActionDiaryTotal, ActionFoodDiary
from tests.actions.computed_support import (
    ent,
    extracted,
    make_tracker,
    profile_events,
    run,
    slot_events,
    texts,
)

DIARY = ActionFoodDiary()
EXAMPLE = "today I ate one ounce of almonds and a banana and 2 slices of whole wheat bread"
WOMAN_54 = {"age": 54.0, "sex": "female", "life_stage": "none"}


def example_entities(msg=EXAMPLE):
    return [
        ent("amount", 1.0, "one ounce", msg, unit="oz", group="1"),
        ent("food", "almonds", "almonds", msg, group="1"),
        ent("food", "banana", "banana", msg),
        ent("amount", 2.0, "2 slices", msg, unit="slice", group="2"),
        ent("food", "whole_wheat_bread", "whole wheat bread", msg, group="2"),
    ]


def log(msg, entities, slots=None, channel="rest"):
    messages, events = run(DIARY, make_tracker(msg, "log_food_diary", entities, slots,
                                               channel=channel))
    said = texts(messages)
    if "Today so far" in said:
        assert set(profile_events(events)) == {"food_diary"}
        assert len(slot_events(events)["food_diary"]) == len(item_figures(said))
    else:
        assert profile_events(events) == {}
    return said, messages


def item_figures(said):
    return [int(m) for m in re.findall(r"^- .*: (\d+) mg$", said, flags=re.M)]


def test_example_total_breakdown_and_daily_value_without_a_profile():
    said, messages = log(EXAMPLE, example_entities())
    figures = item_figures(said)
    assert len(figures) == 3
    assert figures[0] == 79  # SR28 almonds, 1 oz
    assert figures[1] == 32  # SR28 banana, medium
    total = int(re.search(r"Today so far: about (\d+) mg", said).group(1))
    assert abs(total - sum(figures)) <= 1
    assert f"{round(100 * total / 420)}% of the 420 mg Daily Value" in said
    assert "Adults need about 310 to 420 mg a day" in said
    assert "work out your own daily target" in said
    assert any(b["payload"] == "/ask_magnesium_need" for b in messages[0]["buttons"])
    assert "Source: USDA" in said
    assert "custom" not in messages[-1] or not messages[-1]["custom"]


def test_personal_target_is_used_when_the_profile_is_known():
    said, messages = log(EXAMPLE, example_entities(), WOMAN_54)
    total = int(re.search(r"Today so far: about (\d+) mg", said).group(1))
    assert f"{round(100 * total / 320)}% of your 320 mg a day" in said
    assert "Daily Value" not in said
    assert not messages[0].get("buttons")


def test_gap_suggestions_close_the_gap():
    _, events = run(DIARY, make_tracker(EXAMPLE, "log_food_diary", example_entities(),
                                        WOMAN_54))
    slots = {**WOMAN_54, **slot_events(events)}
    said = texts(run(ActionDiaryTotal(), make_tracker("what's my total today?",
                                                      "ask_diary_total", slots=slots))[0])
    assert "To close the remaining" in said
    remaining = int(re.search(r"remaining (\d+) mg", said).group(1))
    for servings, each in re.findall(r"^- (\d+) x .*: (\d+) mg each$", said, flags=re.M):
        assert int(servings) * int(each) >= remaining


def test_target_met():
    msg = "I ate 4 oz of pumpkin seeds"
    entities = [ent("amount", 4.0, "4 oz", msg, unit="oz", group="1"),
                ent("food", "pumpkin_seeds", "pumpkin seeds", msg, group="1")]
    said, _ = log(msg, entities, WOMAN_54)
    assert "reaches the target" in said and "To close" not in said


def test_unknown_food_is_named_back_not_dropped():
    msg = "for breakfast I had oatmeal, a banana and a dragonfruit"
    entities = [ent("food", "oatmeal_cooked", "oatmeal", msg), ent("food", "banana", "banana", msg)]
    said, _ = log(msg, entities)
    assert len(item_figures(said)) == 2
    assert "Not counted" in said and '"dragonfruit"' in said


def test_nothing_recognised():
    said, _ = log("I had the usual", [])
    assert "couldn't find any foods" in said or "Not counted" in said


def test_only_unknown_foods():
    said, _ = log("I ate zzqxv and blorpfruit", [])
    assert "Not counted" in said and "zzqxv" in said and "blorpfruit" in said
    assert "Total" not in said


@pytest.mark.parametrize("value", [float("nan"), -2.0, float("inf"), 0.0])
def test_a_bad_amount_does_not_spoil_the_other_items(value):
    msg = "I ate x slices of whole wheat bread and a banana"
    entities = [ent("amount", value, "x slices", msg, unit="slice", group="1"),
                ent("food", "whole_wheat_bread", "whole wheat bread", msg, group="1"),
                ent("food", "banana", "banana", msg)]
    said, _ = log(msg, entities)
    assert len(item_figures(said)) == 2
    assert "typical serving" in said


def test_unreadable_number_in_the_text_is_named():
    msg = "I ate 1e309 g of almonds and a banana"
    entities = [ent("food", "almonds", "almonds", msg), ent("food", "banana", "banana", msg)]
    said, _ = log(msg, entities)
    assert 'couldn\'t read "1e309" as an amount' in said


def test_chart_on_the_website_channel():
    _, messages = log(EXAMPLE, example_entities(), WOMAN_54, channel="socketio")
    chart = next(m["custom"]["chart"] for m in messages if m.get("custom"))
    assert chart["type"] == "bar" and chart["unit"] == "mg" and chart["target"] == 320
    assert [item["label"].split(",")[0] for item in chart["items"]] == [
        "almonds (dry roasted)", "banana", "whole-wheat bread"]
    assert chart["items"][0]["label"] == "almonds (dry roasted), 1 oz"
    assert round(chart["items"][0]["value"]) == 79
    assert "Total" in chart["alt"]
    assert chart["title"] == "Magnesium in today's diary"


def test_chart_without_a_profile_has_no_target():
    _, messages = log(EXAMPLE, example_entities(), channel="socketio")
    chart = next(m["custom"]["chart"] for m in messages if m.get("custom"))
    assert chart["target"] is None


def test_with_the_real_extractor_when_built():
    entities = extracted(EXAMPLE)
    if entities is None:
        pytest.skip("spaCy pipeline not built (python -m nlu.build_pipeline)")
    said, _ = log(EXAMPLE, entities)
    assert item_figures(said)[:2] == [79, 32]
    assert "whole-wheat bread, 2 slice" in said
