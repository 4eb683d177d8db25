"""The project tokenizer ``nlu.safe_tokenizer.v1`` (registered when this module is imported).

The English tokenizer with a rule that splits a unit glued to a number, and that never
raises on lone surrogates. :mod:`nlu.components` imports this module, so importing
``nlu.components`` registers it with the components.
"""

# No `from __future__ import annotations` here: spaCy reads the registered signatures.

import re
from collections.abc import Callable

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

#: Split a unit or age abbreviation glued to a number ("100g", "1200mg", "54yo", "50s"),
#: but keep ordinals ("1st", "2nd") whole.
NUMBER_LETTER_SUFFIX = r"(?<=[0-9])(?!(?:st|nd|rd|th)$)[a-zA-Z\u00b5\u03bc]+"

#: Split a vulgar fraction from the number before it ("1½" -> "1", "½").
VULGAR_FRACTION_SUFFIX = r"(?<=[0-9])[\u00bc\u00bd\u00be\u2150-\u215e]"

TOKENIZER = "nlu.safe_tokenizer.v1"


_SURROGATES = re.compile("[\ud800-\udfff]")


class SafeTokenizer(Tokenizer):
    """spaCy's tokenizer, except that a lone UTF-16 surrogate (valid in JSON as "\\ud800",
    but not encodable) becomes U+FFFD instead of making spaCy raise. One character for
    one, so offsets are unchanged."""

    def __call__(self, text: str) -> Doc:
        if _SURROGATES.search(text):
            text = _SURROGATES.sub("\ufffd", text)
        return Tokenizer.__call__(self, text)


@registry.tokenizers(TOKENIZER)
def create_safe_tokenizer() -> Callable[[Language], Tokenizer]:
    """The English rules plus a suffix rule that splits "100g", "1200mg", "54yo", "50s"."""

    def make(nlp: Language) -> Tokenizer:
        defaults = nlp.Defaults
        return SafeTokenizer(
            nlp.vocab,
            rules=defaults.tokenizer_exceptions,
            prefix_search=compile_prefix_regex(defaults.prefixes).search,
            suffix_search=compile_suffix_regex(
                [*defaults.suffixes, NUMBER_LETTER_SUFFIX, VULGAR_FRACTION_SUFFIX]
            ).search,
            infix_finditer=compile_infix_regex(defaults.infixes).finditer,
            token_match=defaults.token_match,
            url_match=defaults.url_match,
        )

    return make
