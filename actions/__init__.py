"""Custom actions of the assistant (the action server loads this package: ``--actions actions``).

One module per family of answers, each a thin adapter to the nutrition core:

* :mod:`actions.intake`      ``action_recommended_intake`` and the profile checks;
* :mod:`actions.validation`  the profile form's validation (``validate_magnesium_profile_form``);
* :mod:`actions.foods`       ``action_food_magnesium``, ``action_rich_foods``;
* :mod:`actions.diary`       ``action_food_diary`` and the diary kept over turns (totals,
  corrections, removals, clearing the day);
* :mod:`actions.supplements` ``action_calcium_ratio``, ``action_supplement_elemental``;
* :mod:`actions.topics`      ``action_explain_topic`` (knowledge answers; the reply about a
  bone scan score is worded by :mod:`actions.bone_basics`);
* :mod:`actions.knowledge`   ``action_answer_knowledge`` (the knowledge base's entries);
* :mod:`actions.followups`   ``action_followup`` (follow-ups on the last answer);
* :mod:`actions.planning`    ``action_amount_for_target``, ``action_close_gap``,
  ``action_day_menu``, ``action_another_menu``, ``action_inform_diet`` (inverse questions,
  foods for a gap, a day's menu, the diet kept);
* :mod:`actions.privacy`     ``action_list_stored_data``, ``action_forget_profile``,
  ``action_delete_my_data`` (people's data).

Shared: :mod:`actions.base` (one turn read per run, the answer sent), :mod:`actions.replies`
(domain responses put into one message), :mod:`actions.people` (naming other people, the
slots that keep the last answer), :mod:`actions.diet` (the diet kept and said, for every
answer that offers foods), :mod:`actions.entities` (reading the extractor's entities).
Importing the package imports every module with actions, so each is registered.
"""

from actions import (
    diary,
    followups,
    foods,
    intake,
    knowledge,
    planning,
    privacy,
    supplements,
    topics,
    validation,
)

__all__ = [
    "diary", "followups", "foods", "intake", "knowledge", "planning", "privacy", "supplements",
    "topics", "validation",
]
