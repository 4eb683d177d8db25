"""The safety net of the NLU pipeline: a message that talks of suicide or self-harm, or of
a medical emergency happening now, gets the safety intent whatever the classifiers chose.

``SafetyGuard`` runs last in ``config.yml`` (after the fallback classifier). When
:func:`nutrition.red_flags.red_flag` finds a red flag (patterns and sources in
``nutrition/data/red_flags.yml``) and the intent is not already a safety intent, it makes
``report_self_harm`` or ``report_emergency`` the intent with confidence 1.0, keeps the
classifier's own choice in the ranking below it, and records ``red_flag`` in the parse
data. It never removes a safety intent the classifier chose, and never raises.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from common.safety import EMERGENCY_INTENT, SAFETY_INTENTS, SELF_HARM_INTENT
from nlu.guard import MessageGuard, put_intent_first
from nutrition.red_flags import EMERGENCY, SELF_HARM, red_flag

INTENT_OF_KIND = {SELF_HARM: SELF_HARM_INTENT, EMERGENCY: EMERGENCY_INTENT}
RED_FLAG = "red_flag"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class SafetyGuard(MessageGuard):
    """Gives a red-flag message its safety intent (see the module docstring)."""

    def guard(self, message: Message) -> None:
        kind = red_flag(str(message.get(TEXT) or ""))
        if kind is None:
            return
        if (message.get(INTENT) or {}).get("name") in SAFETY_INTENTS:
            return
        put_intent_first(message, INTENT_OF_KIND[kind], 1.0)
        message.set(RED_FLAG, kind, add_to_output=True)
