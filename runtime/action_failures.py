"""Action server down, failing or hanging: the user is told, the conversation goes on.

Installed by runtime/patches.py (each function below replaces the Rasa function named in
its docstring; the original is called inside). Wording: `utter_action_server_unavailable`
in domain.yml.

- A custom action call (`RemoteAction.run`) gets `ACTION_SERVER_TIMEOUT` seconds instead
  of Rasa's 300; on any failure the user gets the apology instead of silence, and in a form
  the slots the user gave in this turn are put back as they were (they were never
  validated), so the form asks again. After one failure, further custom actions of the
  same turn are skipped and the bot listens.
- If the events carrying the apology were dropped (Rasa rejects a form's execution when its
  validation returns nothing), the apology is sent after the prediction loop.
- If Rasa's circuit breaker (too many actions in a row) stops a turn, the turn is closed
  with `action_listen`, so the next message is answered normally.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance
from rasa.core.processor import MessageProcessor
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.events import ActionExecuted, BotUttered, FollowupAction, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from common.settings import active

logger = logging.getLogger("runtime")

UTTER_ACTION_SERVER_UNAVAILABLE = "utter_action_server_unavailable"


@dataclass
class Turn:
    """What happened to the action server while one user message is handled."""

    action_server_failed: bool = False
    apology_queued: bool = False  # put into some action's events
    apology_delivered: bool = False  # actually sent (events can be discarded, e.g. when
    # Rasa rejects a form's execution)


TURN: contextvars.ContextVar[Turn | None] = contextvars.ContextVar("turn", default=None)


@contextlib.contextmanager
def new_turn() -> Iterator[Turn]:
    """A fresh `Turn` for the message handled inside the block."""
    turn = Turn()
    token = TURN.set(turn)
    try:
        yield turn
    finally:
        TURN.reset(token)


_original_remote_run = RemoteAction.run


async def guarded_remote_run(self: RemoteAction, output_channel, nlg, tracker, domain):
    """Replaces `RemoteAction.run`: a time limit, and an apology instead of silence."""
    turn = TURN.get()
    timeout = active().action_timeout
    if turn is not None and turn.action_server_failed:
        logger.warning("Skipping custom action '%s': the action server already failed "
                       "while handling this message.", self.name())
    else:
        try:
            return await asyncio.wait_for(
                _original_remote_run(self, output_channel, nlg, tracker, domain),
                timeout=timeout,
            )
        except ActionExecutionRejection:
            raise  # the action declined (e.g. a form slot not filled): Rasa handles this
        except asyncio.TimeoutError:
            logger.error("Custom action '%s': no answer from the action server within %.1f s; "
                         "telling the user.", self.name(), timeout)
        except Exception as error:  # any other failure also leaves the user without answer
            logger.error("Custom action '%s' failed (%s: %s); telling the user.",
                         self.name(), type(error).__name__, error)
        if turn is not None:
            turn.action_server_failed = True
    return await _events_after_action_failure(self.name(), output_channel, nlg, tracker,
                                              domain, turn)


async def _apology(nlg, tracker, output_channel) -> BotUttered | None:
    message = await nlg.generate(UTTER_ACTION_SERVER_UNAVAILABLE, tracker, output_channel.name())
    if not message:
        logger.warning("The domain has no '%s' response: the user gets no answer.",
                       UTTER_ACTION_SERVER_UNAVAILABLE)
        return None
    message["utter_action"] = UTTER_ACTION_SERVER_UNAVAILABLE
    return create_bot_utterance(message)


async def _events_after_action_failure(action_name, output_channel, nlg, tracker, domain,
                                       turn: Turn | None) -> list:
    events: list = []
    validating = (action_name.startswith("validate_")
                  and action_name[len("validate_"):] in domain.form_names)
    form = action_name[len("validate_"):] if validating else tracker.active_loop_name
    if form:
        events += undo_form_slots_of_this_turn(tracker, domain, form,
                                               include_requested=validating)
    if turn is None or not turn.apology_queued:
        apology = await _apology(nlg, tracker, output_channel)
        if apology:
            events.append(apology)
            if turn is not None:
                turn.apology_queued = True
    # Wait for the user next. Without this the policies may predict the failed action
    # again and again (a fallback that never reverts the user message does) until Rasa's
    # circuit breaker stops the turn.
    events.append(FollowupAction(ACTION_LISTEN_NAME))
    return events


_original_side_effects = MessageProcessor.execute_side_effects


async def side_effects_noting_apology(self, events, tracker, output_channel) -> None:
    """Replaces `MessageProcessor.execute_side_effects`: notes when the apology is sent."""
    turn = TURN.get()
    if turn is not None and any(
        isinstance(e, BotUttered) and (e.metadata or {}).get("utter_action")
        == UTTER_ACTION_SERVER_UNAVAILABLE for e in events
    ):
        turn.apology_delivered = True
    await _original_side_effects(self, events, tracker, output_channel)


_original_prediction_loop = MessageProcessor._run_prediction_loop


async def prediction_loop_then_apology(self, output_channel, tracker) -> None:
    """Replaces `MessageProcessor._run_prediction_loop`: a dropped apology is sent after it."""
    await _original_prediction_loop(self, output_channel, tracker)
    turn = TURN.get()
    if turn is not None and turn.action_server_failed and not turn.apology_delivered:
        # The events carrying the apology were dropped: say it now, and store it.
        apology = await _apology(self.nlg, tracker, output_channel)
        if apology:
            tracker.update(apology)
            await _original_side_effects(self, [apology], tracker, output_channel)
            turn.apology_delivered = True


def _listen_after_circuit_break(tracker: DialogueStateTracker, output_channel, nlg) -> None:
    """Rasa's circuit breaker ends a turn without `action_listen`; every later message of
    the conversation would then trip it at once and get no answer. End the turn properly."""
    logger.error("Too many actions in a row for %r; ending the turn.", tracker.sender_id)
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))


_original_processor_init = MessageProcessor.__init__


def processor_init(self, *args: Any, **kwargs: Any) -> None:
    """Replaces `MessageProcessor.__init__`: a circuit break ends the turn with a listen."""
    _original_processor_init(self, *args, **kwargs)
    if self.on_circuit_break is None:
        self.on_circuit_break = _listen_after_circuit_break


def undo_form_slots_of_this_turn(tracker: DialogueStateTracker, domain, form: str,
                                 include_requested: bool = False) -> list:
    """SlotSet events that put the form's slots back to their values before the latest
    user message: what the user said in this turn could not be validated.

    With `include_requested`, the slot the form asked for is always among them: Rasa
    rejects a form's execution when its validation returns no slot at all, which would
    drop the apology; a SlotSet of the requested slot keeps the form asking."""
    events = list(tracker.events)
    last_user = next((i for i in range(len(events) - 1, -1, -1)
                      if isinstance(events[i], UserUttered)), None)
    if last_user is None:
        return []
    required = set(domain.required_slots_for_form(form))
    keys: list[str] = []
    for event in events[last_user + 1:]:
        if isinstance(event, SlotSet) and event.key in required and event.key not in keys:
            keys.append(event.key)
    before = DialogueStateTracker.from_events(tracker.sender_id, events[: last_user + 1],
                                              slots=domain.slots)
    requested = before.get_slot(REQUESTED_SLOT) if include_requested else None
    result = [SlotSet(key, before.get_slot(key)) for key in keys
              if before.get_slot(key) != tracker.get_slot(key) or key == requested]
    if requested and requested not in keys:
        result.append(SlotSet(requested, before.get_slot(requested)))
    return result
