"""Nutrition core of the assistant: reference intakes, foods, supplements.

Pure Python (no Rasa imports). Figures come from the cited data tables in
``nutrition/data/``; nothing here holds reply wording. Every error is
a :class:`NutritionError` whose message can be shown to a user.
"""

from .diary import DiaryTotal, GapSuggestion, diary_total, gap_suggestions
from .errors import (
    FoodNotFound,
    InvalidAmount,
    InvalidProfile,
    NutritionError,
    UnknownMedication,
    UnknownSupplementForm,
    UnknownUnit,
)
from .foods import (
    FoodMatch,
    PortionMagnesium,
    RankedFood,
    find_food,
    food_categories,
    food_info,
    food_keys,
    food_surface_forms,
    foods_by_category,
    magnesium_in_portion,
    rich_foods,
    search_foods,
)
from .intake import RecommendedIntake, recommended_intake, supplement_ul_mg
from .medications import (
    MedicationInteraction,
    condition_cautions,
    deficiency_signs,
    find_medication,
    medication_surface_forms,
    toxicity_facts,
)
from .quantities import parse_number
from .ratio import RatioAdvice, ratio_advice
from .supplements import ElementalMagnesium, elemental_magnesium, supplement_surface_forms
from .units import UNIT_SYNONYMS, canonical_unit

__all__ = [
    "DiaryTotal", "ElementalMagnesium", "FoodMatch", "FoodNotFound", "GapSuggestion",
    "InvalidAmount", "InvalidProfile", "MedicationInteraction", "NutritionError",
    "PortionMagnesium", "RankedFood", "RatioAdvice", "RecommendedIntake", "UNIT_SYNONYMS",
    "UnknownMedication", "UnknownSupplementForm", "UnknownUnit", "canonical_unit",
    "condition_cautions", "deficiency_signs", "diary_total", "elemental_magnesium",
    "find_food", "find_medication", "food_categories", "food_info", "food_keys",
    "food_surface_forms", "foods_by_category", "gap_suggestions", "magnesium_in_portion",
    "medication_surface_forms", "parse_number", "ratio_advice", "recommended_intake",
    "rich_foods", "search_foods", "supplement_surface_forms", "supplement_ul_mg",
    "toxicity_facts",
]
