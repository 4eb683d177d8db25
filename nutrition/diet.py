"""Diet restrictions: which foods a person can be offered.

A :class:`Diet` says what a person avoids: vegan, vegetarian, a nut allergy
(tree nuts and peanuts), lactose-free, gluten-free (celiac disease), no
fortified foods, and dislikes (food keys or categories). :meth:`Diet.allows`
checks one food entry of ``foods.json``.

What a food contains comes from ``contains`` in ``data/food_selection.yml``
(regenerated into ``foods.json``). Only foods that say what they contain can
pass a restriction: a food without that information is never offered to
someone with a restricted diet. The tags are conservative: all dairy counts as
containing lactose, and oats as containing gluten (see the selection file).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from .errors import FoodNotFound, NutritionError
from .foods import find_food, food_categories, food_info, food_keys

#: What each restriction avoids (values of ``contains`` in the food table).
AVOIDS: dict[str, frozenset[str]] = {
    "vegan": frozenset({"meat", "fish", "dairy", "egg", "honey"}),
    "vegetarian": frozenset({"meat", "fish"}),
    "nut_allergy": frozenset({"tree_nuts", "peanuts"}),
    "lactose_free": frozenset({"dairy"}),
    "gluten_free": frozenset({"gluten"}),
}


@dataclass(frozen=True)
class Diet:
    """What a person avoids. ``dislikes`` holds food keys and category names."""

    vegan: bool = False
    vegetarian: bool = False
    nut_allergy: bool = False
    lactose_free: bool = False
    gluten_free: bool = False
    no_fortified: bool = False
    dislikes: frozenset[str] = field(default_factory=frozenset)

    def restrictions(self) -> tuple[str, ...]:
        """The restrictions that are on, in a fixed order (``no_fortified`` last)."""
        names = [name for name in AVOIDS if getattr(self, name)]
        if self.no_fortified:
            names.append("no_fortified")
        return tuple(names)

    def avoided(self) -> frozenset[str]:
        """Every ``contains`` value this diet avoids."""
        out: set[str] = set()
        for name, avoided in AVOIDS.items():
            if getattr(self, name):
                out |= avoided
        return frozenset(out)

    def allows(self, info: Mapping[str, Any]) -> bool:
        """True when the food (an entry of ``foods.json``) fits this diet."""
        if info["key"] in self.dislikes or info["category"] in self.dislikes:
            return False
        if self.no_fortified and info.get("fortified", False):
            return False
        avoided = self.avoided()
        if not avoided:
            return True
        contains = info.get("contains")
        if contains is None:  # unknown: never offered under a restriction
            return False
        return not avoided.intersection(contains)


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...


KeyedFood = TypeVar("KeyedFood", bound=_Keyed)


def offered(ranked: Iterable[KeyedFood], diet: Diet | None = None) -> list[KeyedFood]:
    """The foods of ``ranked`` (anything with a food ``key``, in its order) that a list of
    foods may offer: foods eaten as they are (not those marked ``suggest: false``, dry
    ingredients and spices) that ``diet`` allows."""
    kept = []
    for food in ranked:
        info = food_info(food.key)
        if info.get("suggest", True) and (diet is None or diet.allows(info)):
            kept.append(food)
    return kept


def make_diet(
    restrictions: Iterable[str] = (), dislikes: Iterable[str] = ()
) -> Diet:
    """A :class:`Diet` from restriction names and disliked foods or categories.

    Restriction names are ``vegan``, ``vegetarian``, ``nut_allergy``,
    ``lactose_free``, ``gluten_free`` (``celiac`` is taken as gluten-free) and
    ``no_fortified``. A dislike may be a food key, a category or a food name
    ("pumkin seeds"); names are matched like any food mention. Raises
    :class:`NutritionError` for an unknown restriction and
    :class:`FoodNotFound` for a dislike that names no food or category.
    """
    flags: dict[str, bool] = {}
    for name in restrictions:
        cleaned = str(name).strip().lower().replace("-", "_").replace(" ", "_")
        cleaned = {"celiac": "gluten_free", "coeliac": "gluten_free",
                   "nut_free": "nut_allergy", "dairy_free": "lactose_free"}.get(cleaned, cleaned)
        if cleaned not in AVOIDS and cleaned != "no_fortified":
            raise NutritionError(
                f"I don't know the diet '{name}'. I can plan for: vegan, vegetarian, "
                "nut allergy, lactose-free, gluten-free (celiac) and no fortified foods."
            )
        flags[cleaned] = True
    keys: set[str] = set()
    categories = set(food_categories())
    for dislike in dislikes:
        if not isinstance(dislike, str) or not dislike.strip():
            raise FoodNotFound("Please tell me which food you don't like.", str(dislike))
        text = dislike.strip()
        keys.add(text if text in categories else find_food(text).key)
    return Diet(**flags, dislikes=frozenset(keys))


# ------------------------------------------------------------------------------ words for a diet

#: Words people use for a diet -> the restriction (or the food category they avoid).
#: The NLU pipeline is built from these (entity ``diet``); ``dislike`` marks words such as
#: "I don't like", whose food follows ("I don't like tofu").
_RESTRICTION_WORDS: dict[str, tuple[str, ...]] = {
    "vegan": ("vegan", "vegans", "plant based", "plant-based", "fully plant based"),
    "vegetarian": ("vegetarian", "vegetarians", "veggie", "lacto ovo vegetarian",
                   "ovo lacto vegetarian"),
    "nut_allergy": ("nut allergy", "nut allergies", "tree nut allergy", "peanut allergy",
                    "nut-free", "nut free", "allergic to nuts", "allergic to peanuts",
                    "allergic to tree nuts", "allergy to nuts", "allergic to nut",
                    "allergic to all nuts"),
    "lactose_free": ("lactose intolerant", "lactose intolerance", "lactose-free",
                     "lactose free", "dairy-free", "dairy free", "no dairy", "dairy intolerant",
                     "allergic to dairy", "milk allergy", "allergic to milk"),
    "gluten_free": ("gluten-free", "gluten free", "celiac", "coeliac", "celiac disease",
                    "coeliac disease", "gluten intolerant", "gluten intolerance",
                    "no gluten", "allergic to gluten", "allergic to wheat", "wheat allergy"),
    "meat_poultry": ("no meat", "pescatarian", "pescetarian"),
    "no_fortified": ("no fortified foods", "nothing fortified", "no fortified food",
                     "without fortified foods", "unfortified foods only"),
}
#: What a person avoids by name ("I don't eat dairy"): the words for it, and the restriction
#: or category it stands for.
_AVOIDED_THINGS: dict[str, tuple[str, ...]] = {
    "lactose_free": ("dairy", "milk products", "dairy products", "lactose"),
    "gluten_free": ("gluten", "wheat"),
    "nut_allergy": ("nuts", "peanuts", "tree nuts"),
    "fish_seafood": ("fish", "seafood", "fish or seafood"),
    "meat_poultry": ("meat", "red meat", "meat or poultry", "meat or fish"),
    "vegan": ("animal products", "any animal products"),
}
_AVOID_VERBS: tuple[str, ...] = (
    "don't eat", "do not eat", "dont eat", "don't like", "do not like", "dont like",
    "can't eat", "cannot eat", "cant eat", "avoid", "without", "hate", "no",
    "never eat", "won't eat", "stay away from",
)
#: Words saying the food that follows is disliked ("I don't like tofu").
DISLIKE_WORDS: tuple[str, ...] = (
    "don't like", "do not like", "dont like", "dislike", "hate", "can't stand",
    "cannot stand", "don't eat", "do not eat", "dont eat", "not a fan of", "never eat",
    "won't eat",
)
#: The value of the ``diet`` entity for the words above.
DISLIKE = "dislike"


def diet_surface_forms() -> dict[str, str]:
    """Every diet phrase (lower case) -> a restriction name, a food category (avoided),
    or :data:`DISLIKE`. "meat or fish" is read as vegetarian."""
    forms: dict[str, str] = {}
    for value, words in _RESTRICTION_WORDS.items():
        for word in words:
            forms[word] = value
    for value, things in _AVOIDED_THINGS.items():
        for thing in things:
            for verb in _AVOID_VERBS:
                forms.setdefault(f"{verb} {thing}", value)
    for verb in ("don't eat", "do not eat", "dont eat", "no"):
        forms[f"{verb} meat or fish"] = "vegetarian"
        forms[f"{verb} meat"] = "meat_poultry"
    for word in DISLIKE_WORDS:
        forms.setdefault(word, DISLIKE)
    return forms


def diet_values() -> tuple[str, ...]:
    """Every value of the ``diet`` entity, sorted."""
    return tuple(sorted(set(diet_surface_forms().values())))


def _food_family(text: str) -> list[str]:
    """Keys of every food whose name holds ``text`` as a word ("tofu": every tofu)."""
    word = text.strip().lower()
    singular = word[:-1] if word.endswith("s") else word
    pattern = {word, singular}
    found = []
    for key in food_keys():
        name_words = set(str(food_info(key)["name"]).lower().replace("(", " ")
                         .replace(")", " ").replace("-", " ").replace(",", " ").split())
        if pattern & name_words:
            found.append(key)
    return found


def diet_from_values(values: Iterable[str], disliked_foods: Iterable[str] = ()) -> Diet:
    """A :class:`Diet` from ``diet`` entity values (restrictions, avoided categories; the
    :data:`DISLIKE` marker is ignored) and the words of disliked foods ("tofu" dislikes
    every tofu of the table). Unknown values are skipped (raises nothing)."""
    restrictions: list[str] = []
    dislikes: set[str] = set()
    categories = set(food_categories())
    for value in values:
        if value in AVOIDS or value == "no_fortified":
            restrictions.append(value)
        elif value in categories:
            dislikes.add(value)
    for words in disliked_foods:
        family = _food_family(str(words))
        if len(family) > 1:
            dislikes.update(family)
            continue
        try:
            dislikes.add(find_food(str(words)).key)
        except FoodNotFound:
            continue
    base = make_diet(restrictions)
    return Diet(**{name: True for name in base.restrictions()}, dislikes=frozenset(dislikes))


def diet_value(diet: Diet) -> dict[str, Any]:
    """A diet as a slot value: ``{"restrictions": [...], "dislikes": [...]}`` (sorted)."""
    return {"restrictions": list(diet.restrictions()), "dislikes": sorted(diet.dislikes)}


def diet_from_slot(value: object) -> Diet:
    """The :class:`Diet` kept in a slot by :func:`diet_value` (an empty diet for anything
    else)."""
    if not isinstance(value, Mapping):
        return Diet()
    restrictions = [r for r in value.get("restrictions") or [] if isinstance(r, str)
                    and (r in AVOIDS or r == "no_fortified")]
    categories = set(food_categories())
    known = set(food_keys()) | categories
    dislikes = frozenset(d for d in value.get("dislikes") or [] if isinstance(d, str)
                         and d in known)
    return Diet(**{name: True for name in restrictions}, dislikes=dislikes)


def combine(first: Diet, second: Diet) -> Diet:
    """Both diets at once (what was said before and what is said now)."""
    flags = {name: True for name in first.restrictions() + second.restrictions()}
    return Diet(**flags, dislikes=first.dislikes | second.dislikes)
