"""The safety intents, named once for both servers: the NLU pipeline gives them to red-flag
messages (nlu/safety.py) and the profile form never takes a value from them
(actions/validation.py), so that the rules of data/rules/safety.yml answer first."""

SELF_HARM_INTENT = "report_self_harm"
EMERGENCY_INTENT = "report_emergency"
SAFETY_INTENTS = frozenset({SELF_HARM_INTENT, EMERGENCY_INTENT})
