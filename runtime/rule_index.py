"""The rule policy looks up only the rules that can match the latest state.

Before each predicted action Rasa's ``RulePolicy._get_possible_keys`` checks every rule it
learnt (about 250 here) against the conversation's latest state, then the survivors
against the state before, and so on: ``_is_rule_applicable`` ran about 340,000 times for 400
test-story turns, a fifth of a turn's time (profile in BENCHMARKS.md).

Most rules cannot match the latest state for a plain reason: the rule's last state names
the previous action and the intent, and the conversation's latest state has other ones.
``possible_keys`` (installed by runtime/patches.py) sorts the rules once per lookup table
by those two names and checks only the rules filed under the latest state's names or
under "any" (a rule whose last state leaves the name open, marks it as not set, or starts
the conversation); every check is still Rasa's own ``_is_rule_applicable``, in Rasa's
order, so the result is the same set. tests/reliability/test_rule_states.py compares it
with Rasa's at every prediction of long recorded conversations.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET, USER
from rasa.shared.nlu.constants import ACTION_NAME, INTENT

_original_get_possible_keys = RulePolicy._get_possible_keys

ANY = None
_ATTRIBUTE = "_runtime_rule_index"


def _named(state: dict[str, Any], part: str, key: str) -> str | None:
    """The name a state asks for (``None``: any value passes this part of the check)."""
    value = (state.get(part) or {}).get(key)
    if isinstance(value, str) and value and value != SHOULD_NOT_BE_SET:
        return value
    return ANY


def build_index(policy: RulePolicy, lookup: dict[str, Any]) -> dict[tuple, list[str]]:
    """The lookup's rule keys by (previous action, intent) of the rule's last state, in the
    lookup's order; a rule whose last state starts a conversation is filed under (any, any)."""
    index: dict[tuple, list[str]] = {}
    for key in lookup:
        states = policy._rule_key_to_state(key)
        last = states[-1] if states else {}
        if not last.get(PREVIOUS_ACTION):
            slot = (ANY, ANY)
        else:
            slot = (_named(last, PREVIOUS_ACTION, ACTION_NAME), _named(last, USER, INTENT))
        index.setdefault(slot, []).append(key)
    return index


def _index_for(policy: RulePolicy, lookup: dict[str, Any]) -> dict[tuple, list[str]]:
    kept = getattr(policy, _ATTRIBUTE, None)
    if kept is None:
        kept = {}
        setattr(policy, _ATTRIBUTE, kept)
    entry = kept.get(id(lookup))
    # the same table object still holding the same rules (a table changed in place, or a
    # new one at a reused id, is indexed again)
    if entry is None or entry[0] is not lookup or entry[1] != lookup.keys():
        entry = (lookup, set(lookup.keys()), build_index(policy, lookup))
        kept[id(lookup)] = entry
    return entry[2]


def candidates(index: dict[tuple, list[str]], state: dict[str, Any]) -> list[str]:
    """The rules that can match a conversation's latest state, from the index."""
    action = _named(state, PREVIOUS_ACTION, ACTION_NAME)
    intent = _named(state, USER, INTENT)
    slots = {(ANY, ANY), (action, ANY), (ANY, intent), (action, intent)}
    return [key for slot in slots for key in index.get(slot, ())]


def possible_keys(self: RulePolicy, lookup: dict[str, Any], states: list) -> set[str]:
    """``RulePolicy._get_possible_keys`` over the rules that can match the latest state."""
    if not states:
        return _original_get_possible_keys(self, lookup, states)
    possible = candidates(_index_for(self, lookup), states[-1])
    for i, state in enumerate(reversed(states)):
        possible = [key for key in possible if self._is_rule_applicable(key, i, state)]
        if not possible:
            break
    return set(possible)
