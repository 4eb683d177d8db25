"""Nutrition core of the assistant: reference intakes, foods, supplements.

Pure Python (no Rasa imports). Figures come from the cited data tables in
``nutrition/data/``; nothing here holds reply wording. Every error is
a :class:`nutrition.errors.NutritionError` whose message can be shown to a user.
Import what you need from its modules (``from nutrition.foods import find_food``).
"""
