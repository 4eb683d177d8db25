"""Unit tests of the runtime package (no servers; the guards are called directly, never
installed into this process, so other tests see Rasa unchanged)."""

from __future__ import annotations

import asyncio
import time

import pytest
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.tracker_store import FailSafeTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    FollowupAction,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from channels import rest as rest_channel
from common.settings import Settings, activate
from harness.domain import load_domain
from harness.net import free_port
from runtime import action_failures, messages, storage_outages
from runtime.__main__ import api_arguments, check_workers

APOLOGY = "Sorry, the calculator is away."
DOMAIN = Domain.from_dict({
    "version": "3.1",
    "intents": ["inform", "greet"],
    "entities": ["age", "sex"],
    "slots": {
        "age": {"type": "float", "mappings": [{"type": "from_entity", "entity": "age"}]},
        "sex": {"type": "text", "mappings": [{"type": "from_entity", "entity": "sex"}]},
        "note": {"type": "text", "mappings": [{"type": "custom"}]},
    },
    "forms": {"profile_form": {"required_slots": ["age", "sex"]}},
    "responses": {
        "utter_action_server_unavailable": [{"text": APOLOGY}],
        "utter_ask_sex": [{"text": "Woman or man?", "buttons": [
            {"title": "Female", "payload": '/inform{"sex": "female"}'}]}],
    },
    "actions": ["validate_profile_form", "action_compute"],
})
NLG = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
SECRET = "k" * 40


def _tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("tester", list(events), slots=DOMAIN.slots)


def _mid_form_tracker() -> DialogueStateTracker:
    return _tracker(
        ActionExecuted("action_listen"), UserUttered("profile please", {"name": "inform"}),
        ActionExecuted("profile_form"), ActiveLoop("profile_form"),
        SlotSet("requested_slot", "age"), SlotSet("note", "kidney"),
        ActionExecuted("action_listen"),
        UserUttered("30", {"name": "inform"}, [{"entity": "age", "value": 30}]),
        SlotSet("age", 30.0), SlotSet("note", "changed"),
    )


def _run(action: str, url: str, tracker, turn=None, timeout=1.0):
    async def go():
        token = action_failures.TURN.set(turn)
        try:
            return await action_failures.guarded_remote_run(
                RemoteAction(action, EndpointConfig(url=url)), CollectingOutputChannel(), NLG,
                tracker, DOMAIN)
        finally:
            action_failures.TURN.reset(token)

    activate(Settings(action_timeout=timeout))
    return asyncio.run(go())


# ------------------------------------------------------------ action server failures


def test_action_server_down_gives_apology_and_listen():
    started = time.monotonic()
    events = _run("action_compute", f"http://127.0.0.1:{free_port()}/webhook",
                  _tracker(ActionExecuted("action_listen"), UserUttered("hi")))
    assert time.monotonic() - started < 3
    assert [type(e) for e in events] == [BotUttered, FollowupAction]
    assert events[0].text == APOLOGY
    assert events[1].action_name == "action_listen"


def test_hanging_action_server_is_given_up_after_the_timeout():
    async def scenario():
        server = await asyncio.start_server(lambda r, w: asyncio.sleep(3600), "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        activate(Settings(action_timeout=0.5))
        started = time.monotonic()
        events = await action_failures.guarded_remote_run(
            RemoteAction("action_compute", EndpointConfig(url=f"http://127.0.0.1:{port}/")),
            CollectingOutputChannel(), NLG, _tracker(UserUttered("hi")), DOMAIN)
        server.close()
        return events, time.monotonic() - started

    events, elapsed = asyncio.run(scenario())
    assert 0.4 < elapsed < 2.5
    assert events[0].text == APOLOGY


def test_failed_form_validation_puts_the_unvalidated_slots_back():
    events = _run("validate_profile_form", f"http://127.0.0.1:{free_port()}/webhook",
                  _mid_form_tracker())
    slot_events = [e for e in events if isinstance(e, SlotSet)]
    assert slot_events == [SlotSet("age", None)], "only the form's slots, not 'note'"
    assert isinstance(events[-2], BotUttered) and isinstance(events[-1], FollowupAction)


def test_form_validation_failure_always_resets_the_requested_slot():
    tracker = _tracker(
        ActionExecuted("action_listen"), UserUttered("start"), ActionExecuted("profile_form"),
        ActiveLoop("profile_form"), SlotSet("requested_slot", "sex"), SlotSet("age", 30.0),
        ActionExecuted("action_listen"), UserUttered("hmm"),
    )
    assert action_failures.undo_form_slots_of_this_turn(tracker, DOMAIN, "profile_form", True) == [
        SlotSet("sex", None)]
    assert action_failures.undo_form_slots_of_this_turn(tracker, DOMAIN, "profile_form") == []


def test_after_one_failure_the_turn_skips_the_action_server_and_apologises_once():
    turn = action_failures.Turn(action_server_failed=True, apology_queued=True)
    events = _run("action_compute", "http://192.0.2.1:9/webhook",  # never contacted
                  _tracker(UserUttered("hi")), turn=turn, timeout=30)
    assert [type(e) for e in events] == [FollowupAction]


def test_a_rejection_by_the_action_server_still_reaches_rasa():
    from aiohttp import web

    async def scenario():
        async def reject(request):
            return web.json_response({"action_name": "validate_profile_form",
                                      "error": "nothing to fill"}, status=400)

        app = web.Application()
        app.router.add_post("/webhook", reject)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        activate(Settings(action_timeout=5))
        try:
            await action_failures.guarded_remote_run(
                RemoteAction("validate_profile_form",
                             EndpointConfig(url=f"http://127.0.0.1:{port}/webhook")),
                CollectingOutputChannel(), NLG, _mid_form_tracker(), DOMAIN)
        finally:
            await runner.cleanup()

    with pytest.raises(ActionExecutionRejection):
        asyncio.run(scenario())


# ------------------------------------------------------------------ storage failures


def test_tracker_store_errors_are_raised_not_hidden_in_memory():
    class Broken(TrackerStore):
        async def retrieve(self, sender_id):
            raise ConnectionError("database is down")

        async def save(self, tracker):
            raise ConnectionError("database is down")

    store = FailSafeTrackerStore(Broken(DOMAIN))
    unavailable = storage_outages.raise_storage_unavailable
    store.on_tracker_store_retrieve_error = lambda e: unavailable(store, e)
    store.on_tracker_store_error = lambda e: unavailable(store, e)
    with pytest.raises(storage_outages.StorageUnavailable, match="Broken is unavailable: database"):
        asyncio.run(store.retrieve("x"))
    with pytest.raises(storage_outages.StorageUnavailable):
        asyncio.run(store.save(_tracker()))
    assert store._fallback_tracker_store is None, "nothing went to an in-memory store"


def test_sql_connections_are_checked_before_use():
    assert storage_outages.engine_kwargs("sqlite:///x.db")["pool_pre_ping"] is True
    kwargs = storage_outages.engine_kwargs("postgresql://u@h/db")
    assert kwargs["pool_pre_ping"] is True and "pool_size" in kwargs


# ------------------------------------------------------------------------- input


def test_clean_text_drops_control_characters_and_lone_surrogates():
    assert messages.clean_text("hi\x00\x07 there\x1b") == "hi there"
    assert messages.clean_text("line\nnext\ttab") == "line\nnext\ttab"
    assert messages.clean_text("ok \ud800") == "ok \ufffd"
    assert messages.clean_text("💪 كم") == "💪 كم"


BODIES = {
    "ok": (b'{"sender": "a", "message": "hi"}', None),
    "null-metadata": (b'{"sender": "a", "message": "hi", "metadata": null}', None),
    "not-json": (b"not json", 400),
    "array": (b"[1]", 400),
    "number-sender": (b'{"sender": 1, "message": "hi"}', 400),
    "nul-in-sender": (b'{"sender": "a\\u0000", "message": "hi"}', 400),
    "number-message": (b'{"sender": "a", "message": 1}', 400),
    "list-metadata": (b'{"sender": "a", "message": "x", "metadata": []}', 400),
    "number-channel": (b'{"sender": "a", "message": "x", "input_channel": 3}', 400),
    "too-big": (b'{"sender": "a", "message": "' + b"x" * 60_000 + b'"}', 413),
    "too-deep": (b'{"a": ' * 5000 + b"1" + b"}" * 5000, 400),
}


@pytest.mark.parametrize("name", BODIES)
def test_rest_body_checks(name):
    body, status = BODIES[name]
    problem = rest_channel.rest_body_problem(body, max_bytes=50_000)
    assert (problem[0] if problem else None) == status


def test_rate_limit_allows_a_burst_then_the_rate():
    now = [0.0]
    limit = rest_channel.SenderRateLimit(per_minute=60, burst=3, clock=lambda: now[0])
    assert [limit.allow("a")[0] for _ in range(4)] == [True, True, True, False]
    assert limit.allow("b")[0], "other senders have their own bucket"
    allowed, wait = limit.allow("a")
    assert not allowed and 0 < wait <= 1
    now[0] += 1.01
    assert limit.allow("a")[0] and not limit.allow("a")[0]


def test_a_refusal_never_says_retry_after_zero_seconds():
    assert rest_channel.retry_after_seconds(0.001) == 0.1, "almost refilled: still > 0"
    assert rest_channel.retry_after_seconds(0.3) == 0.3
    assert rest_channel.retry_after_seconds(0.31) == 0.4
    assert rest_channel.retry_after_seconds(29.95) == 30.0


def test_slash_commands_only_for_offered_buttons():
    activate(Settings())
    assert messages.slash_command_allowed('/inform{"sex": "female"}', DOMAIN)
    assert not messages.slash_command_allowed('/inform{"age": -5}', DOMAIN)
    assert not messages.slash_command_allowed("/goodbye", DOMAIN)
    assert messages.slash_command_allowed(" /greet ", DOMAIN), "the widget's opening message"
    assert not messages.slash_command_allowed('/greet{"age": 3}', DOMAIN)
    offered = _tracker(BotUttered("Pick", {"buttons": [{"title": "x", "payload": "/goodbye"}]}))
    assert messages.slash_command_allowed("/goodbye", DOMAIN, offered)
    answered = _tracker(BotUttered("Pick", {"buttons": [{"title": "x", "payload": "/goodbye"}]}),
                        UserUttered("no"))
    assert not messages.slash_command_allowed("/goodbye", DOMAIN, answered)
    activate(Settings(slash_commands="all"))
    assert messages.slash_command_allowed("/goodbye", DOMAIN)
    activate(Settings(slash_commands="none"))
    assert not messages.slash_command_allowed('/inform{"sex": "female"}', DOMAIN)
    activate(Settings())


def test_slash_commands_for_the_entity_buttons_of_the_domain():
    """The domain doubles the braces of JSON payloads (Rasa renders them single): the
    payloads a click sends are accepted, others still read as words."""

    domain = load_domain()
    sex = domain.responses["utter_ask_magnesium_profile_form_sex"][0]["buttons"]
    assert sex[0]["payload"] == '/inform_profile{{"sex": "female"}}', "as written in the file"
    activate(Settings())
    for clicked in ('/inform_profile{"sex": "female"}', '/inform_profile{"sex": "male"}',
                    '/inform_profile{"life_stage": "pregnant"}',
                    '/inform_profile{"life_stage": "lactating"}', "/inform_not_pregnant"):
        assert messages.slash_command_allowed(clicked, domain), clicked
    for unknown in ('/inform_profile{"sex": "other"}', '/inform_profile{"age": -5}',
                    '/inform_profile{"sex": "female", "age": 3}', "/inform_profile",
                    '/inform_profile{{"sex": "female"}}'):
        assert not messages.slash_command_allowed(unknown, domain), unknown


def test_settings_from_environment():
    assert Settings.from_env({}) == Settings()
    s = Settings.from_env({"ACTION_SERVER_TIMEOUT": "2.5", "MAX_MESSAGE_CHARS": "500",
                           "MESSAGES_PER_MINUTE": "0", "SLASH_COMMANDS": "None"})
    assert (s.action_timeout, s.max_message_chars, s.messages_per_minute,
            s.slash_commands) == (2.5, 500, 0, "none")
    for bad in ({"ACTION_SERVER_TIMEOUT": "soon"}, {"ACTION_SERVER_TIMEOUT": "nan"},
                {"MAX_MESSAGE_CHARS": "0"}, {"SLASH_COMMANDS": "some"}):
        with pytest.raises(SystemExit):
            Settings.from_env(bad)


# --------------------------------------------------------------- API and workers


def test_api_stays_off_without_auth_settings():
    argv = ["run", "--model", "m.tar.gz"]
    assert api_arguments(argv, {}) == argv


def test_token_from_environment_turns_the_api_on_with_auth():
    assert api_arguments(["run"], {"RASA_AUTH_TOKEN": SECRET}) == [
        "run", "--enable-api", f"--auth-token={SECRET}"]


def test_jwt_from_environment_turns_the_api_on_with_jwt():
    assert api_arguments(["run"], {"JWT_SECRET": SECRET}) == [
        "run", "--enable-api", f"--jwt-secret={SECRET}", "--jwt-method=HS256"]
    assert api_arguments(["run"], {"JWT_SECRET": SECRET, "JWT_METHOD": "HS512"})[-1] == (
        "--jwt-method=HS512")


def test_secrets_starting_with_a_dash_reach_rasa_intact():
    """token_urlsafe() can start with "-"; Rasa's argparse must still see it as a value."""
    import argparse

    from rasa.cli.arguments.run import add_server_arguments

    parser = argparse.ArgumentParser()
    add_server_arguments(parser)
    token = "-" + SECRET
    args, _ = parser.parse_known_args(api_arguments(["run"], {"RASA_AUTH_TOKEN": token})[1:])
    assert args.auth_token == token and args.enable_api


@pytest.mark.parametrize("weak", ["UNSET", "changeme", "short", "rasaToken"])
def test_weak_secrets_are_refused(weak):
    with pytest.raises(SystemExit, match="too weak"):
        api_arguments(["run"], {"RASA_AUTH_TOKEN": weak})


def test_enable_api_without_auth_is_refused():
    with pytest.raises(SystemExit, match="no authentication"):
        api_arguments(["run", "--enable-api"], {})
    # explicit authentication on the command line is kept as it is
    argv = ["run", "--enable-api", "--auth-token", "t0ken"]
    assert api_arguments(argv, {}) == argv


def test_several_workers_need_a_shared_tracker_store(tmp_path):
    memory = tmp_path / "memory.yml"
    memory.write_text("action_endpoint:\n  url: http://localhost/webhook\n")
    sql = tmp_path / "sql.yml"
    sql.write_text("tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: x.db\n")
    with pytest.raises(SystemExit, match="own part of every conversation"):
        check_workers(["run", "--endpoints", str(memory)], {"SANIC_WORKERS": "2"})
    check_workers(["run", "--endpoints", str(sql)], {"SANIC_WORKERS": "2"})
    check_workers(["run", "--endpoints", str(memory)], {"SANIC_WORKERS": "1"})


def test_a_failing_nlu_pipeline_means_not_understood():
    from rasa.core.channels.channel import UserMessage

    class Processor:  # just what Rasa's parse_message touches before the graph runs
        http_interpreter = None
        domain = DOMAIN

        def _parse_message_with_graph(self, message, tracker, only_output_properties):
            raise ValueError("Found array with 0 feature(s)")

    activate(Settings())
    parse_data = asyncio.run(messages.guarded_parse_message(Processor(), UserMessage("")))
    assert parse_data["intent"] == {"name": "nlu_fallback", "confidence": 1.0}
    assert parse_data["entities"] == [] and parse_data["text"] == ""


def test_the_served_app_limits_bodies_without_the_api_and_answers_outages_with_503(
        monkeypatch):
    from sanic import Sanic

    from runtime import server

    monkeypatch.setattr(Sanic, "test_mode", True)  # several apps named alike in one process
    without_api = server.configure_app([], enable_api=False, use_uvloop=False)
    assert without_api.config.REQUEST_MAX_SIZE == 1024 * 1024
    assert without_api.config.WEBSOCKET_MAX_SIZE == 1024 * 1024
    with_api = server.configure_app([], enable_api=True, auth_token="t" * 30, use_uvloop=False)
    assert with_api.config.REQUEST_MAX_SIZE > 1024 * 1024, "model uploads need Rasa's limit"
    outage = storage_outages.StorageUnavailable("SQLTrackerStore is unavailable: down")
    for app in (without_api, with_api):
        handler = app.error_handler.lookup(outage, None)
        answer = asyncio.run(handler(None, outage))
        assert answer.status == 503
        assert answer.body == b'{"error":"SQLTrackerStore is unavailable: down"}'
