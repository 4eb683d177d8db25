"""A fixed set of conversations (tests/report/seed.py writes them with Rasa's own
SQLTrackerStore) whose every figure in the report is known, in SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import secrets
import subprocess

import pytest

from harness.net import reachable
from harness.paths import ROOT
from tests.report.seed import Conversation, at, reply, save, tracker_store

NOV = {d: dt.date(2026, 11, d) for d in range(1, 6)}
SINCE, UNTIL = NOV[2], NOV[4]

# Sender ids: long and random-looking like real ones, in a known sort order (the store is
# read per sender), and checked to appear nowhere in the report.
SENDERS = {name: f"{prefix}{secrets.token_hex(15)}" for name, prefix in
           (("A", "a1"), ("B", "b2"), ("C", "c3"), ("D", "d4"), ("E", "e5"), ("F", "f6"),
            ("G", "f7"))}

DRAGON_MATCHES = "persimmon, grapefruit, jackfruit"


def scenario() -> list[Conversation]:
    a = Conversation(SENDERS["A"]).session(at(NOV[2], 9) - 1)
    a.turn(at(NOV[2], 9, 0), "hi", "greet", "utter_greet")
    a.turn(at(NOV[2], 9, 1), "how much magnesium is in dragonfruit", "ask_food_magnesium",
           "action_food_magnesium",
           reply("utter_food_unknown", text="dragonfruit", matches=DRAGON_MATCHES))
    a.turn(at(NOV[2], 9, 2), "how much magnesium is in a cup of spinach",
           "ask_food_magnesium", "action_food_magnesium",
           reply("utter_food_magnesium", food="Spinach (raw)", portion="1 cup",
                 magnesium_mg=24) + "\n" + reply("utter_food_source"))
    a.turn(at(NOV[2], 9, 3), "thanks", "thank", "utter_you_are_welcome")
    # the same sender comes back the next evening: a new session, a new conversation
    a.session(at(NOV[3], 18) - 1)
    a.turn(at(NOV[3], 18, 0), "how much magnesium do I need", "ask_magnesium_need",
           "magnesium_profile_form", response="utter_ask_magnesium_profile_form_age")
    a.turn(at(NOV[3], 18, 1), "I'm 40", "inform_profile", "magnesium_profile_form",
           response="utter_ask_magnesium_profile_form_sex",
           buttons=[{"title": "Female", "payload": '/inform_profile{"sex": "female"}'}])
    a.turn(at(NOV[3], 18, 2), "female", "inform_profile", "action_recommended_intake",
           "A woman of 40 needs about 320 mg of magnesium a day.")
    a.fallback(at(NOV[3], 18, 3), "¿cuánto magnesio necesito?", metadata={"language": "es"})

    b = Conversation(SENDERS["B"]).session(at(NOV[2], 14) - 1)
    b.turn(at(NOV[2], 14, 0), "What's the weather in Paris?", "out_of_scope",
           "utter_out_of_scope")
    b.fallback(at(NOV[2], 14, 1), "blorp zzz")

    c = Conversation(SENDERS["C"]).session(at(NOV[3], 10) - 1)
    c.turn(at(NOV[3], 10, 0), "today I ate a banana, quinoa puffs and zzkrbl", "log_food_diary",
           "action_food_diary", "\n".join([
               "Here's the magnesium in what you ate:", "- banana, 1 medium: 32 mg",
               "Total: about 32 mg of magnesium.", reply("utter_diary_not_counted"),
               reply("utter_diary_unknown_item", text="quinoa puffs", matches="quinoa (cooked)"),
               reply("utter_diary_unknown_item_no_match", text="zzkrbl")]))
    c.turn(at(NOV[3], 10, 1), "magnesium in Dragonfruit", "ask_food_magnesium",
           "action_food_magnesium",
           reply("utter_food_unknown", text="Dragonfruit", matches=DRAGON_MATCHES))
    # named back as unknown when the table lacked it; the table has almonds now
    c.turn(at(NOV[3], 10, 2), "magnesium in Almonds", "ask_food_magnesium",
           "action_food_magnesium",
           reply("utter_food_unknown", text="Almonds", matches="cashews"))

    d = Conversation(SENDERS["D"]).session(at(NOV[4], 8) - 1)
    en = {"metadata": {"language": "en"}, "channel": "socketio"}
    d.turn(at(NOV[4], 8, 0), "what's the weather in paris", "out_of_scope",
           "utter_out_of_scope", **en)
    d.action_server_down(at(NOV[4], 8, 1), "how much magnesium is in almonds",
                         "ask_food_magnesium", "action_food_magnesium", **en)
    d.turn(at(NOV[4], 8, 2), "I take 1200 mg calcium", "ask_calcium_ratio",
           "action_calcium_ratio", "For 1,200 mg of calcium: 600 mg of magnesium at 2:1.", **en)

    # outside the period, just before and just after it
    e = Conversation(SENDERS["E"]).session(at(NOV[1], 23, 59, 50))
    e.turn(at(NOV[1], 23, 59, 58), "tell me a joke", "out_of_scope", "utter_out_of_scope")
    e.turn(at(NOV[1], 23, 59, 59.5), "magnesium in durian", "ask_food_magnesium",
           "action_food_magnesium", reply("utter_food_unknown_no_match", text="durian"))
    f = Conversation(SENDERS["F"]).session(at(NOV[5], 0) - 1)
    f.turn(at(NOV[5], 0, 0, 0.0), "magnesium in sea moss", "ask_food_magnesium",
           "action_food_magnesium", reply("utter_food_unknown_no_match", text="sea moss"))
    # the last moment of the period is in it
    g = Conversation(SENDERS["G"]).session(at(NOV[4], 23, 59, 58))
    g.turn(at(NOV[4], 23, 59, 59.8), "bye", "goodbye", "utter_goodbye")
    return [a, b, c, d, e, f, g]


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory):
    path = tmp_path_factory.mktemp("report-store") / "tracker.db"
    save(tracker_store(path), scenario())
    return path


PG_PORT = 5432


@pytest.fixture(scope="session")
def seeded_postgres():
    """The same conversations in a fresh PostgreSQL database (dropped afterwards)."""
    if not reachable(PG_PORT):
        subprocess.run([str(ROOT / "scripts" / "ensure-services.sh"), "postgres"],
                       timeout=120, check=False)
    if not reachable(PG_PORT):
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432 and "
                    "scripts/ensure-services.sh could not start it")
    import psycopg2

    try:
        admin = psycopg2.connect(host="127.0.0.1", port=PG_PORT, user="postgres",
                                 dbname="postgres", connect_timeout=5)
    except psycopg2.Error as error:
        pytest.skip(f"cannot log in to PostgreSQL as 'postgres': {error}")
    admin.autocommit = True
    name = f"report_test_{secrets.token_hex(6)}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        store = tracker_store(host="127.0.0.1", port=PG_PORT, db=name, username="postgres")
        save(store, scenario())
        store.engine.dispose()
        yield {"PROFILE": "scaled", "DB_HOST": "127.0.0.1", "DB_PORT": str(PG_PORT),
               "DB_USER": "postgres", "DB_PASSWORD": "", "DB_NAME": name}
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
