"""Linguistic words about the person the patterns are built from, owned by this package.

How people state an age ("years old", "aged", "in my fifties"), sex and life-stage words,
and the words that deny or qualify a life stage ("not pregnant", "I'm expecting").
"""

from __future__ import annotations

from nlu.vocab import HYPHENS

# --- age -----------------------------------------------------------------------------

# Age phrases are token sequences; a tuple in a position means "any of these words".

#: Token sequences that follow an age in years ("54 years old", "54-year-old", "54 yo").
_YEAR = ("years", "year", "yrs", "yr", "y")
AGE_YEARS_AFTER: tuple[tuple[str | tuple[str, ...], ...], ...] = (
    (_YEAR, ("old", "young")),
    (_YEAR, "of", "age"),
    (HYPHENS, _YEAR, HYPHENS, "old"),
    (HYPHENS, _YEAR, "old"),
    (_YEAR, HYPHENS, "old"),
    (("yo", "y.o", "yrs.old", "yearold", "yearsold"),),
    ("y", "/", "o"),
)

#: Token sequences that follow an age in months ("8 months old", "my 8-month-old").
_MONTH = ("months", "month", "mo", "mos", "mths", "mth")
AGE_MONTHS_AFTER: tuple[tuple[str | tuple[str, ...], ...], ...] = (
    (_MONTH, "old"),
    (_MONTH, "of", "age"),
    (HYPHENS, _MONTH, HYPHENS, "old"),
    (_MONTH, HYPHENS, "old"),
)

#: Words that introduce an age in years ("aged 54", "age: 54").
AGE_BEFORE: tuple[tuple[str | tuple[str, ...], ...], ...] = (("aged",), ("age",), ("age", ":"))

#: Context before an age that is not part of the entity ("I'm 54": the entity is "54").
_BE_1ST = ("'m", "\u2019m", "m", "am")
AGE_CONTEXT_BEFORE: tuple[tuple[str | tuple[str, ...], ...], ...] = (
    ("i", _BE_1ST),
    ("i", _BE_1ST, ("now", "turning", "just")),
    (("im", "iam"),),
    (("im", "iam"), ("now", "turning", "just")),
    ("i", ("turned", "turn")),
    ("i", "just", "turned"),
    ("i", ("'ve", "\u2019ve", "have"), "just", "turned"),
    ("i", ("'ll", "\u2019ll", "will"), "be"),
    ("my", "age", "is"),
    ("age", "is"),
    (("she", "he"), ("is", "'s", "\u2019s")),
)

#: People whose age a user gives ("my daughter is 14", "my dad just turned 80").
AGE_PERSON_WORDS: tuple[str, ...] = (
    "daughter",
    "son",
    "mother",
    "mom",
    "mum",
    "father",
    "dad",
    "husband",
    "wife",
    "grandma",
    "grandmother",
    "grandpa",
    "grandfather",
    "sister",
    "brother",
    "partner",
    "baby",
    "child",
    "kid",
    "girl",
    "boy",
)
AGE_PERSON_VERBS: tuple[tuple[str | tuple[str, ...], ...], ...] = (
    (("is", "'s", "\u2019s"),),
    ("just", "turned"),
    ("turned",),
)

#: "a lady of 80", "a man of 65".
AGE_OF_WORDS: tuple[str, ...] = (
    "woman",
    "man",
    "lady",
    "gentleman",
    "guy",
    "female",
    "male",
    "women",
    "men",
    "ladies",
    # "how much vitamin D for someone of 80?"
    "someone",
    "somebody",
    "person",
    "adult",
)

#: "sex: F", "gender - m": a one-letter answer after a sex label.
SEX_LABEL_WORDS: tuple[str, ...] = ("sex", "gender")
SEX_LABEL_SEPARATORS: tuple[str, ...] = (":", "-", "=")

#: Words right after "I'm 54" that show the number is not an age.
NOT_AGE_NEXT: frozenset[str] = frozenset(
    {
        "foot",
        "stone",
        "stones",
        "tall",
        "short",
        "meters",
        "metres",
        "%",
        "percent",
        "times",
        "x",
        "minutes",
        "minute",
        "min",
        "mins",
        "hours",
        "hour",
        "hrs",
        "hr",
        "days",
        "day",
        "weeks",
        "week",
        "months",
        "month",
        "miles",
        "km",
        "steps",
        "calories",
        "kcal",
        "cal",
        "iu",
        "mcg",
        "\u00b5g",
        "ug",
        "cm",
        "mm",
        "inches",
        "feet",
        "ft",
        "'",
        "\u2019",
        "/",
        "out",
        "of",
    }
)

#: Decade words and the first year of the decade ("fifties" -> 50).
DECADE_WORDS: dict[str, int] = {
    "teens": 13,
    "twenties": 20,
    "thirties": 30,
    "forties": 40,
    "fifties": 50,
    "sixties": 60,
    "seventies": 70,
    "eighties": 80,
    "nineties": 90,
}
#: Words between "in my" and a decade, and the offset from the decade start they mean.
DECADE_MODIFIERS: dict[str, float] = {"early": 2.0, "mid": 5.0, "late": 8.0}
DECADE_POSSESSIVES: tuple[str, ...] = ("my", "her", "his", "their", "our", "your")
#: Suffix tokens after "50" in "50s" / "50's".
DECADE_SUFFIXES: tuple[str, ...] = ("s", "'s", "\u2019s")

#: Plausible ages in years for rules that read a number without an explicit "years".
AGE_YEARS_MIN = 1.0
AGE_YEARS_MAX = 120.0

# --- sex and life stage ------------------------------------------------------------------

SEX_WORDS: dict[str, tuple[str, ...]] = {
    "female": (
        "woman",
        "women",
        "female",
        "females",
        "girl",
        "girls",
        "daughter",
        "daughters",
        "wife",
        "mother",
        "mothers",
        "mom",
        "moms",
        "mum",
        "mums",
        "mommy",
        "mama",
        "lady",
        "ladies",
        "gal",
        "grandmother",
        "grandma",
        "granny",
        "sister",
        "aunt",
        "niece",
        "girlfriend",
        "womens",
    ),
    "male": (
        "man",
        "men",
        "male",
        "males",
        "boy",
        "boys",
        "son",
        "sons",
        "husband",
        "father",
        "fathers",
        "dad",
        "dads",
        "daddy",
        "papa",
        "guy",
        "guys",
        "gentleman",
        "gentlemen",
        "grandfather",
        "grandpa",
        "brother",
        "uncle",
        "nephew",
        "boyfriend",
        "hubby",
        "bloke",
        "dude",
        "mens",
    ),
}
SEX_PHRASES: dict[str, tuple[tuple[str, ...], ...]] = {
    "female": (("grand", "mother"),),
    "male": (("grand", "father"),),
}
#: Words a short answer may hold besides an age and sex/life-stage words
#: ("I'm post menopausal and 61", "female, aged 58").
SHORT_ANSWER_FILLERS: tuple[str, ...] = (
    "i",
    "'m",
    "\u2019m",
    "m",
    "am",
    "im",
    "and",
    "a",
    "an",
    "aged",
    "age",
    "now",
    "just",
)

#: One-letter answers ("54 F", "F, 54") accepted only right beside an age in a short message.
SEX_LETTERS: dict[str, str] = {"f": "female", "m": "male"}

LIFE_STAGE_PHRASES: dict[str, tuple[tuple[str, ...], ...]] = {
    "pregnant": (
        ("pregnant",),
        ("pregnancy",),
        ("preggers",),
        ("preggo",),
        ("expectant",),
        ("expecting", "mother"),
        ("expecting", "mothers"),
        ("expecting", "mom"),
        ("trimester",),
    ),
    "lactating": (
        ("breastfeeding",),
        ("breast", "feeding"),
        ("breast", "-", "feeding"),
        ("breastfeed",),
        ("breast", "-", "feed"),
        ("breastfed",),
        ("nursing",),
        ("lactating",),
        ("lactation",),
        ("chestfeeding",),
        ("nursing", "mother"),
    ),
    "postmenopausal": (
        ("postmenopausal",),
        ("post", "-", "menopausal"),
        ("post", "menopausal"),
        ("postmenopause",),
        ("post", "-", "menopause"),
        ("post", "menopause"),
        ("menopause",),
        ("menopausal",),
        ("after", "menopause"),
        ("after", "the", "menopause"),
        ("past", "menopause"),
        ("past", "the", "menopause"),
    ),
    "premenopausal": (
        ("premenopausal",),
        ("pre", "-", "menopausal"),
        ("pre", "menopausal"),
        ("premenopause",),
        ("pre", "-", "menopause"),
        ("before", "menopause"),
        ("before", "the", "menopause"),
    ),
    "perimenopausal": (
        ("perimenopausal",),
        ("peri", "-", "menopausal"),
        ("peri", "menopausal"),
        ("perimenopause",),
        ("peri", "-", "menopause"),
        ("peri", "menopause"),
    ),
}

#: A life stage right after one of these (within a few words, same clause) is denied:
#: "not pregnant", "I'm not pregnant or nursing", "never been pregnant".
NEGATION_WORDS: tuple[str, ...] = (
    "not",
    "n't",
    "n\u2019t",
    "no",
    "never",
    "nor",
    "neither",
    "nope",
    "non",
    "nt",
)
NEGATION_WINDOW = 3

#: "I'm expecting" is a pregnancy only when followed by one of these (or nothing).
EXPECTING_CONTEXT_BEFORE: tuple[str, ...] = ("'m", "\u2019m", "m", "am", "im", "are", "'re", "is")
EXPECTING_NEXT_OK: frozenset[str] = frozenset(
    {"baby", "twins", "again", "now", "my", "our", "and", "so", "but", "in", "a"}
)
EXPECTING_NEXT_A_OK: frozenset[str] = frozenset({"baby", "child", "boy", "girl"})
