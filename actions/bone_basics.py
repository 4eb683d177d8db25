"""The reply to a question about a bone scan score ("what does a T-score of -2.3 mean?").

Thin adapter: the score is found and classified in the nutrition core
(:mod:`nutrition.bone_density`: the WHO cut-offs and the range of real scores come from
``nutrition/data/bone_density.yml``); the wording lives in ``domain/bone_basics.yml``. A
question about scores with no number in it gets the topic reply of ``ask_t_score`` (the
WHO groups, ``actions/topics.py``), or the Z-score explanation when it names a Z-score.
"""

from __future__ import annotations

from actions.replies import Reply, number
from nutrition.bone_density import (
    BoneScore,
    bone_density_source,
    mentions_z_score,
    plausible_score,
    score_range,
    t_score_band,
    t_score_limits,
)

# Scores are shown with one decimal at most, as scan reports print them ("-2.3").
DECIMALS = 1


def _shown(value: float) -> str:
    return number(value, DECIMALS)


def _band(value: float) -> tuple[str, dict[str, str]]:
    limits = t_score_limits()
    return (f"utter_bone_score_t_{t_score_band(value)}", {
        "value": _shown(value),
        "normal_from": _shown(limits["normal_from"]),
        "osteoporosis_at_or_below": _shown(limits["osteoporosis_at_or_below"]),
    })


def score_reply(score: BoneScore | None, text: str) -> Reply | None:
    """The reply about the score of a question, or ``None`` when the question has no score
    and names no Z-score (the topic reply about the groups answers it)."""
    reply = Reply()
    if score is None:
        if not mentions_z_score(text):
            return None
        return reply.add("utter_bone_score_z_general").add("utter_bone_score_doctor")
    if not plausible_score(score.value):
        low, high = score_range()
        return reply.add("utter_bone_score_out_of_range", value=_shown(score.value),
                         low=_shown(low), high=_shown(high))
    if score.kind == "z_score":
        reply.add("utter_bone_score_z", value=_shown(score.value))
        return reply.add("utter_bone_score_doctor")
    if score.value > 0 and not score.signed:
        # "T-score 2.7": the minus sign may have been left out, so no group is given
        reply.add("utter_bone_score_unsigned", value=_shown(score.value))
        return reply.add("utter_bone_score_doctor")
    if score.kind == "bone_density":
        reply.add("utter_bone_score_unnamed", value=_shown(score.value))
    name, values = _band(score.value)
    reply.add(name, **values)
    reply.add("utter_bone_score_doctor")
    return reply.add("utter_bone_score_source", source=bone_density_source())
