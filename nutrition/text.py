"""Text normalisation shared by the food, supplement and medication lookups."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")

# Words whose final "s" is not a plural marker (kept as they are).
_KEEP_S = frozenset(
    {
        "swiss", "hummus", "couscous", "asparagus", "molasses", "brussels",
        "series", "species", "bass", "cress", "watercress", "this", "plus",
        "citrus", "hibiscus", "octopus", "glass", "less",
    }
)

# Irregular plural -> singular.
_IRREGULAR = {
    "leaves": "leaf",
    "loaves": "loaf",
    "halves": "half",
    "knives": "knife",
    "potatoes": "potato",
    "tomatoes": "tomato",
    "mangoes": "mango",
    "avocadoes": "avocado",
    "avocados": "avocado",
    "cookies": "cookie",
    "brownies": "brownie",
    "smoothies": "smoothie",
    "movies": "movie",
    "teeth": "tooth",
    "geese": "goose",
    "mice": "mouse",
    "dice": "die",
    "fish": "fish",
    "fishes": "fish",
    "radishes": "radish",
    "anchovies": "anchovy",
}


def normalise(text: str) -> str:
    """Lower-case, strip accents, turn punctuation into single spaces.

    Apostrophes are dropped without a space ("Reese's" -> "reeses") and "&"
    becomes "and".
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    return _NON_WORD.sub(" ", text).strip()


def singular(word: str) -> str:
    """Return a crude singular of an English word (deterministic, rule based).

    Accuracy matters less than consistency: the same function is applied to
    the table's names and to the user's words before they are compared.
    """
    if len(word) <= 3 or word in _KEEP_S:
        return word
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if word.endswith("oes") and len(word) > 4:
        return word[:-2]
    if word.endswith("ss") or word.endswith("us") or word.endswith("is"):
        return word
    if word.endswith("s"):
        return word[:-1]
    return word


def key_form(text: str) -> str:
    """Normalised text with every word made singular: the lookup key."""
    return " ".join(singular(word) for word in normalise(text).split())
