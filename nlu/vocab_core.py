"""Thin adapters over the nutrition core's vocabularies, for the patterns.

The nutrition core (``nutrition``) is the one home of the food table, unit names, number
words, supplement forms and medicine names. Nothing in this module copies those tables;
the adapters only read them.
"""

from __future__ import annotations

from nlu.vocab import NUMBER_WORDS_EXCLUDED
from nutrition.diet import diet_surface_forms
from nutrition.foods import food_surface_forms, whole_item_foods
from nutrition.medications import medication_surface_forms
from nutrition.nutrients import nutrient_surfaces as core_nutrient_surfaces
from nutrition.quantities import NUMBER_WORDS
from nutrition.supplements import supplement_surface_forms
from nutrition.units import UNIT_SYNONYMS


def unit_surfaces() -> dict[str, str]:
    """Unit surface form -> canonical unit (``nutrition.units``)."""
    return dict(UNIT_SYNONYMS)


def size_unit_names() -> frozenset[str]:
    """Canonical units that are sizes ("a large banana") rather than measures."""
    return frozenset({"small", "medium", "large", "extra_large"})


def number_words() -> tuple[str, ...]:
    """Number words the core's ``parse_number`` reads ("one" ... "thousand", "dozen")."""
    return tuple(sorted(w for w in NUMBER_WORDS if w not in NUMBER_WORDS_EXCLUDED))


def food_surfaces() -> dict[str, str]:
    """Food surface form (name, synonym, plural) -> food key, from the core's food table."""
    return dict(food_surface_forms())


def whole_item_food_keys() -> list[str]:
    """Foods for which "a"/"an" before the name counts one whole item ("an avocado")."""
    return whole_item_foods()


def supplement_surfaces() -> dict[str, str]:
    """Supplement-form surface -> form key (``nutrition.supplements``)."""
    return {surface: value[0] for surface, value in supplement_surface_forms().items()}


def medication_surfaces() -> dict[str, tuple[str, str]]:
    """Medicine surface -> (drug key, class key) (``nutrition.medications``)."""
    return {surface: tuple(value) for surface, value in medication_surface_forms().items()}


def nutrient_surfaces() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Nutrient key -> word sequences naming it (``nutrition.nutrients``)."""
    return core_nutrient_surfaces()
def diet_surfaces() -> dict[str, str]:
    """Diet phrase -> restriction, avoided category or "dislike" (``nutrition.diet``)."""
    return dict(diet_surface_forms())
