"""Linguistic words of amounts the patterns are built from, owned by this package.

The little grammar of number phrases ("half a", "one and a half", "a couple of"), unit words
that are everyday nouns too, nutrient words named with a dose, and known false friends.
Words about the person (age, sex, life stage) are in :mod:`nlu.vocab_person`; the adapters
over the nutrition core's tables (foods, units, number words, supplement forms, medicine
names) are in :mod:`nlu.vocab_core`.
"""

from __future__ import annotations

ARTICLES: tuple[str, ...] = ("a", "an")

#: Fraction words that can head or end a number phrase ("half a cup", "two thirds").
FRACTION_WORDS: tuple[str, ...] = (
    "half",
    "halves",
    "third",
    "thirds",
    "quarter",
    "quarters",
    "fourth",
    "fourths",
    "eighth",
    "eighths",
)

#: Words that make a vague quantity after "a" ("a couple of", "a few", "a dozen").
VAGUE_AFTER_ARTICLE: tuple[str, ...] = ("couple", "pair", "few", "dozen")

#: Vague quantity words that stand alone ("several slices").
VAGUE_ALONE: tuple[str, ...] = ("several",)

#: Number words from the core that are never used as an amount in a pattern ("no milk").
NUMBER_WORDS_EXCLUDED: frozenset[str] = frozenset({"no", "none", "nil"})

RANGE_WORDS: tuple[str, ...] = ("to", "or")
HYPHENS: tuple[str, ...] = ("-", "\u2013")

#: Unit words that are everyday nouns too ("a link between", "a head cold", "a pat on the
#: back", "a piece of advice"): after "a"/"an" they measure only before a food, or at the
#: very end of a message ("about a piece").
AMBIGUOUS_UNIT_WORDS: tuple[str, ...] = (
    "bar",
    "bars",
    "bunch",
    "can",
    "clove",
    "container",
    "envelope",
    "head",
    "heads",
    "item",
    "leaf",
    "link",
    "links",
    "pack",
    "pat",
    "piece",
    "pot",
    "rib",
    "spear",
    "sprig",
    "square",
    "stick",
    "tin",
)

# --- nutrients named with a dose ("1200 mg calcium") -------------------------------------

#: Other nutrient words, used only to give a dose its role ("500 mg zinc"); never an entity
#: of their own. The nutrients the assistant answers about (magnesium, calcium, vitamin D)
#: come from the core's table (``vocab_core.nutrient_surfaces``).
OTHER_NUTRIENT_WORDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "vitamin_k": (("vitamin", "k"), ("vitamin", "k2"), ("k2",)),
    "zinc": (("zinc",),),
    "potassium": (("potassium",),),
}

# --- false friends: matched as a BLOCK span so that no shorter entity is taken ------------

BLOCK_PHRASES: tuple[tuple[str, ...], ...] = (
    ("nursing", "home"),
    ("nursing", "homes"),
    ("nursing", "staff"),
    ("nursing", "school"),
    ("nursing", "degree"),
    ("nursing", "student"),
    ("nursing", "care"),
    ("oh", "man"),
    ("hey", "man"),
    ("man", "!"),
    ("my", "man"),
    ("no", "man"),
    ("guys", "!"),
    ("hey", "guys"),
    ("hi", "guys"),
    ("you", "guys"),
    ("thanks", "guys"),
    ("boy", "!"),
    ("oh", "boy"),
    # plant milks the food table doesn't have: "oat milk" is not oats plus milk
    ("oat", "milk"),
    ("oat", "milks"),
    ("oatmilk",),
    ("oat", "drink"),
    ("oat", "beverage"),
    # food names that are also everyday words
    ("up", "to", "date"),
    ("to", "date"),
    ("due", "date"),
    ("what", "date"),
    ("expiry", "date"),
    ("in", "turkey"),
    ("from", "turkey"),
    ("today", "'s", "date"),
    ("today", "\u2019s", "date"),
    ("todays", "date"),
    ("date", "of", "birth"),
    ("birth", "date"),
    ("serving", "size"),
    ("serving", "sizes"),
    ("a", "serving", "size"),
    ("the", "serving", "size"),
    ("portion", "size"),
    ("portion", "sizes"),
    ("a", "portion", "size"),
    ("the", "portion", "size"),
    ("pop", "up"),
    ("pops", "up"),
    ("thanks", "a", "bunch"),
)

# --- "a"/"an" right before a food that has a whole-item weight counts one item --------------
# ("an avocado" is one whole avocado; "a banana" stays the typical serving, one medium)
WHOLE_ITEM_ARTICLES: tuple[str, ...] = ("a", "an")
