"""The food diary with two Rasa servers sharing PostgreSQL: a diary whose turns alternate
between the servers keeps every food once, and each server's total is the core's sum."""

from __future__ import annotations

import json

import pytest

from actions.replies import mg
from nutrition.foods import magnesium_in_portion
from tests.reliability.support import post, texts

pytestmark = pytest.mark.integration


def say(stack, sender: str, text: str) -> str:
    status, raw = post(stack, {"sender": sender, "message": text,
                               "metadata": {"timezone": "UTC"}})
    assert status == 200, raw[:300]
    return texts(json.loads(raw))


def core_mg(food: str, amount=None, unit=None) -> float:
    return round(magnesium_in_portion(food, amount, unit).magnesium_mg, 1)


def test_a_diary_alternating_between_two_servers(cluster):
    sender = "scale-diary"
    say(cluster.a, sender, "I had a banana")
    said = say(cluster.b, sender, "and some almonds at lunch")
    assert f"Today so far: about {mg(core_mg('banana') + core_mg('almonds'))} mg" in said
    said = say(cluster.a, sender, "it was 2 ounces, not one")
    total = round(core_mg("banana") + core_mg("almonds", 2, "oz"), 1)
    assert f"Today so far: about {mg(total)} mg" in said
    said = say(cluster.b, sender, "what's my total today?")
    assert f"Total today: about {mg(total)} mg" in said
    from_a = cluster.tracker(sender)["slots"]["food_diary"]
    from_b = cluster.tracker(sender, cluster.b)["slots"]["food_diary"]
    assert from_a == from_b and [e["food"] for e in from_a] == ["banana", "almonds"]
