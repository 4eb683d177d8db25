"""Guards installed into the Rasa server before its CLI starts (`python -m runtime run`).

Rasa 3.6 offers no hook for these, so each guard wraps one Rasa function and calls the
original inside. All wording comes from domain.yml ("# == core" responses).

1. Action server down, failing or hanging (`RemoteAction.run`): the call gets
   `ACTION_SERVER_TIMEOUT` seconds instead of Rasa's 300; on any failure the user gets
   `utter_action_server_unavailable` instead of silence, and in a form the slots the user
   gave in this turn are put back as they were (they were never validated), so the form
   asks again. After one failure, further custom actions of the same turn are skipped and
   the bot listens. If Rasa's circuit breaker (too many actions in a row) stops a turn,
   the turn is closed with `action_listen`, so the next message is answered normally.
2. Tracker store or lock store down (`FailSafeTrackerStore`, `Agent.handle_message`):
   Rasa would silently fall back to an in-memory store (the user loses the conversation
   and what is said meanwhile is never saved). Instead the error is logged and the user
   gets `utter_storage_unavailable`; the next message after the outage works normally.
   SQL connections are checked before use (`pool_pre_ping`), so recovery needs no restart.
3. Bad input (`Agent.handle_message`, REST middleware): control characters and broken
   surrogates are removed; messages over `MAX_MESSAGE_CHARS` get `utter_message_too_long`;
   the REST webhook answers 400 for malformed bodies, 413 for oversized ones and 429 when
   one sender sends more than `MESSAGES_PER_MINUTE`.
4. Slash commands (`MessageProcessor.parse_message`): "/intent{...}" is taken literally
   only when it is a button payload the bot offers or one of PUBLIC_SLASH_MESSAGES
   ("/greet", the widget's opening message) (SLASH_COMMANDS=buttons, the default);
   any other slash text is read as ordinary words, so users can't pick intents, entities
   or reserved intents such as EXTERNAL_* themselves. When an NLU component fails on a
   text (the intent classifier does on an empty message), the message counts as not
   understood (nlu_fallback) instead of getting no answer.
5. `GET /ready`: 200 when the model, tracker store and lock store answer, else 503.
"""

from __future__ import annotations

import asyncio
import contextvars
import copy
import inspect
import json
import logging
import re
import time
from dataclasses import dataclass
from typing import Any

from rasa.core import run as rasa_run
from rasa.core import tracker_store as rasa_tracker_store
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import LockError
from rasa.core.processor import MessageProcessor
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    FollowupAction,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from sanic import response

from common.payloads import buttons_as_sent
from runtime.retention import schedule_purges
from runtime.settings import Settings

logger = logging.getLogger("runtime")

UTTER_ACTION_SERVER_UNAVAILABLE = "utter_action_server_unavailable"
UTTER_STORAGE_UNAVAILABLE = "utter_storage_unavailable"
UTTER_MESSAGE_TOO_LONG = "utter_message_too_long"
REST_WEBHOOK_PATH = "/webhooks/rest/webhook"
MAX_SENDER_CHARS = 128

SETTINGS = Settings()


class StorageUnavailable(RasaException):
    """The tracker store could not be read or written."""


# ------------------------------------------------------------------ one message's state


@dataclass
class _Turn:
    action_server_failed: bool = False
    apology_queued: bool = False  # put into some action's events
    apology_delivered: bool = False  # actually sent (events can be discarded, e.g. when
    # Rasa rejects a form's execution)


_TURN: contextvars.ContextVar[_Turn | None] = contextvars.ContextVar("turn", default=None)


# --------------------------------------------------------------- 1. custom action calls

_original_remote_run = RemoteAction.run


async def _guarded_remote_run(self: RemoteAction, output_channel, nlg, tracker, domain):
    turn = _TURN.get()
    if turn is not None and turn.action_server_failed:
        logger.warning("Skipping custom action '%s': the action server already failed "
                       "while handling this message.", self.name())
    else:
        try:
            return await asyncio.wait_for(
                _original_remote_run(self, output_channel, nlg, tracker, domain),
                timeout=SETTINGS.action_timeout,
            )
        except ActionExecutionRejection:
            raise  # the action declined (e.g. a form slot not filled): Rasa handles this
        except asyncio.TimeoutError:
            logger.error("Custom action '%s': no answer from the action server within %.1f s; "
                         "telling the user.", self.name(), SETTINGS.action_timeout)
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
                                       turn: _Turn | None) -> list:
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


async def _side_effects(self, events, tracker, output_channel) -> None:
    turn = _TURN.get()
    if turn is not None and any(
        isinstance(e, BotUttered) and (e.metadata or {}).get("utter_action")
        == UTTER_ACTION_SERVER_UNAVAILABLE for e in events
    ):
        turn.apology_delivered = True
    await _original_side_effects(self, events, tracker, output_channel)


_original_prediction_loop = MessageProcessor._run_prediction_loop


async def _prediction_loop(self, output_channel, tracker) -> None:
    await _original_prediction_loop(self, output_channel, tracker)
    turn = _TURN.get()
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


def _processor_init(self, *args: Any, **kwargs: Any) -> None:
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


# ------------------------------------------------------------- 2. storage and 3. input

_original_handle_message = Agent.handle_message
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Drop control characters (keeping tab and newlines) and broken surrogate pairs."""
    text = _CONTROL.sub("", text)
    # A lone surrogate (JSON "\ud800") cannot be stored or sent as UTF-8: make it U+FFFD.
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _storage_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [StorageUnavailable, LockError]
    try:
        import redis.exceptions

        errors.append(redis.exceptions.RedisError)
    except ImportError:  # pragma: no cover - redis is a Rasa dependency
        pass
    try:
        import sqlalchemy.exc

        errors.append(sqlalchemy.exc.SQLAlchemyError)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


STORAGE_ERRORS = _storage_errors()


async def _say(agent: Agent, message: UserMessage, response_name: str, **values: Any) -> None:
    """Send one domain response without touching the conversation's stored tracker."""
    if agent.nlg is None or agent.domain is None:
        return
    tracker = DialogueStateTracker(message.sender_id or "", agent.domain.slots)
    reply = await agent.nlg.generate(response_name, tracker, message.output_channel.name(),
                                     **values)
    if reply:
        await message.output_channel.send_response(message.sender_id, reply)
    else:
        logger.warning("The domain has no '%s' response.", response_name)


def _collected(message: UserMessage):
    out = message.output_channel
    return out.messages if isinstance(out, CollectingOutputChannel) else None


async def _guarded_handle_message(self: Agent, message: UserMessage):
    if isinstance(message.text, str):
        message.text = clean_text(message.text)
        if len(message.text) > SETTINGS.max_message_chars:
            logger.info("Message of %d characters from %r not read (limit %d).",
                        len(message.text), message.sender_id, SETTINGS.max_message_chars)
            await _say(self, message, UTTER_MESSAGE_TOO_LONG,
                       max_chars=SETTINGS.max_message_chars)
            return _collected(message)
    token = _TURN.set(_Turn())
    try:
        return await _original_handle_message(self, message)
    except STORAGE_ERRORS as error:
        logger.error("Conversation storage unavailable while handling a message from %r "
                     "(%s: %s); the user was told to try again.",
                     message.sender_id, type(error).__name__, error)
        await _say(self, message, UTTER_STORAGE_UNAVAILABLE)
        return _collected(message)
    finally:
        _TURN.reset(token)


def _raise_storage_unavailable(self, error: Exception) -> None:
    # Replaces FailSafeTrackerStore's "log and fall back to memory" callbacks.
    store = type(getattr(self, "_tracker_store", self)).__name__
    raise StorageUnavailable(f"{store} is unavailable: {error}") from error


_original_engine_kwargs = rasa_tracker_store.create_engine_kwargs


def _engine_kwargs(url: Any) -> dict[str, Any]:
    kwargs = dict(_original_engine_kwargs(url))
    kwargs.setdefault("pool_pre_ping", True)  # drop connections a database restart killed
    return kwargs


# ----------------------------------------------------------------- 4. slash commands

_original_parse_message = MessageProcessor.parse_message
_LEADING_SLASHES = re.compile(r"^[\s/]+")


def _payloads_offered(domain, tracker: DialogueStateTracker | None) -> set[str]:
    """Button payloads of the domain's responses and of the bot's latest messages."""
    payloads: set[str] = set()
    buttons: list = []
    for variations in (domain.responses or {}).values():
        for variation in variations or []:
            # as rendered and clicked: domain.yml doubles the braces of JSON payloads
            buttons += buttons_as_sent(variation.get("buttons") or [])
    if tracker is not None:
        for event in reversed(list(tracker.events)):
            if isinstance(event, UserUttered):
                break
            if isinstance(event, BotUttered):
                buttons += event.data.get("buttons") or []
    for button in buttons:
        payload = button.get("payload") if isinstance(button, dict) else None
        if isinstance(payload, str):
            payloads.add(payload.strip())
    return payloads


def slash_command_allowed(text: str, domain, tracker=None) -> bool:
    if SETTINGS.slash_commands == "all":
        return True
    if SETTINGS.slash_commands == "none":
        return False
    text = text.strip()
    return text in SETTINGS.public_slash_messages or text in _payloads_offered(domain, tracker)


async def _guarded_parse_message(self: MessageProcessor, message: UserMessage,
                                 tracker: DialogueStateTracker | None = None,
                                 only_output_properties: bool = True) -> dict[str, Any]:
    text = message.text
    try:
        if (isinstance(text, str) and text.lstrip().startswith("/")
                and not slash_command_allowed(text, self.domain, tracker)):
            logger.info("Reading slash text from %r as words, not as an intent.",
                        message.sender_id)
            plain = copy.copy(message)
            # Same length, so entity positions still match the original text.
            plain.text = _LEADING_SLASHES.sub(lambda m: " " * len(m.group()), text)
            parse_data = await _original_parse_message(self, plain, tracker,
                                                       only_output_properties)
            parse_data["text"] = text
            return parse_data
        return await _original_parse_message(self, message, tracker, only_output_properties)
    except Exception:  # an NLU component failed on this text (e.g. no features at all)
        logger.exception("The NLU pipeline failed on a message from %r; treating it as "
                         "not understood.", message.sender_id)
        intent = {"name": DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": 1.0}
        return {"text": text, "intent": intent, "intent_ranking": [intent], "entities": []}


# ----------------------------------------------------------- REST webhook and /ready


class SenderRateLimit:
    """Token bucket per sender: `burst` messages at once, then `per_minute` a minute."""

    def __init__(self, per_minute: int, burst: int, clock=time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, sender: str) -> tuple[bool, float]:
        """(allowed, seconds until the next message would be allowed)."""
        now = self.clock()
        tokens, last = self._buckets.get(sender, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens >= 1:
            self._buckets[sender] = (tokens - 1, now)
            self._forget_idle(now)
            return True, 0.0
        self._buckets[sender] = (tokens, now)
        return False, (1 - tokens) / self.rate

    def _forget_idle(self, now: float) -> None:
        if len(self._buckets) > 10_000:
            full_after = self.burst / self.rate
            self._buckets = {s: (t, last) for s, (t, last) in self._buckets.items()
                             if now - last < full_after}


def rest_body_problem(body: bytes, max_bytes: int) -> tuple[int, str] | None:
    """(HTTP status, reason) when a REST webhook body must be refused, else None."""
    if len(body) > max_bytes:
        return 413, f"the request body is larger than {max_bytes} bytes"
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return 400, "the body is not valid JSON (or nested too deeply)"
    if not isinstance(data, dict):
        return 400, "the body must be a JSON object with 'sender' and 'message'"
    sender = data.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        return 400, "'sender' must be a non-empty string"
    if len(sender) > MAX_SENDER_CHARS or not sender.isprintable():
        return 400, f"'sender' must be printable text of at most {MAX_SENDER_CHARS} characters"
    if not isinstance(data.get("message"), str):
        return 400, "'message' must be a string"
    if data.get("metadata") is not None and not isinstance(data["metadata"], dict):
        return 400, "'metadata' must be a JSON object"
    channel = data.get("input_channel")
    if channel is not None and (not isinstance(channel, str) or len(channel) > 64):
        return 400, "'input_channel' must be a short string"
    return None


def _install_http_guards(app, enable_api: bool) -> None:
    limiter = (SenderRateLimit(SETTINGS.messages_per_minute, SETTINGS.message_burst)
               if SETTINGS.messages_per_minute > 0 else None)
    if not enable_api:
        # Without the model upload API nothing needs big bodies (socket.io polls are small).
        app.config.REQUEST_MAX_SIZE = 1024 * 1024
        app.config.WEBSOCKET_MAX_SIZE = 1024 * 1024

    async def guard_rest_webhook(request):
        if request.method != "POST" or request.path.rstrip("/") != REST_WEBHOOK_PATH:
            return None
        problem = rest_body_problem(request.body or b"", SETTINGS.max_body_bytes)
        if problem:
            status, reason = problem
            body: dict[str, Any] = {"error": reason}
            if status == 413:
                body.update(max_bytes=SETTINGS.max_body_bytes,
                            max_message_chars=SETTINGS.max_message_chars)
            return response.json(body, status=status)
        if limiter is not None:
            allowed, wait = limiter.allow(json.loads(request.body)["sender"])
            if not allowed:
                return response.json(
                    {"error": "too many messages from this sender; please slow down",
                     "retry_after_seconds": round(wait, 1)},
                    status=429, headers={"Retry-After": str(max(1, round(wait)))},
                )
        return None

    app.register_middleware(guard_rest_webhook, "request")

    async def storage_unavailable(request, exception):
        return response.json({"error": str(exception)}, status=503)

    app.exception(StorageUnavailable)(storage_unavailable)
    app.add_route(ready, "/ready", methods=["GET"])


async def _check(fn, *args) -> str:
    try:
        await asyncio.wait_for(asyncio.to_thread(fn, *args), timeout=3)
        return "ok"
    except Exception as error:  # report any failure as text
        return f"unavailable: {type(error).__name__}: {error}"[:300]


def _ping_tracker_store(store) -> None:
    inner = getattr(store, "_tracker_store", store)
    engine = getattr(inner, "engine", None)
    if engine is not None:
        import sqlalchemy

        with engine.connect() as connection:
            connection.execute(sqlalchemy.text("SELECT 1"))


def _ping_lock_store(store) -> None:
    red = getattr(store, "red", None)
    if red is not None:
        red.ping()


async def ready(request):
    agent = getattr(request.app.ctx, "agent", None)
    if agent is None or not agent.is_ready():
        return response.json({"model": "not loaded"}, status=503)
    checks = {
        "model": "ok",
        "tracker_store": await _check(_ping_tracker_store, agent.tracker_store),
        "lock_store": await _check(_ping_lock_store, agent.lock_store),
    }
    ok = all(value == "ok" for value in checks.values())
    return response.json(checks, status=200 if ok else 503)


_original_configure_app = rasa_run.configure_app


def _guarded_configure_app(*args: Any, **kwargs: Any):
    app = _original_configure_app(*args, **kwargs)
    bound = inspect.signature(_original_configure_app).bind(*args, **kwargs)
    bound.apply_defaults()
    _install_http_guards(app, bool(bound.arguments.get("enable_api")))
    schedule_purges(app)  # retention: purge old conversations while the server runs
    return app


# ------------------------------------------------------------------------- install

_installed = False


def install(settings: Settings | None = None) -> Settings:
    """Install every guard (idempotent); returns the settings in force."""
    global SETTINGS, _installed
    SETTINGS = settings or Settings.from_env()
    if _installed:
        return SETTINGS
    RemoteAction.run = _guarded_remote_run
    Agent.handle_message = _guarded_handle_message
    MessageProcessor.parse_message = _guarded_parse_message
    MessageProcessor.__init__ = _processor_init
    MessageProcessor.execute_side_effects = _side_effects
    MessageProcessor._run_prediction_loop = _prediction_loop
    rasa_tracker_store.FailSafeTrackerStore.on_tracker_store_error = _raise_storage_unavailable
    rasa_tracker_store.FailSafeTrackerStore.on_tracker_store_retrieve_error = (
        _raise_storage_unavailable
    )
    rasa_tracker_store.create_engine_kwargs = _engine_kwargs
    rasa_run.configure_app = _guarded_configure_app
    _installed = True
    return SETTINGS
