"""Nutrition core of the assistant: reference intakes, foods, supplements.

Pure Python (no Rasa imports). Figures come from the cited data tables in
``actions/nutrition/data/``; nothing here holds reply wording.
"""
