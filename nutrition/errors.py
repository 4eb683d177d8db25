"""Exceptions raised by the nutrition core.

Every exception derives from :class:`NutritionError` and carries a message that
can be shown to a user as it is (no stack-trace jargon). Actions can catch
``NutritionError`` once and reply with ``str(error)``; the subclasses carry
structured details (e.g. close matches) for richer replies.
"""

from __future__ import annotations

from collections.abc import Sequence


class NutritionError(ValueError):
    """Base class for every error of the nutrition core."""


class InvalidProfile(NutritionError):
    """Age, sex, pregnancy or lactation values that no reference table covers."""


class InvalidAmount(NutritionError):
    """An amount that is negative, not a number, or otherwise impossible."""


class UnknownUnit(NutritionError):
    """A unit that cannot be understood at all."""


class UnknownSupplementForm(NutritionError):
    """A supplement form that is not in the supplement table.

    ``name`` is the name exactly as given (so that a reply can name it back and
    ask for the label's "elemental magnesium" line); ``close_matches`` holds the
    forms a misspelling was equally close to, if any.
    """

    def __init__(
        self, message: str, close_matches: Sequence[str] = (), name: str = ""
    ) -> None:
        super().__init__(message)
        self.close_matches: list[str] = list(close_matches)
        self.name = name


class UnknownMedication(NutritionError):
    """A medication name that is not in the interaction table."""

    def __init__(self, message: str, close_matches: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.close_matches: list[str] = list(close_matches)


class FoodNotFound(NutritionError):
    """A food mention that matches no food in the table well enough.

    ``close_matches`` holds ``(food_key, score)`` pairs, best first, so that a
    reply can ask "did you mean ...?"; ``uncertain`` is True when the mention
    fits several foods about equally well (rather than none).
    """

    def __init__(
        self,
        message: str,
        query: str = "",
        close_matches: Sequence[tuple[str, float]] = (),
        uncertain: bool = False,
    ) -> None:
        super().__init__(message)
        self.query = query
        self.close_matches: list[tuple[str, float]] = list(close_matches)
        # True: several foods fit about equally well; ask which one is meant
        self.uncertain = uncertain
